"""The login record: every sign-in, right or wrong, with time and address, for a bounded time."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from articles.editors import make_editor
from articles.signins import SignIn
from tests.accounts import code_for, enrol

pytestmark = pytest.mark.django_db

PASSWORD = "He-tang-2026-lantern"
RECORD = "/admin/articles/signin/"


@pytest.fixture
def editor():
    user, _ = make_editor("xiaosun", PASSWORD)
    return user


def sign_in(client, username, password, address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=address,
        HTTP_USER_AGENT="Mozilla/5.0 (测试浏览器)",
    )


def rows(response):
    return [
        r.split("|") for r in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S)
    ]


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@override_settings(KB_BEHIND_PROXY=True)
def test_right_and_wrong_sign_ins_are_recorded_with_time_and_the_real_address(editor):
    sign_in(Client(), "xiaosun", "wrong", "203.0.113.21")
    before = timezone.now()
    sign_in(Client(), "xiaosun", PASSWORD, "198.51.100.22")
    lines = list(SignIn.objects.order_by("at").values_list("username", "address", "outcome"))
    assert lines == [
        ("xiaosun", "203.0.113.21", SignIn.Outcome.WRONG_PASSWORD),
        ("xiaosun", "198.51.100.22", SignIn.Outcome.SUCCESS),
    ]
    success = SignIn.objects.get(outcome=SignIn.Outcome.SUCCESS)
    assert before <= success.at <= timezone.now()
    assert success.browser == "Mozilla/5.0 (测试浏览器)"


@override_settings(KB_BEHIND_PROXY=True)
def test_the_second_step_is_recorded_too(client, django_user_model):
    chief = django_user_model.objects.create_superuser("laoli", "l@example.com", PASSWORD)
    device = enrol(chief)
    sign_in(client, "laoli", PASSWORD, "203.0.113.30")
    client.post("/admin/second-factor/", {"code": "wrong"}, HTTP_X_REAL_IP="203.0.113.30")
    assert [line.outcome for line in SignIn.objects.order_by("at", "id")] == [
        SignIn.Outcome.PASSWORD_ONLY,
        SignIn.Outcome.WRONG_CODE,
    ]
    device.throttling_failure_count = 0
    device.save()
    client.post("/admin/second-factor/", {"code": code_for(device)}, HTTP_X_REAL_IP="203.0.113.30")
    assert SignIn.objects.latest("at").outcome == SignIn.Outcome.SUCCESS


def test_an_editor_reads_their_own_sign_ins_and_nobody_elses(client, editor):
    make_editor("xiaoqian", PASSWORD)
    sign_in(Client(), "xiaoqian", "wrong", "203.0.113.40")
    sign_in(client, "xiaosun", PASSWORD, "203.0.113.41")
    index = text_of(client.get("/admin/"))
    assert "登录记录" in index
    page = client.get(RECORD)
    assert page.status_code == 200
    text = text_of(page)
    assert "xiaosun" in text and "登录成功" in text
    assert "xiaoqian" not in text and "203.0.113.40" not in text
    line = SignIn.objects.get(username="xiaoqian")
    assert client.get(f"{RECORD}{line.pk}/change/").status_code in (302, 404)


def test_an_administrator_reads_everyones_sign_ins(admin_client, editor):
    sign_in(Client(), "xiaosun", "wrong", "203.0.113.50")
    text = text_of(admin_client.get(RECORD))
    assert "xiaosun" in text and "用户名或密码错误" in text


def test_the_record_cannot_be_edited_or_deleted_through_the_admin(admin_client, editor):
    sign_in(Client(), "xiaosun", "wrong", "203.0.113.50")
    line = SignIn.objects.get(username="xiaosun")
    assert admin_client.get(f"{RECORD}add/").status_code == 403
    assert admin_client.post(f"{RECORD}{line.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"{RECORD}{line.pk}/change/", {"username": "someone-else"})
    line.refresh_from_db()
    assert line.username == "xiaosun"


@override_settings(KB_LOGIN_RECORD_DAYS=90)
def test_the_record_keeps_ninety_days(editor):
    old = SignIn.objects.create(
        username="xiaosun", outcome=SignIn.Outcome.SUCCESS, at=timezone.now() - timedelta(days=91)
    )
    kept = SignIn.objects.create(
        username="xiaosun", outcome=SignIn.Outcome.SUCCESS, at=timezone.now() - timedelta(days=89)
    )
    sign_in(Client(), "xiaosun", "wrong", "203.0.113.60")
    assert not SignIn.objects.filter(pk=old.pk).exists()
    assert SignIn.objects.filter(pk=kept.pk).exists()


def test_attempts_refused_during_a_pause_are_recorded_as_such(editor):
    for _ in range(6):
        sign_in(Client(), "xiaosun", "wrong", "203.0.113.70")
    outcomes = list(SignIn.objects.order_by("at", "id").values_list("outcome", flat=True))
    assert outcomes == [SignIn.Outcome.WRONG_PASSWORD] * 5 + [SignIn.Outcome.LOCKED]
