"""Cached page fragments, per reader variant, dropped by any content edit; and the validators
(ETags) that let a CDN or nginx cache whole reader pages (kb/middleware.py sends the headers).

Rendered content is cached here under a key made of the fragment's name,
its parts (an article's pk…), the reader's variant, the *render version* (kb/conversion.py:
the conversion tables and code) and the *content version*, a token that every save or
delete of content replaces::

    {% load kbcache %}
    {% kbcache "article-body" article.pk %} …sections… {% endkbcache %}

    html = cached_fragment("lender-list", render=lambda: render_to_string(...), request=request)

An edit never deletes keys; it bumps the version, so every fragment rendered before it stops
being looked up and expires on its own. The version lives in the cache itself when that is
shared (Redis); the per-process memory cache cannot share it between gunicorn workers, so
there it lives in a small file under KB_DATA_DIR.

Whole responses are cached outside the application, by whatever sits in front of it: a view
marked `@public_page` answers anonymous readers with an ETag made of the release, the content
version, the reader's variant and the URL, so a revalidation is answered 304 before the view
runs (docs/deployment.md: “Caching pages”).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from .conversion import render_version
from .variants import variant_of

logger = logging.getLogger("kb.cache")

VERSION_KEY = "kb:content-version"
VERSION_FILE = "content-version"
# Every model whose rows appear on reader pages.
CONTENT_MODELS = (
    "articles.Article",
    "articles.Section",
    "articles.Lender",
    "articles.LenderAlias",
    "articles.OfficialNumber",
    "articles.ConversionOverride",
    "articles.Synonym",  # changes what searches find
    "articles.NumberReport",  # approved counts show on the search answer card and in the API
)
_CSRF_MARK = "csrfmiddlewaretoken"
_owed_bump = threading.Event()  # a bump this process could not store


def content_version() -> str:
    """The current content version: changes whenever content is saved or deleted."""
    if _owed_bump.is_set():
        _owed_bump.clear()
        return bump_content_version()
    if _version_in_cache():
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY) or _new_version()
        return version
    try:
        return _version_path().read_text(encoding="ascii").strip() or _write_version_file()
    except FileNotFoundError:
        return _write_version_file()


def bump_content_version() -> str:
    """Retire every cached fragment. Call it after changes made without model signals
    (``QuerySet.update()``, ``bulk_create()``, raw SQL)."""
    if _version_in_cache():
        version = _new_version()
        if cache.set(VERSION_KEY, version, timeout=None) is False:
            # Redis is down (kb/redis_cache.py): bump again once it answers, or fragments
            # rendered before this edit would come back with it.
            _owed_bump.set()
        return version
    return _write_version_file()


def fragment_key(name: str, *parts, variant: str | None = None, version: str | None = None) -> str:
    """The key of one fragment: its name and parts, the reader's variant, the render version
    (the conversion tables and code: a release that converts differently never reads an older
    fragment) and the content version."""
    variant = variant or variant_of(get_language())
    version = version or content_version()
    raw = "\x1f".join(str(part) for part in parts)
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]
    return f"kb:fragment:{name}:{variant}:{render_version()}:{version}:{digest}"


def cached_fragment(
    name: str, *parts, render: Callable[[], str], request=None, timeout: int | None = None
) -> str:
    """``render()``'s output for this fragment, variant and content version, cached.

    A fragment holding a CSRF token is returned but never stored: a cached token would be
    served to other readers and fail their form posts.
    """
    timeout = settings.KB_CACHE_SECONDS if timeout is None else timeout
    if timeout <= 0:
        return render()
    version = getattr(request, "kb_content_version", None)
    key = fragment_key(name, *parts, version=version)
    html = cache.get(key)
    if html is None:
        html = render()
        if _CSRF_MARK in html:
            logger.warning("fragment %r holds a CSRF token; not caching it", name)
        else:
            cache.set(key, html, timeout)
    return html


class ContentVersionMiddleware:
    """Read the content version once, before the view reads any content.

    A fragment is then stored under a version no newer than the data it was rendered from,
    so an edit committed mid-request cannot leave stale content under the new version.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.kb_content_version = content_version()
        return self.get_response(request)


