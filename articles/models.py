from __future__ import annotations

import uuid

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone

from kb import phones
from kb.text import SCRIPT_HANS, SCRIPT_HANT, fold, phone_digits

from .slugs import unique_slug


class LenderQuerySet(models.QuerySet):
    def with_published_articles(self):
        return self.filter(articles__status=Article.Status.PUBLISHED).distinct()


@reversion.register(follow=["aliases", "numbers"])
class Lender(models.Model):
    name = models.CharField("名称", max_length=50, unique=True, help_text="产品名称，如“微粒贷”")
    slug = models.SlugField(
        "网址名",
        max_length=80,
        unique=True,
        blank=True,
        help_text="留空则按拼音自动生成，如 weilidai",
    )
    operator = models.CharField(
        "运营机构", max_length=100, blank=True, help_text="放贷或运营的公司，如“微众银行”"
    )
    description = models.TextField("简介", blank=True, help_text="一两句话介绍这个产品")
    website = models.URLField("官方网站", blank=True)
    needs_review = models.BooleanField(
        "待核实",
        default=False,
        help_text="导入文章时自动新建的借贷产品会标记为待核实，请编辑补全资料后取消勾选",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LenderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "借贷产品"
        verbose_name_plural = "借贷产品"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name, Lender, instance=self, max_length=60)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:lender", kwargs={"slug": self.slug})

    def all_names(self) -> list[str]:
        """The name, the operator and every alias: what a reader may type for this lender."""
        names = [self.name]
        if self.operator:
            names.append(self.operator)
        names.extend(alias.name for alias in self.aliases.all())
        seen, unique = set(), []
        for name in names:
            if fold(name) not in seen:
                seen.add(fold(name))
                unique.append(name)
        return unique


