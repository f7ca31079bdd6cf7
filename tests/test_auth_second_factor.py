"""Two-step sign-in for the admin, driven through the real pages with real TOTP codes."""

import re

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.editors import make_editor, needs_second_factor
from articles.second_factor import new_recovery_codes
from articles.signins import SignIn
from tests.accounts import code_for, enrol, seconds_pass

pytestmark = pytest.mark.django_db

PASSWORD = "Feng-lin-2026-harbour"
VERIFY = "/admin/second-factor/"
SETUP = "/admin/second-factor/setup/"


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("laozhang", "z@example.com", PASSWORD)


@pytest.fixture
def editor():
    user, _ = make_editor("xiaowang", PASSWORD)
    return user


def sign_in(client, username):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302, "the password step itself should pass"
    return response


def landing(client, path="/admin/"):
    """Where a browser ends up asking for path (the last URL of the redirect chain)."""
    response = client.get(path, follow=True)
    return (response.redirect_chain[-1][0] if response.redirect_chain else path), response


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Who must have a second factor


def test_administrators_and_reviewers_need_a_second_factor_editors_may_choose(
    chief, editor, django_user_model
):
    assert needs_second_factor(chief)
    assert not needs_second_factor(editor)
    manager = django_user_model.objects.create_user("guanli", password=PASSWORD, is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert needs_second_factor(django_user_model.objects.get(pk=manager.pk))


def test_an_administrator_without_a_second_factor_cannot_reach_the_admin_index(client, chief):
    sign_in(client, "laozhang")
    url, response = landing(client, "/admin/")
    assert url.startswith(SETUP)
    assert "内容管理" not in response.content.decode()  # the index's title
    for path in ("/admin/articles/article/", "/admin/auth/user/", "/admin/password_change/"):
        url, _ = landing(client, path)
        assert url.startswith(SETUP), path


def test_an_administrator_enrols_with_a_real_code_and_gets_recovery_codes_once(client, chief):
    sign_in(client, "laozhang")
    url, page = landing(client, "/admin/")
    html = page.content.decode()
    assert "设置两步验证" in html
    assert "<svg" in html
    # Nothing inline for the CSP to block: no script without src, no style attribute.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html
    device = TOTPDevice.objects.get(user=chief, confirmed=False)
    secret = re.search(r'class="second-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post(url, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "验证码不对" in wrong.content.decode()
    assert landing(client, "/admin/")[0].startswith(SETUP)

    seconds_pass(5, device)
    done = client.post(url, {"code": code_for(device), "next": "/admin/"})
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", done.content.decode())
    assert len(codes) == 10
    assert "只显示这一次" in done.content.decode()
    assert landing(client, "/admin/")[0] == "/admin/"
    # Shown once: the status page tells how many are left, never the codes.
    status = client.get(SETUP).content.decode()
    assert "还剩 10 个恢复码" in status and codes[0] not in status


def test_right_password_and_wrong_code_is_refused(client, chief):
    device = enrol(chief)
    sign_in(client, "laozhang")
    url, _ = landing(client, "/admin/")
    assert url.startswith(VERIFY)
    accepted = {code_for(device, step) for step in (-1, 0, 1)}  # django-otp allows one step
    wrong = next(code for code in ("123456", "654321", "111111", "222222") if code not in accepted)
    response = client.post(VERIFY, {"code": wrong, "next": "/admin/"})
    assert response.status_code == 200
    assert "验证码不对" in text_of(response)
    assert landing(client, "/admin/")[0].startswith(VERIFY)
    assert (
        SignIn.objects.filter(username="laozhang", outcome=SignIn.Outcome.WRONG_CODE).count() == 1
    )


def test_right_password_and_right_code_reach_the_admin(client, chief):
    device = enrol(chief)
    sign_in(client, "laozhang")
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/auth/user/"})
    assert response.status_code == 302 and response["Location"] == "/admin/auth/user/"
    assert "内容管理" in client.get("/admin/").content.decode()
    assert SignIn.objects.filter(username="laozhang", outcome=SignIn.Outcome.SUCCESS).exists()


def test_a_code_cannot_be_used_twice(client, chief):
    device = enrol(chief)
    code = code_for(device)
    sign_in(client, "laozhang")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "laozhang")
    assert "验证码不对" in text_of(client.post(VERIFY, {"code": code}))


def test_a_recovery_code_works_once(client, chief):
    enrol(chief)
    sign_in(client, "laozhang")
    codes = new_recovery_codes(chief)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "还剩 9 个" in text_of(response)
    client.logout()

    sign_in(client, "laozhang")
    assert "验证码不对" in text_of(client.post(VERIFY, {"code": codes[0]}))
    assert landing(client, "/admin/")[0].startswith(VERIFY)
    seconds_pass(5, *StaticDevice.objects.filter(user=chief))
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=chief).count() == 8


