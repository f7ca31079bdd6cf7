"""Login throttling: django-axes's lockout check in front of Django's own backend.

Two limits on axes's table of failed attempts (one row per username, address and browser):

- one account from one address: ``KB_LOGIN_FAILURE_LIMIT`` failures (5) within
  ``AXES_COOLOFF_TIME`` (30 minutes) pause that pair, as a mistyping person is paused;
- one account from everywhere together: ``KB_LOGIN_ACCOUNT_FAILURE_LIMIT`` failures (20) within
  ``KB_LOGIN_ACCOUNT_LOCKOUT_MINUTES`` (15) pause the account for every address, so an attacker
  with many addresses gets 20 guesses a quarter of an hour, not 5 per address.

The account pause is short on purpose: anyone can trigger it by guessing, so it must not become
a way to keep editors out for long. Refused attempts during a pause are not counted (the pause
ends on time, whatever the attacker does meanwhile); an administrator can end it earlier.
"""

from __future__ import annotations

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

_REFUSED = "kb_login_refused_while_locked"


class LockoutBackend(AxesStandaloneBackend):
    """Refuse logins while paused (see the module docstring); otherwise let ModelBackend decide.

    Every login form (the admin's included) passes the request. A call without one, such as the
    test client's ``login()``, has no client address to count failures against, so it goes on to
    the next backend instead of raising as axes does by default.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, _REFUSED, True)
            raise


def refused_while_locked(request) -> bool:
    """True when this request's login was refused unheard because the login was paused."""
    return getattr(request, _REFUSED, False)


class AccountLockoutHandler(AxesDatabaseHandler):
    """Axes's database handler with the account-wide limit added to the per-address one.

    Axes compares one failure count with one limit (``AXES_FAILURE_LIMIT``, set to the account
    limit), so the address's count is put on the account's scale: 5 of 5 counts as 20 of 20.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        address, account = _pauses(request, credentials)
        return max(
            account.failures,
            address.failures * account.limit // address.limit,
        )


class _Pause:
    """One limit applied to a set of failed attempts: whether it holds and until when."""

    def __init__(self, attempts, limit: int, window: timedelta, now):
        self.limit = limit
        rows = attempts.filter(attempt_time__gte=now - window).order_by("-attempt_time")
        self.failures, self.until = 0, None
        for failures, attempt_time in rows.values_list("failures_since_start", "attempt_time"):
            self.failures += failures
            if self.until is None and self.failures >= limit:
                # Rows drop out of the window oldest first: once this one does, the rest
                # newer than it no longer reach the limit.
                self.until = attempt_time + window

    @property
    def active(self) -> bool:
        return self.until is not None


def _pauses(request, credentials=None) -> tuple[_Pause, _Pause]:
    username = get_client_username(request, credentials)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    mine = AccessAttempt.objects.filter(username=username)
    address = _Pause(
        mine.filter(ip_address=getattr(request, "axes_ip_address", None)),
        settings.KB_LOGIN_FAILURE_LIMIT,
        settings.AXES_COOLOFF_TIME,
        now,
    )
    account = _Pause(
        mine,
        settings.KB_LOGIN_ACCOUNT_FAILURE_LIMIT,
        timedelta(minutes=settings.KB_LOGIN_ACCOUNT_LOCKOUT_MINUTES),
        now,
    )
    return address, account


def lockout_response(request, original_response=None, credentials=None):
    """The Chinese page for a paused login (axes's AXES_LOCKOUT_CALLABLE): why, and until when."""
    address, account = _pauses(request, credentials)
    pauses = [pause for pause in (address, account) if pause.active]
    context = {
        "username": get_client_username(request, credentials) or "",
        "by_address": address.active,
        "by_account": account.active,
        "address_limit": address.limit,
        "address_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "account_limit": account.limit,
        "account_minutes": settings.KB_LOGIN_ACCOUNT_LOCKOUT_MINUTES,
        "retry_at": max((pause.until for pause in pauses), default=None),
    }
    return render(request, "lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
