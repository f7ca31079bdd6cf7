"""The editors' admin site: Django's, with a second factor at the door.

After the password, a user who has an authenticator (or must have one: administrators and
reviewers, ``articles.editors.needs_second_factor``) is only a visitor until they type a code:
every admin page, the index included, sends them to the code page, or to enrolment when they
have no authenticator yet. Those pages are here too, under /admin/second-factor/.
"""

from __future__ import annotations

from functools import wraps

import django_otp
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import second_factor
from .signins import SignIn, record

_STEP_URLS = {
    second_factor.VERIFY: "admin:second_factor",
    second_factor.ENROL: "admin:second_factor_setup",
}
_WRONG_CODE = "验证码不对。请输入验证器应用里现在显示的 6 位数字（每 30 秒换一次）"


class EditorsAdminSite(AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and second_factor.next_step(request.user) is None

    def login(self, request, extra_context=None):
        # Signed in with the password only: the next step, not the login form again.
        if request.method == "GET" and super().has_permission(request):
            step = second_factor.next_step(request.user)
            if step:
                return _to(_STEP_URLS[step], _next_url(request, self))
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            # Django wraps logout in admin_view: a half-signed-in user could not leave.
            path("logout/", self._step_view(_logout), name="logout"),
            path("second-factor/", self._step_view(_verify), name="second_factor"),
            path("second-factor/setup/", self._step_view(_setup), name="second_factor_setup"),
            path(
                "second-factor/recovery-codes/",
                self._step_view(_recovery_codes),
                name="second_factor_recovery_codes",
            ),
        ] + super().get_urls()

    def _step_view(self, view):
        """For any signed-in staff member, verified or not (admin_view would loop back here)."""

        @wraps(view)
        def inner(request):
            if not AdminSite.has_permission(self, request):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return view(self, request)

        return never_cache(csrf_protect(inner))


def _logout(site, request):
    return site.logout(request)


def _verify(site, request):
    user = request.user
    step = second_factor.next_step(user)
    if step == second_factor.ENROL:
        return _to(_STEP_URLS[step], _next_url(request, site))
    if step is None:
        return redirect(_next_url(request, site))
    error = None
    if request.method == "POST":
        check = second_factor.check_code(user, request.POST.get("code", ""))
        if check.device:
            _complete_sign_in(request, check)
            return redirect(_next_url(request, site))
        record(request, user.get_username(), SignIn.Outcome.WRONG_CODE)
        error = _WRONG_CODE + "，或一个恢复码。"
        if check.retry_at:
            when = timezone.localtime(check.retry_at)
            error = f"输错的次数太多，请在 {when:%H:%M:%S} 以后再试。"
    return _page(site, request, "admin/second_factor/verify.html", "输入验证码", error=error)


def _complete_sign_in(request, check) -> None:
    django_otp.login(request, check.device)
    request.session.cycle_key()  # a new session id for a session that can do more now
    outcome = SignIn.Outcome.RECOVERY_CODE if check.used_recovery_code else SignIn.Outcome.SUCCESS
    record(request, request.user.get_username(), outcome)
    if check.used_recovery_code:
        left = second_factor.recovery_codes_left(request.user)
        messages.warning(
            request,
            f"你用掉了一个恢复码，还剩 {left} 个。手机丢了或换了，请在“两步验证”页面更换验证器"
            "并重新生成恢复码。",
        )


def _setup(site, request):
    """Enrolment (the QR code, then the first code), or, once enrolled, the status page."""
    user = request.user
    if not second_factor.may_enrol(user):
        return _to("admin:second_factor", _next_url(request, site))
    signing_in = second_factor.next_step(user) == second_factor.ENROL
    replacing = second_factor.is_verified(user)
    if replacing and request.method == "GET" and "replace" not in request.GET:
        return _page(
            site,
            request,
            "admin/second_factor/status.html",
            "两步验证",
            codes_left=second_factor.recovery_codes_left(user),
            required=second_factor.needs_second_factor(user),
        )
    device = second_factor.pending_authenticator(user)
    error = None
    if request.method == "POST":
        codes = second_factor.confirm_authenticator(device, request.POST.get("code", ""))
        if codes is not None:
            device.refresh_from_db()
            if signing_in:
                _complete_sign_in(request, second_factor.Check(device=device))
            else:
                django_otp.login(request, device)
                request.session.cycle_key()
            return _codes_page(site, request, codes)
        error = _WRONG_CODE + "。"
    return _page(
        site,
        request,
        "admin/second_factor/setup.html",
        "设置两步验证",
        enrolment=second_factor.enrolment(device),
        replacing=replacing,
        required=second_factor.needs_second_factor(user),
        error=error,
    )


def _recovery_codes(site, request):
    if request.method != "POST" or not second_factor.is_verified(request.user):
        return redirect("admin:second_factor_setup")
    return _codes_page(site, request, second_factor.new_recovery_codes(request.user))


def _codes_page(site, request, codes):
    return _page(site, request, "admin/second_factor/recovery_codes.html", "恢复码", codes=codes)


def _page(site, request, template, title, **context):
    context = {
        **site.each_context(request),
        "title": title,
        "next": _next_url(request, site),
        "next_field": REDIRECT_FIELD_NAME,
        **context,
    }
    return render(request, template, context)


def _next_url(request, site) -> str:
    """Where to go once past this step: ``next`` if it is a page of this site, else the index."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index", current_app=site.name)


def _to(url_name: str, next_url: str):
    return redirect(f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
