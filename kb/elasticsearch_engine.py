"""haystack's Elasticsearch 7 backend with the Chinese analysis done inside the engine.

Selected by kb/settings.py when ELASTICSEARCH_URL is set. Index settings (the analyzers) are
read from docs/elasticsearch/index-settings.json, the file the deployment guide documents, so
the two cannot drift. Needs the stconvert, ik (or smartcn) and pinyin plugins on the cluster.
"""

from __future__ import annotations

import json
from pathlib import Path

from haystack.backends import BaseEngine
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchQuery,
)

SETTINGS_FILE = (
    Path(__file__).resolve().parent.parent / "docs" / "elasticsearch" / "index-settings.json"
)

WORDS_SUBFIELD = {"type": "text", "analyzer": "kb_words", "search_analyzer": "kb_words_search"}
PINYIN_SUBFIELD = {"type": "text", "analyzer": "kb_pinyin", "search_analyzer": "kb_pinyin_search"}


def index_settings() -> dict:
    return json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))


class ChineseElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = index_settings()
    # Bigrams of folded text decide what matches (as in the Whoosh analyzer); ik words only
    # add score through the `.words` subfield.
    DEFAULT_FIELD_MAPPING = {
        "type": "text",
        "analyzer": "kb_text",
        "fields": {"words": WORDS_SUBFIELD},
    }
    # Index fields holding lender names and aliases: searchable as pinyin and initials too.
    PINYIN_FIELDS = frozenset({"lender", "lender_name", "lender_names", "lenders", "names"})

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        for name, field_mapping in list(mapping.items()):
            if field_mapping.get("type") != "text":
                field_mapping.pop("fields", None)
            elif name in self.PINYIN_FIELDS:
                mapping[name] = {
                    **field_mapping,
                    "fields": {**field_mapping.get("fields", {}), "pinyin": PINYIN_SUBFIELD},
                }
        return content_field_name, mapping

    def build_search_kwargs(self, query_string, **kwargs):
        search_kwargs = super().build_search_kwargs(query_string, **kwargs)
        query = search_kwargs.get("query", {})
        holder, key = (query["bool"], "must") if "bool" in query else (search_kwargs, "query")
        clause = holder.get(key, {})
        if "query_string" in clause:
            holder[key] = self._with_scoring(clause)
        return search_kwargs

    def _with_scoring(self, clause: dict) -> dict:
        text = clause["query_string"]["query"]
        content = clause["query_string"]["default_field"]
        scored = {
            "bool": {"must": clause, "should": [{"match": {f"{content}.words": {"query": text}}}]}
        }
        pinyin_fields = [f"{name}.pinyin" for name in sorted(self._pinyin_fields_in_use())]
        if not pinyin_fields:
            return scored
        # A reader typing pinyin (weilidai, wld) finds the lender without any bigram match.
        pinyin = {"multi_match": {"query": text, "fields": pinyin_fields, "boost": 2}}
        return {"bool": {"should": [scored, pinyin], "minimum_should_match": 1}}

    def _pinyin_fields_in_use(self) -> set[str]:
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        names = {field.index_fieldname for field in unified.all_searchfields().values()}
        return names & self.PINYIN_FIELDS


class ChineseElasticsearchEngine(BaseEngine):
    backend = ChineseElasticsearchBackend
    query = Elasticsearch7SearchQuery
