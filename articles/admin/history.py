import reversion
from django.contrib.admin.utils import unquote
from reversion.admin import VersionAdmin
from reversion.models import Version


class BaselineVersionAdmin(VersionAdmin):
    """VersionAdmin that also keeps what an object looked like before its first admin edit.

    Imported articles, demo content and the lender registry are written outside the admin,
    so they have no version yet; without this, an editor's first change could not be undone.
    """

    baseline_comment = "编辑前的原始内容（导入、演示数据或内置资料）"
    history_latest_first = True

    def ensure_baseline(self, obj) -> None:
        if obj is None or Version.objects.get_for_object(obj).exists():
            return
        with reversion.create_revision():
            reversion.add_to_revision(obj)
            reversion.set_comment(self.baseline_comment)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self.ensure_baseline(self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)
