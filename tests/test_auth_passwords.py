"""Password rules in Chinese: for `create_editor` in a terminal and for the admin's user forms."""

import re
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


def _answers(monkeypatch, *passwords):
    answers = iter(passwords)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))


def test_create_editor_says_a_short_password_is_too_short_in_chinese(monkeypatch):
    _answers(monkeypatch, "abc", "abc")
    with pytest.raises(CommandError) as refused:
        call_command("create_editor", "xiaochen")
    assert str(refused.value) == "没有创建账号：密码太短，至少要有 8 个字符。这个密码太常见了。"
    assert not get_user_model().objects.filter(username="xiaochen").exists()


def test_create_editor_in_a_real_terminal_prints_no_english(tmp_path):
    env = {"KB_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "PATH": "/usr/bin:/bin"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    # No terminal: getpass reads the two answers from standard input.
    result = subprocess.run(
        [*manage, "create_editor", "xiaochen"],
        cwd=BASE_DIR,
        env=env,
        input="12345678\n12345678\n",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message == "CommandError: 没有创建账号：这个密码太常见了。密码只包含数字。"


def test_the_admin_says_the_password_rules_in_chinese(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "xiaochen", "password1": "abc", "password2": "abc", "usable_password": "true"},
    )
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "密码太短，至少要有 8 个字符。" in page
    assert "This password" not in page
    assert "创建用户后，就能编辑更多用户选项。" in page


@pytest.mark.parametrize("app", ["auth", "admin"])
def test_what_django_translates_for_traditional_readers_it_translates_for_simplified(app):
    # Django's zh_Hans catalogues lag its zh_Hant ones after a release changes an English
    # message; locale/zh_Hans fills the gap. A Django upgrade that opens a new one fails here.
    catalogue = Path(django.__file__).parent / f"contrib/{app}/locale/zh_Hant/LC_MESSAGES/django.po"
    untranslated = []
    with translation.override("zh-hans"):
        for entry in polib.pofile(str(catalogue)):
            traditional = entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr
            if entry.obsolete or not entry.msgid or traditional in ("", entry.msgid):
                continue  # the header, or a message that reads the same in every language
            if entry.msgid_plural:
                english = entry.msgid_plural
                shown = translation.ngettext(entry.msgid, english, 2)
            else:
                english = entry.msgid
                shown = (
                    translation.pgettext(entry.msgctxt, english)
                    if entry.msgctxt
                    else translation.gettext(english)
                )
            if shown == english:
                untranslated.append(english)
    assert untranslated == []
