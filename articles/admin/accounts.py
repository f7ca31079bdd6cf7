"""Accounts in the admin: the login record, and on the users list the two-step sign-in state
and the administrator's two remedies (end a login pause, forget a lost phone).

Other apps' admins (users, groups, login pauses) get the same search length limit.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as reset_login_pause
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import second_factor
from ..editors import is_administrator, needs_second_factor
from ..signins import SignIn
from .search import LimitedSearchMixin, limit_search

User = get_user_model()

# The record below replaces axes's own logs (switched off in settings); the devices are managed
# from the users list, so their secrets never show on a page.
for _model in (AccessLog, AccessFailureLog, TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(SignIn)
class SignInAdmin(LimitedSearchMixin, admin.ModelAdmin):
    """Read-only for everyone: editors see their own sign-ins, administrators everyone's."""

    list_display = ["at", "username", "outcome", "address", "browser"]
    list_filter = ["outcome", "at"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        return queryset.filter(username=request.user.get_username())

    def get_list_filter(self, request):
        return self.list_filter if is_administrator(request.user) else ["outcome"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description="两步验证")
def second_factor_state(user) -> str:
    if user_has_device(user):
        return "已启用"
    return "未启用（必须启用）" if needs_second_factor(user) else "未启用"


@admin.action(description="解除所选用户的登录暂停")
def end_login_pause(modeladmin, request, queryset):
    for user in queryset:
        reset_login_pause(username=user.get_username())
    messages.success(request, f"已解除 {queryset.count()} 个用户的登录暂停，他们现在可以再试。")


@admin.action(description="清除所选用户的两步验证（手机丢失时用；下次登录重新设置）")
def forget_second_factor(modeladmin, request, queryset):
    for user in queryset:
        second_factor.reset(user)
    messages.success(
        request,
        f"已清除 {queryset.count()} 个用户的验证器和恢复码。需要两步验证的用户下次登录时会被要求重新设置。",
    )


def _with_account_tools(model_admin_class):
    """The users admin Django registered, plus the two-step column and the two actions."""
    return type(
        "AccountsUserAdmin",
        (LimitedSearchMixin, model_admin_class),
        {
            "list_display": [*model_admin_class.list_display, second_factor_state],
            "actions": [
                *(model_admin_class.actions or []),
                end_login_pause,
                forget_second_factor,
            ],
        },
    )


_user_admin = type(admin.site.get_model_admin(User))
admin.site.unregister(User)
admin.site.register(User, _with_account_tools(_user_admin))

limit_search(Group, AccessAttempt)
