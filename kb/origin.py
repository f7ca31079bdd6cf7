"""Forms that anonymous readers post from cached pages: checked by origin, not by a token.

A page a CDN serves to everyone cannot carry a per-reader CSRF token, so the three forms on
public pages (the variant toggle, “这篇文章有帮助吗？” and “这个号码打给我了”) post without one.
None of them acts for a signed-in user, so forging one gains an attacker no one's rights;
what it could gain is other people's addresses for the rate limits. A browser says where a
post comes from, and a post another site makes a browser send is refused:

- `Sec-Fetch-Site` (every current browser) must be `same-origin`;
- otherwise `Origin`, when sent, must be this site (or one of CSRF_TRUSTED_ORIGINS);
- otherwise `Referer`, when sent, must be this site.

A request with none of them comes from no browser (or one from before 2020): it could have
been sent from the attacker's own machine anyway, and the rate limits still count it.
docs/deployment.md (“Caching pages”) gives the reasoning in full.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import is_same_domain
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .text import opencc_only


def same_origin_post(view):
    """csrf_exempt for `view`, with a POST from another site refused (403)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and not from_this_site(request):
            return _refused(request)
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)


def from_this_site(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is not None:
        return _trusted(request, origin)
    referer = request.headers.get("Referer")
    if referer is not None:
        parts = urlsplit(referer)
        return _trusted(request, f"{parts.scheme}://{parts.netloc}")
    return True


def _trusted(request, origin: str) -> bool:
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    parts = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = urlsplit(trusted)
        if allowed.scheme == parts.scheme and is_same_domain(parts.netloc, allowed.netloc):
            return True
    return False


def _refused(request):
    message = _("请在本站的页面上提交。如果你是从本站页面提交的，请刷新页面后再试。")
    if "application/json" in request.headers.get("Accept", ""):
        body = {"ok": False, "message": opencc_only(message, get_language())}
        return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
    context = {"message": message, "seo_noindex": True}
    return render(request, "post_refused.html", context, status=403)
