"""Small hand-written helpers that create content for tests (real rows in the test database)."""

from __future__ import annotations

import itertools

from articles.models import Article, Lender, LenderAlias, OfficialNumber, Section

_counter = itertools.count(1)


def make_lender(name: str | None = None, operator: str = "", aliases=(), **kw) -> Lender:
    """A lender; `aliases` are names (kind alias). Registry lenders exist already: pick a new name."""
    lender = Lender.objects.create(name=name or f"测试贷{next(_counter)}", operator=operator, **kw)
    for alias in aliases:
        LenderAlias.objects.create(lender=lender, name=alias)
    return lender


def make_number(lender: Lender, number: str, purpose: str = "客服热线", **kw) -> OfficialNumber:
    kw.setdefault("source_name", f"{lender.name}官方网站")
    return OfficialNumber.objects.create(lender=lender, number=number, purpose=purpose, **kw)


def make_article(
    title: str | None = None,
    lender: Lender | None = None,
    status: str = Article.Status.PUBLISHED,
    sections=(("background", "背景", "正文。"),),
    script: str = Article.Script.HANS,
    **kw,
) -> Article:
    """An article with `sections` given as (kind, heading, body) in order; published by default."""
    article = Article.objects.create(
        title=title or f"测试文章{next(_counter)}",
        lender=lender,
        status=status,
        script=script,
        **kw,
    )
    for order, (kind, heading, body) in enumerate(sections):
        Section.objects.create(article=article, kind=kind, heading=heading, body=body, order=order)
    return article
