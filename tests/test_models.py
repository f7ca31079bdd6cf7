import pytest

from articles.models import Article, Lender, OfficialNumber, Section

pytestmark = pytest.mark.django_db


def test_registry_is_installed_by_migrate():
    assert Lender.objects.count() >= 20
    weilidai = Lender.objects.get(name="微粒贷")
    assert weilidai.operator == "微众银行"
    assert {"腾讯", "微众银行"} <= set(weilidai.aliases.values_list("name", flat=True))
    for number in OfficialNumber.objects.all():
        assert number.source_name


def test_article_slug_is_readable_pinyin():
    article = Article.objects.create(title="微粒贷催收电话是哪里打来的？")
    assert article.slug.startswith("weilidai-cuishou-dianhua")


def test_slugs_are_unique():
    first = Article.objects.create(title="有钱花催收")
    second = Article.objects.create(title="有钱花催收")
    assert first.slug != second.slug


def test_section_kinds():
    assert set(Section.Kind.values) == {
        "background",
        "origin",
        "call_methods",
        "legality",
        "coping",
        "risks",
        "summary",
        "other",
    }
