"""What readers get when a dependency fails: a static 503 with Retry-After, not a trace."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, InternalError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.views import defaults

from .text import opencc_only
from .variants import variant_of

logger = logging.getLogger("kb.faults")

UNAVAILABLE_MESSAGE = "网站暂时无法读取资料，请稍后再试。"


# PostgreSQL's SQLSTATEs for damaged data and damaged indexes (class XX, "internal error").
_CORRUPTION_STATES = {"XX001", "XX002"}


def is_database_error(exception: BaseException | None) -> bool:
    """The database is at fault, not the request: connection refused, server gone, locked or
    timed out, or its file damaged (SQLite's "file is not a database", "database disk image is
    malformed", raised as plain DatabaseError). Worth a retry later.

    IntegrityError, DataError, ProgrammingError, NotSupportedError and other InternalErrors
    (an aborted transaction) come from the code or its input: they stay 500s, to be fixed.
    """
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    if isinstance(exception, InternalError):
        return getattr(exception.__cause__, "sqlstate", None) in _CORRUPTION_STATES
    return type(exception) is DatabaseError


def database_unavailable(request, exception: BaseException | None = None) -> HttpResponse:
    """503 without touching the database: no context processors, no session, no user."""
    logger.error("database unavailable on %s: %s", request.path, exception)
    variant = variant_of(get_language())
    if _wants_json(request):
        response = JsonResponse(
            {"error": "unavailable", "message": opencc_only(UNAVAILABLE_MESSAGE, variant)},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        html = loader.get_template("503.html").render(
            {"lang": variant, "retry_after": settings.KB_RETRY_AFTER_SECONDS}
        )
        response = HttpResponse(opencc_only(html, variant), status=503)
    response["Retry-After"] = str(settings.KB_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: database failures outside a view still get the 503 page."""
    exception = sys.exc_info()[1]
    if is_database_error(exception):
        return database_unavailable(request, exception)
    return defaults.server_error(request)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