def connect_signals() -> None:
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"kb-cache-save-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"kb-cache-delete-{label}")


def _content_changed(sender, **kwargs) -> None:
    if _unseen_report(sender, kwargs):
        return
    # Now, so this process and this test see the change at once; and again after commit, so a
    # request that rendered the old rows between the two cannot keep them under the new version.
    bump_content_version()
    transaction.on_commit(bump_content_version, using=kwargs.get("using"))


def _unseen_report(sender, kwargs) -> bool:
    """A reader's new report waits for an editor: readers see no change until it is approved
    (a reader who changes their report sends it back to pending, which readers do see)."""
    return (
        sender._meta.label == "articles.NumberReport"
        and bool(kwargs.get("created"))
        and kwargs["instance"].status == "pending"
    )


def _version_in_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache)


def _new_version() -> str:
    return uuid.uuid4().hex[:16]


def _version_path() -> Path:
    return Path(settings.DATA_DIR) / VERSION_FILE


def _write_version_file() -> str:
    version = _new_version()
    path = _version_path()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(version)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return version


# Whole pages


@dataclass(frozen=True)
class PagePolicy:
    """What a public page's response depends on besides its URL, variant and the content."""

    depends_on: Callable[[object], str] | None = None  # e.g. the search index's generation
    variant_parameter: str | None = None  # a query parameter naming the variant (the API's lang)

    def variant_in_url(self, request) -> str | None:
        """The variant the URL's query names, if this page takes one and it is valid."""
        if self.variant_parameter is None:
            return None
        value = str(request.GET.get(self.variant_parameter, "")).strip().lower()
        return value if value in dict(settings.LANGUAGES) else None


def public_page(view=None, *, depends_on=None, variant_parameter: str | None = None):
    """Mark a GET view whose answer is the same for every anonymous reader of its URL.

    kb.middleware.CacheHeadersMiddleware then makes its 200 answers cacheable by a CDN or
    nginx, and answers a matching If-None-Match with 304 before the view runs. The answer
    must hold nothing personal: no CSRF token, no message, nothing about the user (any of
    those, or a cookie set, keeps it private).
    """

    def mark(view):
        view.kb_page_policy = PagePolicy(depends_on, variant_parameter)
        return view

    return mark(view) if view is not None else mark


def page_etag(request, policy: PagePolicy) -> str:
    """A weak validator for this request's page: the release, the content version read at the
    start of the request, the variant, the absolute URL and what the view says it also
    depends on."""
    version = getattr(request, "kb_content_version", None) or content_version()
    variant = policy.variant_in_url(request) or get_language() or ""
    # The absolute URL: pages hold absolute links (canonical, hreflang) to their own host.
    parts = [code_version(), version, variant, request.build_absolute_uri()]
    if policy.depends_on is not None:
        parts.append(str(policy.depends_on(request)))
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12)
    return f'W/"{digest.hexdigest()}"'


_RELEASE_DIRS = ("templates", "locale", "kb", "articles")


@functools.cache
def code_version() -> str:
    """Changes with every release: templates, translations, the project's code, the static
    files' manifest and the conversion tables. The same in every worker and on every server
    running the same release, so their ETags agree; read once per process."""
    base = Path(settings.BASE_DIR)
    files = [
        path
        for folder in _RELEASE_DIRS
        for path in (base / folder).rglob("*")
        if path.is_file() and path.suffix != ".pyc"
    ]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    digest = hashlib.blake2b(render_version().encode("ascii"), digest_size=8)
    for path in sorted(files):
        try:
            content = path.read_bytes()
        except FileNotFoundError:  # no manifest before collectstatic
            continue
        digest.update(path.name.encode("utf-8") + b"\x00" + content)
    return digest.hexdigest()
