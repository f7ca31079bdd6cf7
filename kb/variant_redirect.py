"""Send a reader who prefers traditional script from an unprefixed page to its /zh-hant/ copy.

Django's LocaleMiddleware serves every unprefixed URL in the default language (simplified)
when `prefix_default_language=False`. This fills the gap: on a GET to such a page, the
reader's choice (the language cookie set by the toggle) or, on a first visit without that
cookie, the browser's Accept-Language (zh-TW, zh-HK, zh-Hant → zh-hant through Django's
LANG_INFO fallbacks) decides. Prefixed pages never redirect, so there is no loop; the
admin, the API and anything outside `i18n_patterns` are left alone.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import is_valid_path, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path, get_language_from_request

_NEVER = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")


class VariantRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect(request)
        if redirect is not None:
            patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
            return redirect
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Cookie",))
        return response

    def _redirect(self, request):
        if request.method != "GET":
            return None
        path = request.path_info
        if path.startswith(_NEVER) or get_language_from_path(path):
            return None
        wanted = get_language_from_request(request, check_path=False)
        if wanted == settings.LANGUAGE_CODE:
            return None
        urlconf = getattr(request, "urlconf", None)
        if not is_valid_path(path, urlconf):
            return None
        target = translate_url(path, wanted)  # unchanged for pages outside i18n_patterns
        if target == path:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(target + (f"?{query}" if query else ""))
