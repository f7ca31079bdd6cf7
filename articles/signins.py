"""The login record: every admin sign-in, right or wrong, with its time and address.

Editors read their own lines in the admin, administrators everyone's. Lines older than
``KB_LOGIN_RECORD_DAYS`` (90) are deleted whenever a new one is written, so the table holds
at most that many days, with no scheduled job to forget.
"""

from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone

from kb.auth import refused_while_locked

from .second_factor import second_step_pending


class SignIn(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "登录成功"
        RECOVERY_CODE = "recovery", "登录成功（用了恢复码）"
        PASSWORD_ONLY = "password", "密码正确，待输入验证码"
        WRONG_PASSWORD = "wrong_password", "用户名或密码错误"
        WRONG_CODE = "wrong_code", "验证码错误"
        LOCKED = "locked", "登录已暂停，被拒绝"

    username = models.CharField("用户名", max_length=150, db_index=True)
    address = models.GenericIPAddressField("网络地址", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices)
    browser = models.CharField("浏览器", max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"

    def __str__(self) -> str:
        return f"{self.username} {self.get_outcome_display()}"


def record(request, username: str, outcome: str) -> SignIn:
    """Write one line for this request, and forget the lines past the retention period."""
    now = timezone.now()
    SignIn.objects.filter(at__lt=now - timedelta(days=settings.KB_LOGIN_RECORD_DAYS)).delete()
    return SignIn.objects.create(
        username=(username or "")[:150],
        address=_address(request),
        at=now,
        outcome=outcome,
        browser=request.META.get("HTTP_USER_AGENT", "")[:200],
    )


def _address(request) -> str | None:
    # RealIPMiddleware has already put the client's address here when behind the proxy.
    try:
        return str(ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


@receiver(user_login_failed, dispatch_uid="articles.signins.failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    outcome = (
        SignIn.Outcome.LOCKED if refused_while_locked(request) else SignIn.Outcome.WRONG_PASSWORD
    )
    record(request, credentials.get("username", ""), outcome)


@receiver(user_logged_in, dispatch_uid="articles.signins.logged_in")
def _logged_in(sender, request, user, **kwargs):
    pending = second_step_pending(user, verified=False)
    outcome = SignIn.Outcome.PASSWORD_ONLY if pending else SignIn.Outcome.SUCCESS
    record(request, user.get_username(), outcome)