def test_new_recovery_codes_replace_the_old_ones(client, chief):
    device = enrol(chief)
    sign_in(client, "laozhang")
    client.post(VERIFY, {"code": code_for(device)})
    old = new_recovery_codes(chief)
    page = client.post("/admin/second-factor/recovery-codes/").content.decode()
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    sign_in(client, "laozhang")
    assert "验证码不对" in text_of(client.post(VERIFY, {"code": old[0]}))


def test_a_password_alone_cannot_replace_the_authenticator(client, chief):
    # An attacker who knows the password must not be able to enrol a phone of their own.
    enrol(chief)
    sign_in(client, "laozhang")
    response = client.get(SETUP + "?replace=1")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post("/admin/second-factor/recovery-codes/").status_code == 302
    assert TOTPDevice.objects.filter(user=chief).count() == 1
    assert not StaticToken.objects.filter(device__user=chief).exists()


def test_many_wrong_codes_make_the_authenticator_wait(client, chief):
    device = enrol(chief)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=10)
    device.refresh_from_db()
    device.throttle_increment()  # the 11th wrong code, now: the next try must wait 1024 s
    sign_in(client, "laozhang")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "输错的次数太多" in text_of(response)
    assert landing(client, "/admin/")[0].startswith(VERIFY)


def test_after_the_code_the_next_page_stays_on_this_site(client, chief):
    device = enrol(chief)
    sign_in(client, "laozhang")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_the_login_page_sends_a_half_signed_in_user_to_the_code(client, chief):
    enrol(chief)
    sign_in(client, "laozhang")
    response = client.get("/admin/login/?next=/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Fadmin%2Farticles%2Farticle%2F"
    page = client.get(response["Location"])
    assert "输入验证码" in page.content.decode() and "恢复码" in page.content.decode()


def test_a_half_signed_in_user_can_sign_out(client, chief):
    sign_in(client, "laozhang")
    page = client.get(SETUP).content.decode()
    assert 'action="/admin/logout/"' in page
    response = client.post("/admin/logout/")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert landing(client, "/admin/")[0].startswith("/admin/login/")


def test_an_editor_signs_in_with_the_password_alone_until_they_enrol(client, editor):
    sign_in(client, "xiaowang")
    assert landing(client, "/admin/")[0] == "/admin/"
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/second-factor/setup/"' in index  # offered in the user links

    page = client.get(SETUP).content.decode()
    assert "两步验证让别人即使知道了你的密码也登录不了" in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    done = client.post(SETUP, {"code": code_for(device)})
    assert "只显示这一次" in done.content.decode()
    client.logout()

    sign_in(client, "xiaowang")
    assert landing(client, "/admin/")[0].startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_for(device, 1)}).status_code == 302
    assert landing(client, "/admin/")[0] == "/admin/"


def test_an_administrator_clears_a_lost_phone_and_the_user_enrols_again(
    client, admin_client, editor
):
    enrol(editor)
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "forget_second_factor", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "已清除 1 个用户的验证器和恢复码" in text_of(response)
    assert not TOTPDevice.objects.filter(user=editor).exists()
    sign_in(client, "xiaowang")
    assert landing(client, "/admin/")[0] == "/admin/"


def test_the_users_list_shows_who_has_a_second_factor(admin_client, editor):
    page = text_of(admin_client.get("/admin/auth/user/"))
    assert "两步验证" in page
    assert "已启用" in page  # the admin_client's own account
    assert "未启用" in page  # the editor's
