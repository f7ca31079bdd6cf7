"""Account helpers for tests: an enrolled authenticator, its current code, a signed-in admin."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user) -> TOTPDevice:
    """A confirmed authenticator for this user, as if they had scanned the QR code."""
    return TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The six digits the user's phone shows now (or that many 30-second steps later)."""
    device.refresh_from_db()
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):0{device.digits}d}"


def seconds_pass(seconds: int, *devices) -> None:
    """Move the devices' last wrong code back in time: django-otp makes the next try wait
    1, 2, 4… seconds after each wrong one, and a person takes that long to type again."""
    for device in devices:
        type(device).objects.filter(
            pk=device.pk, throttling_failure_timestamp__isnull=False
        ).update(
            throttling_failure_timestamp=F("throttling_failure_timestamp")
            - timedelta(seconds=seconds)
        )


def sign_in_with_second_factor(client, user) -> None:
    """force_login, then mark the session as having passed the code step (for tests of other
    things; tests/test_auth_second_factor.py drives the real pages)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
