"""The project's URLs plus two probes for the fault tests: an API view and a session write."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path

from kb.urls import handler500  # noqa: F401
from kb.urls import urlpatterns as project_urlpatterns


def api_probe(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def session_probe(request):
    # The view itself never queries; SessionMiddleware saves the session on the way out.
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("api/probe/", api_probe),
    path("session-probe/", session_probe),
    *project_urlpatterns,
]
