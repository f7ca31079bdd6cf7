"""Request plumbing: the client's real address behind a proxy, database faults, and the
Permissions-Policy header.
"""

import contextlib
from ipaddress import ip_address

from django.conf import settings

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
