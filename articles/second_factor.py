"""The second factor of an admin sign-in: a code from an authenticator app (TOTP, django-otp)
or one of ten single-use recovery codes.

Who must have one is decided by ``articles.editors.needs_second_factor``; anyone who has
enrolled is asked for a code at every sign-in, whether they had to enrol or chose to.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .editors import needs_second_factor

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "验证器"
RECOVERY_DEVICE_NAME = "恢复码"
VERIFY, ENROL = "verify", "enrol"


def is_verified(user) -> bool:
    """Whether this session's sign-in included a code (django-otp's middleware tells)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def second_step_pending(user, verified: bool) -> bool:
    return not verified and (user_has_device(user) or needs_second_factor(user))


def next_step(user) -> str | None:
    """VERIFY, ENROL or None: what still stands between this signed-in user and the admin."""
    if not user.is_authenticated or is_verified(user):
        return None
    if user_has_device(user):
        return VERIFY
    if needs_second_factor(user):
        return ENROL
    return None


def may_enrol(user) -> bool:
    """Enrolling replaces the authenticator: only before the first one, or after a code."""
    return is_verified(user) or not user_has_device(user)


# Enrolment


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator this user is setting up (the same one on every reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@dataclass(frozen=True)
class Enrolment:
    uri: str  # otpauth://… for the QR code
    secret: str  # the same key as text, for typing into the app, in groups of four
    qr_svg: str  # inline <svg>, no script, no style attribute (the CSP allows neither)


def enrolment(device: TOTPDevice) -> Enrolment:
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return Enrolment(
        uri=device.config_url,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_svg=qr.svg_inline(scale=4, light="white", title="用验证器应用扫描这个二维码"),
    )


@transaction.atomic
def confirm_authenticator(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with its first code; returns fresh recovery codes, or None if wrong.

    The confirmed device replaces the user's earlier authenticators (a new phone).
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes; the old ones stop working. Shown once, never stored elsewhere."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user) -> None:
    """Forget every device: the user enrols again at the next sign-in (a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Sign-in


@dataclass(frozen=True)
class Check:
    device: TOTPDevice | StaticDevice | None = None
    retry_at: object = None  # a datetime when too many wrong codes made the device wait

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def check_code(user, code: str) -> Check:
    """Try a six-digit code on the user's authenticators, anything else as a recovery code.

    django-otp makes each device wait 1, 2, 4, 8… seconds after each wrong code, so guessing
    one in a million is out of reach; a right code resets the wait.
    """
    digits = _digits(code)
    if re.fullmatch(r"\d{6}", digits):
        devices, token = TOTPDevice.objects.filter(user=user, confirmed=True), digits
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        token = re.sub(r"[\s-]", "", code or "").lower()[:16]
    retry_at = None
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                until = why.get("locked_until") or timezone.now()
                retry_at = max(retry_at or until, until)
            elif device.verify_token(token):
                return Check(device=device)
    return Check(retry_at=retry_at if retry_at and retry_at > timezone.now() else None)


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")[:16]
