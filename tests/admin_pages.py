"""Driving the editors' admin as a browser would: its URLs, a page's form posted back, the
messages shown, and an article that passes the publishing checks."""

from __future__ import annotations

import re

from django.urls import reverse

from articles.models import Article, Lender, Section

LIST_URL = "/admin/articles/article/"
ADD_URL = "/admin/articles/article/add/"


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article) -> str:
    return reverse("admin:articles_article_history", args=[article.pk])


def version_links(client, article) -> list[str]:
    """The history page's links to each version, latest first."""
    page = client.get(history_url(article)).content.decode()
    return re.findall(r'href="(/admin/articles/article/\d+/history/\d+/)"', page)


def form_data_from(response) -> dict:
    """What a browser would post back from an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def make_article(sections=(("background", "背景", "一些背景。"),), **kw) -> Article:
    kw.setdefault("title", "测试文章")
    article = Article.objects.create(**kw)
    for order, (kind, heading, body) in enumerate(sections, start=1):
        Section.objects.create(article=article, kind=kind, heading=heading, body=body, order=order)
    return article


def ready_article(**kw) -> Article:
    """An article that passes the publishing checks (summary, a section, a lender)."""
    kw.setdefault("summary", "一两句话的摘要。")
    kw.setdefault("lender", Lender.objects.get(name="微粒贷"))
    return make_article(**kw)
