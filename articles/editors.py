"""Editor accounts: staff users in the 编辑 group (created by migration 0003), reviewers in
the 审核 group (migration 0010, holding articles.publish_article), and who among the staff must
sign in with a second factor."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

EDITOR_GROUP = "编辑"
REVIEWER_GROUP = "审核"
# The reviewer's right to publish: to put an article in front of readers, change or withdraw
# one that is there, or send one back to its editor.
REVIEWER_PERMISSION = "articles.publish_article"


def is_administrator(user) -> bool:
    """A superuser, or anyone who may touch accounts (users, groups: a way to any right)."""
    return user.is_active and (user.is_superuser or user.has_module_perms("auth"))


def may_publish(user) -> bool:
    """A reviewer or an administrator: the one place that decides who publishes."""
    return (
        user.is_active
        and user.is_staff
        and (is_administrator(user) or user.has_perm(REVIEWER_PERMISSION))
    )


def needs_second_factor(user) -> bool:
    """The one place that decides whose admin sign-in must include a one-time code.

    Administrators and reviewers: an account that can grant rights or publish to every reader.
    Other editors may enrol too (then their sign-in asks for the code as well).
    """
    return may_publish(user)


def _group(name: str) -> Group:
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist as exc:
        raise ValidationError(f"找不到“{name}”组，请先运行 python manage.py migrate") from exc


def editor_group() -> Group:
    return _group(EDITOR_GROUP)


def user_exists(username: str) -> bool:
    return get_user_model().objects.filter(username=(username or "").strip()).exists()


@transaction.atomic
def make_editor(username: str, password: str | None = None, reviewer: bool = False):
    """Create (or promote) a staff user in the 编辑 group, and with `reviewer` in the 审核
    group too; returns (user, created).

    A new user needs a password, checked by the project's password validators. An existing
    user keeps the password it has; it is only made staff and added to the group(s).
    """
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError("请提供用户名")
    groups = [editor_group(), *([_group(REVIEWER_GROUP)] if reviewer else [])]
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
        user.full_clean(exclude=["password"])
        if not password:
            raise ValidationError("新用户需要密码")
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = True
    user.save()
    user.groups.add(*groups)
    return user, created
