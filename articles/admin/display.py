"""Read-only pieces of the article page: import problems and readers' feedback, as HTML."""

import re

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime

MAX_EXCERPT_CHARS = 300
LATEST_COMMENTS = 5

# ASCII and full-width question marks, and U+FFFD: where the importer lost characters.
_LOST_CHARS = re.compile(r"[?？\ufffd]+")


def highlight_lost_chars(text: str) -> SafeString:
    """Escape text and wrap each run of question marks in <mark>."""
    escaped = escape(Truncator(text).chars(MAX_EXCERPT_CHARS))
    return mark_safe(_LOST_CHARS.sub(lambda m: f"<mark>{m.group()}</mark>", escaped))


def _flag_parts(flag) -> tuple[str, str]:
    if isinstance(flag, dict):
        message = str(flag.get("message") or flag.get("code") or "需要编辑核对")
        return message, str(flag.get("excerpt") or "")
    return str(flag), ""


def render_import_flags(flags) -> SafeString:
    if not flags:
        return mark_safe("没有待处理的问题。")
    if not isinstance(flags, list):
        flags = [flags]
    items = []
    for flag in flags:
        message, excerpt = _flag_parts(flag)
        if excerpt:
            items.append(
                format_html(
                    '<li><span class="flag-message">{}</span>'
                    '<blockquote class="flag-excerpt">{}</blockquote></li>',
                    message,
                    highlight_lost_chars(excerpt),
                )
            )
        else:
            items.append(format_html('<li><span class="flag-message">{}</span></li>', message))
    return format_html(
        '<p class="flag-intro">导入时发现以下问题，请在正文中逐条核对（<mark>?</mark> 表示原文丢失的字）：</p>'
        '<ol class="import-flags">{}</ol>',
        mark_safe("".join(items)),  # each item built with format_html
    )


def render_feedback_summary(article) -> SafeString:
    counts = article.feedback.aggregate(
        up=Count("pk", filter=Q(helpful=True)), down=Count("pk", filter=Q(helpful=False))
    )
    latest = article.feedback.exclude(comment="").order_by("-created_at")[:LATEST_COMMENTS]
    comments = format_html_join(
        "",
        '<li>{} <span class="feedback-date">{}</span> {}</li>',
        (
            (
                "👍" if item.helpful else "👎",
                localtime(item.created_at).strftime("%Y-%m-%d"),
                Truncator(item.comment).chars(200),
            )
            for item in latest
        ),
    )
    link = reverse("admin:articles_feedback_changelist") + f"?article__id__exact={article.pk}"
    return format_html(
        '<p class="feedback-counts">👍 {} / 👎 {}</p>{}<p><a href="{}">查看全部反馈</a></p>',
        counts["up"],
        counts["down"],
        format_html('<ul class="feedback-comments">{}</ul>', comments) if comments else "",
        link,
    )