@reversion.register()
class LenderAlias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "别名/简称"
        OPERATOR = "operator", "运营公司"
        BRAND = "brand", "母公司/品牌"
        ENGLISH = "english", "英文名"

    lender = models.ForeignKey(
        Lender, on_delete=models.CASCADE, related_name="aliases", verbose_name="借贷产品"
    )
    name = models.CharField("别名", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "别名"
        verbose_name_plural = "别名"
        constraints = [
            models.UniqueConstraint(fields=["lender", "name"], name="unique_alias_per_lender")
        ]

    def __str__(self) -> str:
        return self.name


class OfficialNumberQuerySet(models.QuerySet):
    def matching(self, number):
        """Numbers listed as `number` (text or a `kb.phones.Phone`). A landline without its
        area code, as a local call shows it, matches listed landlines ending with it."""
        phone = number if isinstance(number, phones.Phone) else phones.parse(number)
        if phone is None or len(phone.digits) < 5:
            return self.none()
        same = Q(digits=phone.digits)
        if phone.kind == phones.LANDLINE and not phone.area_code:
            lengths = [len(phone.digits) + 3, len(phone.digits) + 4]
            local = Q(digits__startswith="0", digits__endswith=phone.digits, length__in=lengths)
            return self.annotate(length=Length("digits")).filter(same | local)
        return self.filter(same)


@reversion.register()
class OfficialNumber(models.Model):
    lender = models.ForeignKey(
        Lender, on_delete=models.CASCADE, related_name="numbers", verbose_name="借贷产品"
    )
    number = models.CharField("号码", max_length=40, help_text="按官方公布的写法填写，如 95384")
    digits = models.CharField("纯数字", max_length=30, editable=False, db_index=True)
    purpose = models.CharField("用途", max_length=50, default="客服热线")
    source_name = models.CharField(
        "来源", max_length=200, help_text="公布这个号码的官方渠道，如“微众银行官网·联系我们”"
    )
    source_url = models.URLField("来源链接", blank=True)
    verified_on = models.DateField(
        "最近核实日期",
        null=True,
        blank=True,
        help_text="编辑亲自在来源处核对号码的日期；未核对请留空，页面会显示“待核实”",
    )

    objects = OfficialNumberQuerySet.as_manager()

    class Meta:
        ordering = ["lender", "purpose", "number"]
        verbose_name = "官方号码"
        verbose_name_plural = "官方号码"

    def __str__(self) -> str:
        return f"{self.lender} {self.number}"

    def save(self, *args, **kwargs):
        self.digits = phone_digits(self.number)
        super().save(*args, **kwargs)

    def clean(self):
        if len(phone_digits(self.number)) < 5:
            raise ValidationError({"number": "号码至少要有 5 位数字"})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def for_lender(self, lender):
        return self.filter(lender=lender)

    def latest_first(self):
        return self.order_by("-updated_at", "-id")


@reversion.register(follow=["sections"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审核"
        PUBLISHED = "published", "已发布"

    class Script(models.TextChoices):
        HANS = SCRIPT_HANS, "简体"
        HANT = SCRIPT_HANT, "繁體"

    title = models.CharField("标题", max_length=200)
    slug = models.SlugField(
        "网址名",
        max_length=120,
        unique=True,
        blank=True,
        help_text="留空则按标题拼音自动生成；发布后不可再改，以免读者的链接失效",
    )
    lender = models.ForeignKey(
        Lender,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        verbose_name="借贷产品",
        help_text="文章讲的是哪个产品的催收；通用文章可留空（并勾选“通用文章”）",
    )
    general = models.BooleanField(
        "通用文章",
        default=False,
        help_text="适用于各家借贷产品、不讲某一家的文章（如投诉渠道、法律常识）；勾选后不选借贷产品也能发布",
    )
    summary = models.TextField("摘要", blank=True, help_text="一两句话，显示在搜索结果和列表里")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    script = models.CharField(
        "原文字体",
        max_length=4,
        choices=Script.choices,
        default=Script.HANS,
        help_text="编辑写作时使用的字体；读者可切换显示，原文按原样保存",
    )
    source = models.CharField(
        "来源", max_length=255, blank=True, help_text="“原创”，或导入的文件名"
    )
    import_flags = models.JSONField(
        "待处理问题",
        default=list,
        blank=True,
        help_text="导入时发现、需要编辑处理的问题（如乱码“?”、自动生成的标题）",
    )
    review_note = models.TextField(
        "审核意见", blank=True, help_text="审核人退回修改时写给编辑的话；文章发布时清空"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "文章"
        verbose_name_plural = "文章"
        # The 审核 role (articles.editors.REVIEWER_GROUP): only holders put an article in
        # front of readers or change one that is there.
        permissions = [("publish_article", "可以发布文章（审核）")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.title, Article, instance=self, max_length=80)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


@reversion.register()
class Section(models.Model):
    class Kind(models.TextChoices):
        BACKGROUND = "background", "背景介绍"
        ORIGIN = "origin", "来电来源"
        CALL_METHODS = "call_methods", "打出地点与方式"
        LEGALITY = "legality", "合法性"
        COPING = "coping", "应对策略"
        RISKS = "risks", "风险与注意事项"
        SUMMARY = "summary", "总结"
        OTHER = "other", "其他"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="sections", verbose_name="文章"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    heading = models.CharField("小标题", max_length=200, help_text="按原文写的小标题")
    body = models.TextField("正文", blank=True, help_text="支持 Markdown：空行分段，- 开头为列表")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "段落"
        verbose_name_plural = "段落"

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """Fragment id of this section on its article page, e.g. legality-12."""
        return f"{self.kind.replace('_', '-')}-{self.pk}"


class ConversionOverride(models.Model):
    """An editor's fix for script conversion: how a term must read in each variant."""

    hans = models.CharField("简体写法", max_length=50, unique=True)
    hant = models.CharField("繁體（台灣）写法", max_length=50)
    hk = models.CharField(
        "繁體（香港）写法", max_length=50, blank=True, help_text="留空则同台湾写法"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["hans"]
        verbose_name = "字体转换修正"
        verbose_name_plural = "字体转换修正"

    def __str__(self) -> str:
        return f"{self.hans} → {self.hant}"


class Synonym(models.Model):
    """A group of terms search treats as one (催收 / 催款)."""

    terms = models.CharField(
        "同义词", max_length=300, unique=True, help_text="用逗号或空格分隔，如：暴力催收, 违规催收"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = "同义词"
        verbose_name_plural = "同义词"

    def __str__(self) -> str:
        return self.terms


class SearchMiss(models.Model):
    """A query that found nothing, folded; counts only, no reader data."""

    query = models.CharField("搜索词（已归一）", max_length=100, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    first_seen = models.DateTimeField("首次", auto_now_add=True)
    last_seen = models.DateTimeField("最近", auto_now=True)

    class Meta:
        ordering = ["-count", "-last_seen"]
        verbose_name = "无结果搜索"
        verbose_name_plural = "无结果搜索"

    def __str__(self) -> str:
        return self.query


class Feedback(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="feedback", verbose_name="文章"
    )
    helpful = models.BooleanField("有帮助")
    comment = models.TextField("留言", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "读者反馈"
        verbose_name_plural = "读者反馈"

    def __str__(self) -> str:
        return f"{self.article} {'👍' if self.helpful else '👎'}"


class IndexTask(models.Model):
    """An article whose search-index entry is not yet known to match the database.

    Written in the same transaction as the save that makes it necessary and removed only once
    the index holds the article as saved, so a process killed in between loses nothing.
    """

    class Reason(models.TextChoices):
        SAVED = "saved", "文章或段落已保存"
        DELETED = "deleted", "文章或段落已删除"
        LENDER = "lender", "借贷产品资料已修改"
        REQUESTED = "requested", "手动要求更新"

    # A plain number, not a foreign key: a deleted article's entry must still be removed.
    article_id = models.BigIntegerField("文章编号", unique=True)
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    # Replaced by every new request for the same article: the drainer removes a row only if
    # nobody asked again while it was indexing.
    token = models.UUIDField("请求标记", default=uuid.uuid4)
    created_at = models.DateTimeField("排队时间", default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField("失败次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "待更新索引"
        verbose_name_plural = "待更新索引"

    def __str__(self) -> str:
        return f"文章 {self.article_id}（{self.get_reason_display()}）"


class NumberReportQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(status=NumberReport.Status.SHOWN)


class NumberReport(models.Model):
    """A reader's “这个号码打给我了”: a number no lender publishes called about a lender.

    No account and no address: the client is a salted hash (`kb.ratelimit.client_key`), one
    report per client and number. Readers see only counts of approved reports, never the
    reports themselves, and never as “official”.
    """

    class Said(models.TextChoices):
        COLLECTION = "collection", "自称催收"
        COURT = "court", "自称法院、律师或公安"
        TRANSFER = "transfer", "要求转账"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        SHOWN = "shown", "已公开计数"
        HIDDEN = "hidden", "已隐藏"

    digits = models.CharField(
        "号码", max_length=20, db_index=True, help_text="纯数字，不带 +86 和分机号"
    )
    lender = models.ForeignKey(
        Lender,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="number_reports",
        verbose_name="对方提到的借贷产品",
        help_text="留空表示读者不确定",
    )
    said = models.CharField("对方说了什么", max_length=12, choices=Said.choices)
    status = models.CharField(
        "状态",
        max_length=8,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="只有“已公开计数”的报告计入页面上的人数",
    )
    client = models.CharField("读者（加盐散列）", max_length=64, editable=False)
    created_at = models.DateTimeField("首次报告", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)

    objects = NumberReportQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "读者来电报告"
        verbose_name_plural = "读者来电报告"
        constraints = [
            models.UniqueConstraint(fields=["digits", "client"], name="one_report_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.digits} {self.get_said_display()}"


from .signins import SignIn  # noqa: E402,F401  (the login record: articles/signins.py)
