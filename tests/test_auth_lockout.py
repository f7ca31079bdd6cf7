"""Login pauses against an attacker with many addresses, through the real admin login view.

Behind the proxy (KB_BEHIND_PROXY=1) every request comes from the proxy's address and
X-Real-IP names the client, as nginx sets it (docs/deployment.md).
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from articles.editors import make_editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("behind_proxy")]

PASSWORD = "Yun-shan-2026-ferry"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def behind_proxy():
    with override_settings(KB_BEHIND_PROXY=True):
        yield


@pytest.fixture
def six_for_the_account():
    """A smaller account limit, so the tests that only need *a* pause stay quick."""
    with override_settings(KB_LOGIN_ACCOUNT_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=6):
        yield


@pytest.fixture
def editor():
    user, _ = make_editor("xiaozhou", PASSWORD)
    return user


def attempt(password, address, username="xiaozhou"):
    """One login from its own browser at `address`, as a botnet would send it."""
    return Client().post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=address,
    )


def addresses(count, prefix="198.51.100."):
    return [f"{prefix}{n}" for n in range(1, count + 1)]


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def lock_the_account():
    limit = settings.KB_LOGIN_ACCOUNT_FAILURE_LIMIT
    responses = [attempt("wrong-guess", address) for address in addresses(limit)]
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)  # the form again
    return responses[-1]


def test_twenty_wrong_passwords_from_twenty_addresses_lock_the_account(editor):
    last = lock_the_account()
    assert last.status_code == 429
    # Now even the right password, from an address never seen, is refused.
    response = attempt(PASSWORD, "203.0.113.77")
    assert response.status_code == 429
    assert "sessionid" not in response.cookies
    page = text_of(response)
    assert "登录已暂停" in page
    assert "15 分钟内从各处共输错密码 20 次" in page


def test_the_pause_page_says_when_to_retry_and_how_an_administrator_ends_it(editor):
    lock_the_account()
    # The pause ends when the oldest of the 20 failures leaves the 15 minutes (the 20 may
    # straddle a minute: the newest would then be a minute late).
    first_failure = AccessAttempt.objects.earliest("attempt_time").attempt_time
    retry_at = timezone.localtime(first_failure + timedelta(minutes=15))
    page = text_of(attempt(PASSWORD, "203.0.113.77"))
    assert f"请在 {retry_at.month}月{retry_at.day}日 {retry_at:%H:%M}（北京时间）以后再试" in page
    assert "python manage.py axes_reset_username 用户名" in page
    assert "解除所选用户的登录暂停" in page


@pytest.mark.usefixtures("six_for_the_account")
def test_the_account_pause_ends_after_fifteen_minutes(editor):
    lock_the_account()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(PASSWORD, "203.0.113.77").status_code == 302


@pytest.mark.usefixtures("six_for_the_account")
def test_trying_during_the_pause_does_not_make_it_longer(editor):
    lock_the_account()
    before = sorted(AccessAttempt.objects.values_list("attempt_time", flat=True))
    for address in addresses(5, prefix="192.0.2."):
        assert attempt("another-guess", address).status_code == 429
    assert sorted(AccessAttempt.objects.values_list("attempt_time", flat=True)) == before
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 6


def test_nineteen_wrong_passwords_from_many_addresses_do_not_lock_the_account(editor):
    for address in addresses(19):
        attempt("wrong-guess", address)
    assert attempt(PASSWORD, "203.0.113.77").status_code == 302


def test_one_address_is_still_paused_after_five_failures_for_thirty_minutes(editor):
    for _ in range(4):
        assert attempt("wrong", "203.0.113.50").status_code == 200
    response = attempt("wrong", "203.0.113.50")
    assert response.status_code == 429
    page = text_of(response)
    assert "5 次" in page and "30 分钟" in page
    assert "各处" not in page  # the account itself is not paused
    assert attempt(PASSWORD, "198.51.100.60").status_code == 302  # the editor elsewhere


@pytest.mark.usefixtures("six_for_the_account")
def test_other_accounts_are_not_paused_by_an_attack_on_one(editor):
    make_editor("xiaoli", PASSWORD)
    lock_the_account()
    assert attempt(PASSWORD, "198.51.100.3", username="xiaoli").status_code == 302


@pytest.mark.usefixtures("six_for_the_account")
def test_an_administrator_ends_the_pause_from_the_users_list(editor, admin_client):
    lock_the_account()
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "end_login_pause", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "已解除 1 个用户的登录暂停" in text_of(response)
    assert attempt(PASSWORD, "203.0.113.77").status_code == 302


@pytest.mark.usefixtures("six_for_the_account")
def test_the_reset_command_named_on_the_page_ends_the_pause(editor):
    lock_the_account()
    call_command("axes_reset_username", "xiaozhou")
    assert attempt(PASSWORD, "203.0.113.77").status_code == 302
