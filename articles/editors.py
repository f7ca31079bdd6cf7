"""Editor accounts: staff users in the 编辑 group (created by migration 0003), and who among
the staff must sign in with a second factor."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

EDITOR_GROUP = "编辑"
# The reviewer's right to publish (issue 13's 审核 role). Until that permission exists nobody
# but a superuser holds it, and has_perm() is simply False for everyone else.
REVIEWER_PERMISSION = "articles.publish_article"


def is_administrator(user) -> bool:
    """A superuser, or anyone who may touch accounts (users, groups: a way to any right)."""
    return user.is_active and (user.is_superuser or user.has_module_perms("auth"))


def needs_second_factor(user) -> bool:
    """The one place that decides whose admin sign-in must include a one-time code.

    Administrators and reviewers: an account that can grant rights or publish to every reader.
    Other editors may enrol too (then their sign-in asks for the code as well).
    """
    return (
        user.is_active
        and user.is_staff
        and (is_administrator(user) or user.has_perm(REVIEWER_PERMISSION))
    )


def editor_group() -> Group:
    try:
        return Group.objects.get(name=EDITOR_GROUP)
    except Group.DoesNotExist as exc:
        raise ValidationError(
            f"找不到“{EDITOR_GROUP}”组，请先运行 python manage.py migrate"
        ) from exc


def user_exists(username: str) -> bool:
    return get_user_model().objects.filter(username=(username or "").strip()).exists()


@transaction.atomic
def make_editor(username: str, password: str | None = None):
    """Create (or promote) a staff user in the 编辑 group; returns (user, created).

    A new user needs a password, checked by the project's password validators. An existing
    user keeps the password it has; it is only made staff and added to the group.
    """
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError("请提供用户名")
    group = editor_group()
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
    user.groups.add(group)
    return user, created
