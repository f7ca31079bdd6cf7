"""haystack's Whoosh backend, adapted: Chinese fields, serialised writers, a faster codec.

Only what differs is overridden:

- `build_schema` maps the project's field types (fields.py) to Whoosh fields: text fields
  without positions or stored copies (the database holds the text), exact fields for
  filters.
- every write (`update`, `remove`, `clear`) holds the OS write lock from state.py, so two
  processes never race for Whoosh's own lock (which would raise `LockError`) and no update is
  lost; large batches use Whoosh's multiprocessing writer with the bulk writer in each process.
- a new, empty index records the section-kind layout it is written with (layout.py), as
  `indexing.build` does for a rebuilt one; searches refuse an index with another layout.
- segments are written with `whoosh_writing.codec()` (Whoosh's format, written faster
  and smaller), and an update finds the document it replaces through segment readers kept
  open between saves (`UpdatingWriter`).
- a save never merges segments: the tiny ones saves leave are merged by a child process
  (merging.py), bigger ones only by `indexing.merge()` or a rebuild.

Reading for readers' searches goes through engine.py, not haystack's `search()`, which is
kept for haystack's own commands.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

from django.conf import settings
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh.fields import ID as WhooshID
from whoosh.fields import KEYWORD
from whoosh.filedb.filestore import FileStorage

from . import layout, merging, state
from .schema import ChineseText
from .whoosh_internals import add_segments
from .whoosh_internals import segments as segments_of
from .whoosh_writing import UpdatingWriter, bulk_writer, codec

SMALL_SEGMENT = 1000  # documents


def _merge(writer, segments, chosen):
    add_segments(writer, writer.storage, writer.schema, chosen)
    return [s for s in segments if s not in chosen]


def no_merge(writer, segments):
    """Merge policy for an editor's save: none (merging.py merges tiny segments apart)."""
    return segments


def merge_small_segments(writer, segments):
    """Merge policy for maintenance: merge every segment under SMALL_SEGMENT documents."""
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    return _merge(writer, segments, small) if len(small) > 1 else segments


def build_options(procs=None, limitmb=None, multisegment=None) -> dict:
    """Writer options for a large batch: both cores and a memory pool that need not spill."""
    procs = settings.KB_SEARCH_BUILD_PROCS if procs is None else procs
    options = {
        "limitmb": settings.KB_SEARCH_BUILD_LIMITMB if limitmb is None else limitmb,
    }
    if procs and procs > 1:
        options["procs"] = procs
        options["multisegment"] = True if multisegment is None else multisegment
    return options


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    def setup(self):
        created = not FileStorage(self.path).index_exists()
        super().setup()
        if created:  # haystack made a new empty index (a first run, `clear_index`)
            layout.write(self.path)

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field_class in fields.values():
            name = field_class.index_fieldname
            if field_class.field_type == "chinese_text":
                replacement = ChineseText(analyzer=field_class.analyzer)
            elif field_class.field_type == "exact":
                replacement = KEYWORD(commas=True) if field_class.is_multivalued else WhooshID()
            else:
                continue
            schema.remove(name)
            schema.add(name, replacement)
        return content_field_name, schema

    def documents(self, index, iterable):
        """Prepared Whoosh documents for model instances (haystack's preparation)."""
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)
                continue
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)
            yield doc

    @contextmanager
    def writer(self, mergetype=no_merge, **options):
        """A Whoosh writer on the current index, committed on success, under the write lock."""
        with state.write_lock():
            if not self.setup_complete or not FileStorage(self.path).index_exists():
                self.setup()
            # Without mmap, opening the big segments to find the documents an update
            # replaces reads only their term tables' headers, not the whole tables.
            index = FileStorage(self.path, supports_mmap=False).open_index(schema=self.schema)
            if options.get("procs", 1) > 1:
                writer = bulk_writer(index, **options)
            else:
                writer = UpdatingWriter(index, codec=codec(), **options)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=mergetype)
            self.index = index
        merging.start(self.path, state.lock_path(), segments_of(index))

    def apply(self, index, objects=(), remove_ids=(), **options):
        """Index `objects` and delete the documents `remove_ids` in one commit."""
        docs = list(self.documents(index, objects))
        remove_ids = list(remove_ids)
        if not docs and not remove_ids:
            return
        with self.writer(**options) as writer:
            for identifier in remove_ids:
                writer.delete_by_term(ID, identifier)
            for doc in docs:
                writer.update_document(**doc)

    def update(self, index, iterable, commit=True):
        objects = list(iterable)
        large = len(objects) >= settings.KB_SEARCH_BULK_THRESHOLD
        self.apply(index, objects, **(build_options() if large else {}))

    def remove(self, obj_or_string, commit=True):
        self.apply(None, remove_ids=[get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        with state.write_lock():
            if models is None:
                self.delete_index()
                return
            with self.writer() as writer:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))

    def delete_index(self):
        with state.write_lock():
            if os.path.exists(self.path):
                shutil.rmtree(self.path)
            self.setup()


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend
