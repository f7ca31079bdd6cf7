from django.contrib import admin

from ..models import Section


class SectionKindFilter(admin.SimpleListFilter):
    title = "段落类型"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Section.Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Section.Kind.values:
            return queryset.filter(sections__kind=self.value()).distinct()
        return queryset


class ImportProblemsFilter(admin.SimpleListFilter):
    title = "导入问题"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return [("yes", "有待处理问题"), ("no", "没有问题")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(import_flags=[])
        if self.value() == "no":
            return queryset.filter(import_flags=[])
        return queryset
