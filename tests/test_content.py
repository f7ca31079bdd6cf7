"""What the site publishes is in force: the names, rules and numbers readers act on.

Published text here means the demo articles (`articles/demo/`), the templates and the
traditional interface catalogue. Sources for every fact are listed in docs/sources.md.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles.demo_content import LEGAL_PAGE_SLUG, load_demo, read_demo_documents
from articles.models import OfficialNumber
from kb.text import fold

DOCUMENTS = read_demo_documents()
DOC_IDS = [name for name, _doc in DOCUMENTS]
LEGAL_LINK = f"](/articles/{LEGAL_PAGE_SLUG}/)"
SENTENCE_END = re.compile(r"[。！？；\n]")
NOT_LEGAL_ADVICE = re.compile(r"(不构成|并非|不是|不等于|不能替代)[^。！？]*法律意见")


def _doc_text(doc) -> str:
    return "\n".join([doc.title, doc.summary, *(f"{s.heading}\n{s.body}" for s in doc.sections)])


def _published_texts() -> list[tuple[str, str]]:
    texts = [(f"articles/demo/{name}", _doc_text(doc)) for name, doc in DOCUMENTS]
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        texts.append((str(path.relative_to(settings.BASE_DIR)), path.read_text("utf-8")))
    catalogue = Path(settings.BASE_DIR, "locale/zh_Hant/LC_MESSAGES/django.po")
    msgstrs = re.findall(r'^msgstr(?:\[\d+\])? "(.*)"$', catalogue.read_text("utf-8"), re.M)
    texts.append((str(catalogue.relative_to(settings.BASE_DIR)), "\n".join(msgstrs)))
    return texts


def _sentences_with(pattern: str) -> list[tuple[str, str]]:
    """(where, sentence) for every published sentence matching `pattern`, in either script."""
    found = []
    for where, text in _published_texts():
        for sentence in SENTENCE_END.split(fold(text)):
            if re.search(pattern, sentence):
                found.append((where, sentence.strip()))
    return found


# Names that were replaced: each may appear only where the text says it was replaced.


def test_the_contract_law_is_never_cited_as_in_force():
    stale = [hit for hit in _sentences_with("合同法") if not re.search(r"废止|取代|失效", hit[1])]
    assert stale == []


def test_the_banking_and_insurance_commission_is_never_named_as_the_current_regulator():
    old_names = r"银保监|银监会|保监会|中国银行保险监督管理委员会"
    stale = [
        hit
        for hit in _sentences_with(old_names)
        if not re.search(r"原|旧|前身|取代|撤销|不再保留", hit[1])
    ]
    assert stale == []


def test_12378_is_called_by_its_current_name():
    assert _sentences_with("金融消费者投诉热线") == []
    wrong = [
        hit
        for hit in _sentences_with(r"12378")
        if "热线" in hit[1] and "银行保险消费者投诉维权热线" not in hit[1]
    ]
    assert wrong == []


def test_the_collection_guideline_is_cited_as_the_national_standard():
    # The old self-regulatory text shares the standard's title; only GB/T 45251—2025 is in force.
    stale = [hit for hit in _sentences_with("贷后催收风控指引") if "45251" not in hit[1]]
    assert stale == []


def test_12363_is_never_given_a_role_the_site_has_not_checked():
    unchecked = []
    for name, doc in DOCUMENTS:
        for section in doc.sections:
            for paragraph in fold(section.body).split("\n\n"):
                if "12363" in paragraph and "核实" not in paragraph:
                    unchecked.append((name, paragraph))
    assert unchecked == []


# The rules in force are cited by name, number and date.


def _doc(slug):
    return next(doc for _name, doc in DOCUMENTS if doc.slug == slug)


def test_the_legal_page_cites_the_national_standard_and_the_2026_guideline():
    text = _doc_text(_doc(LEGAL_PAGE_SLUG))
    assert "GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》" in text
    assert "2025 年 2 月 28 日" in text
    assert "《金融机构个人消费类贷款催收工作指引（试行）》" in text
    assert "2026 年 1 月 30 日" in text
    assert "《消费金融公司管理办法》（国家金融监督管理总局令 2024 年第 4 号）" in text


def test_the_night_calls_article_cites_the_hours_and_call_limits_in_force():
    text = fold(_doc_text(_doc("jingdong-jintiao-cuishou-yejian-pinfan-laidian")))
    assert not re.search(r"没有[^。]*规定[^。]*(钟点|时段|次数)", text)
    assert "22:00" in text and "6 次" in text
    assert fold("GB/T 45251—2025") in text


@pytest.mark.parametrize(
    "slug",
    [
        "zhaolian-haoqidai-xieshang-huankuan",
        "anyihua-cuishou-yu-zhapian-fenbian",
        "jiebei-cuishou-jinji-lianxiren-tongxunlu",
        "huabei-yuqi-cuishou-jingguo",
    ],
)
def test_consumer_finance_company_articles_cite_the_rules_that_govern_them(slug):
    text = fold(_doc_text(_doc(slug)))
    assert "《消费金融公司管理办法》" in text
    assert "2024 年 4 月 18 日" in text


# Every article: not legal advice, and the shared legal page one click away.


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_every_article_says_it_is_not_legal_advice_and_links_the_legal_page(name, doc):
    assert NOT_LEGAL_ADVICE.search(fold(doc.sections[-1].body)), name
    if doc.slug != LEGAL_PAGE_SLUG:
        assert LEGAL_LINK in "\n".join(section.body for section in doc.sections), name


@pytest.mark.django_db
def test_a_reader_follows_the_link_from_an_article_to_the_legal_page(client):
    load_demo()
    article = client.get("/articles/jiebei-cuishou-jinji-lianxiren-tongxunlu/").content.decode()
    assert f'href="/articles/{LEGAL_PAGE_SLUG}/"' in article
    legal = client.get(f"/articles/{LEGAL_PAGE_SLUG}/")
    assert legal.status_code == 200
    assert "催收的法律底线" in legal.content.decode()
    traditional = client.get(f"/zh-hant/articles/{LEGAL_PAGE_SLUG}/").content.decode()
    assert "催收的法律底線" in traditional


@pytest.mark.django_db
def test_the_legal_page_is_linked_from_home_and_the_scam_guide(client):
    load_demo()
    legal_url = reverse("articles:article", args=[LEGAL_PAGE_SLUG])
    for url in (reverse("articles:home"), reverse("articles:scam_guide")):
        assert f'href="{legal_url}"' in client.get(url).content.decode(), url


# Numbers: an official number is stated only as verified as the registry says it is.


@pytest.mark.django_db
def test_a_quoted_number_is_marked_unverified_until_the_registry_has_a_date():
    load_demo()
    verified = set(
        OfficialNumber.objects.exclude(verified_on=None).values_list("number", flat=True)
    )
    listed = set(OfficialNumber.objects.values_list("number", flat=True))
    wrong = []
    for name, doc in DOCUMENTS:
        for paragraph in fold(_doc_text(doc)).split("\n\n"):
            for number in listed:
                if not re.search(rf"(?<!\d){number}(?!\d)", paragraph):
                    continue
                says_pending = "待核实" in paragraph
                if says_pending == (number in verified):
                    wrong.append((name, number, paragraph))
    assert wrong == []


# Pages other than articles


@pytest.mark.django_db
def test_home_gives_12378_its_current_name_in_both_scripts(client):
    home = client.get(reverse("articles:home")).content.decode()
    assert "12378 银行保险消费者投诉维权热线" in home
    assert "金融消费者投诉热线" not in home
    hant = client.get("/zh-hant/").content.decode()
    assert "12378 銀行保險消費者投訴維權熱線" in hant


@pytest.mark.django_db
def test_the_scam_guide_says_how_to_check_a_court_text_or_lawyers_letter(client):
    html = client.get(reverse("articles:scam_guide")).content.decode()
    for phrase in ("传票", "律师函", "12368", "撤诉费", "个人账户"):
        assert phrase in html, phrase
    hant = client.get("/zh-hant/guides/scam-calls/").content.decode()
    assert "傳票" in hant and "律師函" in hant and "12368" in hant


@pytest.mark.django_db
def test_the_search_tips_use_an_obviously_fictitious_number(client):
    for url in ("/search/", "/zh-hant/search/"):
        html = client.get(url).content.decode()
        assert "400-000-0000" in html, url
        assert "400-888-8888" not in html, url
