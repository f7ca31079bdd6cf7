"""Request plumbing: the client's real address behind a proxy, database faults, caching
headers, and the Permissions-Policy header.
"""

import contextlib
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .cache import page_etag
from .faults import database_unavailable, is_database_error


class RealIPMiddleware:
    """Behind a reverse proxy (KB_BEHIND_PROXY=1), REMOTE_ADDR is the proxy's address.

    The proxy sets X-Real-IP to the address it accepted the connection from (overwriting any
    value a client sent), so login throttling and feedback limits count real clients.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.KB_BEHIND_PROXY:
            real = request.META.get("HTTP_X_REAL_IP", "").strip()
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ip_address(real))
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 (page or JSON), never a trace.

    Failures outside views (a session saved on the way out) reach ``kb.faults.server_error``,
    the project's handler500, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_error(exception):
            return database_unavailable(request, exception)
        return None


PRIVATE = "private, no-store"
STALE_IF_ERROR_SECONDS = 86400  # a CDN keeps serving pages for a day while the site is down


class CacheHeadersMiddleware:
    """Who may keep a response, and for how long (docs/deployment.md, “Caching pages”).

    A page marked `kb.cache.public_page` answers an anonymous reader's GET with
    `Cache-Control: public` and an ETag, `Vary: Cookie` (a request with an editor's session or
    a message gets its own, private answer) and, where the variant is not in the URL path,
    `Accept-Language` too (LocaleMiddleware and kb/variant_redirect.py add it). A matching
    If-None-Match is answered 304 before the view runs. Everything else — editors, messages,
    POST, redirects, errors, the admin, /healthz — is `private, no-store` unless the view
    said otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(request, "kb_page_policy", None)
        if policy is not None and _cacheable(request, response):
            _make_public(request, response, policy)
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        policy = getattr(view_func, "kb_page_policy", None)
        if policy is None or request.method not in ("GET", "HEAD") or _personal(request):
            return None
        request.kb_page_policy = policy
        request.kb_etag = page_etag(request, policy)
        if _matches(request.headers.get("If-None-Match", ""), request.kb_etag):
            return HttpResponseNotModified()
        return None


def _personal(request) -> bool:
    """An editor's session or a message to show: this reader's answer is their own."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _cacheable(request, response) -> bool:
    return (
        response.status_code in (200, 304)
        and not response.has_header("Cache-Control")
        and not response.cookies  # a CSRF token, a session, a deleted message cookie
        and not _personal(request)  # a message added while the view ran
    )


def _make_public(request, response, policy) -> None:
    response["Cache-Control"] = (
        f"public, max-age={settings.KB_PAGE_MAX_AGE}, "
        f"s-maxage={settings.KB_PAGE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.KB_PAGE_STALE_SECONDS}, "
        f"stale-if-error={STALE_IF_ERROR_SECONDS}"
    )
    response["ETag"] = request.kb_etag
    patch_vary_headers(response, ("Cookie",))
    if policy.variant_in_url(request):
        # LocaleMiddleware adds Accept-Language outside i18n_patterns; ?lang= decides here.
        vary = [v.strip() for v in response["Vary"].split(",")]
        response["Vary"] = ", ".join(v for v in vary if v.lower() != "accept-language")


def _matches(header: str, etag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110, 13.1.2)."""
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


# A reading site uses no device, sensor, payment or ad-tracking API: deny them all, to this site
# and to anything it might embed. Only features Chromium knows (an unknown name is a console
# warning on every page).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """Every response, static files and error pages included, carries PERMISSIONS_POLICY."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
