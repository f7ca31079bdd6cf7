"""Forms behind the editors' admin: the rules an editor's input must pass, in Chinese."""

import re

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from .models import Article, Lender, OfficialNumber, Section, Synonym
from .workflow import publish_refusal

MARKDOWN_HELP = (
    "支持 Markdown：空一行开始新段落；“- ”或“1. ”开头为列表；**加粗**；"
    "“### ”开头为小标题；“> ”开头为引用；[文字](https://网址) 为链接。"
    "不支持 HTML 标签和脚本，写了也只会原样显示为文字。"
)
MAX_SUMMARY_CHARS = 2000
MAX_LENDER_DESCRIPTION_CHARS = 500  # “一两句话”, with room to spare


class ArticleAdminForm(forms.ModelForm):
    clear_flags = forms.BooleanField(
        label="问题已处理",
        required=False,
        help_text="已逐条核对并改好上面列出的导入问题后勾选；保存时会清除这些提示，之后才能发布。",
    )

    class Meta:
        model = Article
        fields = ["title", "lender", "summary", "status", "slug", "script", "source"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "slug": {
                "invalid": "网址名只能用英文小写字母、数字和连字符（-），如 weilidai-cuishou；留空则按标题拼音自动生成。"
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        summary = self.fields.get("summary")
        if summary is not None:
            summary.max_length = MAX_SUMMARY_CHARS
            summary.validators.append(MaxLengthValidator(MAX_SUMMARY_CHARS))
            summary.widget.attrs["maxlength"] = str(MAX_SUMMARY_CHARS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED:
            reason = publish_refusal(self.instance, clearing_flags=cleaned.get("clear_flags"))
            if reason:
                self.add_error("status", reason)
        return cleaned


class SectionInlineForm(forms.ModelForm):
    order = forms.IntegerField(
        label="顺序",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="数字小的排在前面；留空则排在最后。用 10、20、30 编号，以后方便插到中间。",
        widget=forms.NumberInput(attrs={"class": "section-order"}),
    )
    body = forms.CharField(
        label="正文",
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField section-body"}),
    )

    class Meta:
        model = Section
        fields = ["order", "kind", "heading", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength on the textarea: a browser would cut pasted text without a word.
        limit = settings.KB_MAX_SECTION_CHARS
        self.fields["body"].help_text = f"{MARKDOWN_HELP}每段最多 {limit} 字。"

    def clean_body(self):
        body = self.cleaned_data["body"]
        limit = settings.KB_MAX_SECTION_CHARS
        if len(body) > limit:
            raise forms.ValidationError(
                f"这一段正文有 {len(body)} 字，超过了每段 {limit} 字的上限："
                "请删减，或把它分成几段（每段有自己的小标题）。"
            )
        return body


class SectionFormSet(forms.BaseInlineFormSet):
    """Sections of one article: how many, and how long all together (settings.KB_MAX_*)."""

    def clean(self):
        super().clean()
        bodies = [
            form.cleaned_data.get("body") or ""
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        if len(bodies) > settings.KB_MAX_SECTIONS:
            raise forms.ValidationError(
                f"一篇文章最多 {settings.KB_MAX_SECTIONS} 段，现在有 {len(bodies)} 段："
                "请合并几段，或把内容分成几篇文章。"
            )
        chars = sum(len(body) for body in bodies)
        if chars > settings.KB_MAX_ARTICLE_CHARS:
            raise forms.ValidationError(
                f"全文正文共 {chars} 字，超过了一篇文章 {settings.KB_MAX_ARTICLE_CHARS} 字的上限："
                "请删减，或把内容分成几篇文章。"
            )


def https_url_fields(db_field, **kwargs):
    """Form fields for a model, with https as the scheme assumed for a bare domain."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class OfficialNumberInlineForm(forms.ModelForm):
    class Meta:
        model = OfficialNumber
        formfield_callback = https_url_fields
        fields = ["number", "purpose", "source_name", "source_url", "verified_on"]
        error_messages = {
            "source_name": {
                "required": (
                    "没有来源的号码不能录入：请填写公布这个号码的官方渠道"
                    "（如“微众银行官网·联系我们”），最好再附上来源链接。"
                )
            }
        }


class LenderAdminForm(forms.ModelForm):
    class Meta:
        model = Lender
        formfield_callback = https_url_fields
        fields = ["name", "slug", "operator", "description", "website", "needs_review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields.get("description")
        if description is not None:
            description.max_length = MAX_LENDER_DESCRIPTION_CHARS
            description.validators.append(MaxLengthValidator(MAX_LENDER_DESCRIPTION_CHARS))
            description.widget.attrs["maxlength"] = str(MAX_LENDER_DESCRIPTION_CHARS)


_TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_terms(text: str) -> list[str]:
    """Terms of a synonym group as an editor typed them (commas, 、 or spaces between)."""
    seen, terms = set(), []
    for term in _TERM_SEPARATORS.split(text or ""):
        if term and term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms"]

    def clean_terms(self):
        terms = split_terms(self.cleaned_data["terms"])
        if len(terms) < 2:
            raise forms.ValidationError("同义词至少要有两个词，用逗号分隔，如：催收, 催款")
        return ", ".join(terms)
