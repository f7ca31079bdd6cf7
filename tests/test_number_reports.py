"""Readers' reports (“这个号码打给我了”): submitted without an account, bounded per client,
shown only as counts after an editor approves, moderated in the admin."""

import json
import re

import pytest
from django.urls import reverse

from articles.editors import make_editor
from articles.models import Lender, NumberReport
from tests.factories import make_lender

pytestmark = pytest.mark.django_db

URL = "/number/report/"
UNKNOWN = "13800138000"


def _report(client, n=UNKNOWN, lender="weilidai", said="collection", **extra):
    return client.post(URL, {"n": n, "lender": lender, "said": said}, **extra)


def _approve_all():
    NumberReport.objects.update(status=NumberReport.Status.SHOWN)


def _reports_section(html: str) -> str:
    match = re.search(r'<section class="number-reports".*?</section>', html, re.S)
    assert match, "no reports section on the page"
    return match.group()


# Submitting


def test_a_reader_reports_an_unknown_number_without_an_account(client):
    response = _report(client, n="+86 138-0013-8000")
    assert response.status_code == 302
    assert response["Location"] == "/number/?n=13800138000#number-reports"
    report = NumberReport.objects.get()
    assert (report.digits, report.lender.slug, report.said) == (UNKNOWN, "weilidai", "collection")
    assert report.status == NumberReport.Status.PENDING
    thanks = client.get("/number/", {"n": UNKNOWN}).content.decode()
    assert "报告已收到" in _reports_section(thanks)


def test_nothing_about_the_reader_is_kept_but_a_salted_hash(client):
    _report(client, REMOTE_ADDR="203.0.113.7")
    report = NumberReport.objects.get()
    assert re.fullmatch(r"[0-9a-f]{32}", report.client)
    row = NumberReport.objects.filter(pk=report.pk).values().get()
    assert not any("203.0.113" in str(value) for value in row.values())
    fields = {field.name for field in NumberReport._meta.get_fields()}
    assert fields == {
        "id",
        "digits",
        "lender",
        "said",
        "status",
        "client",
        "created_at",
        "updated_at",
    }


def test_a_reader_may_report_without_naming_a_lender(client):
    _report(client, lender="", said="transfer")
    assert NumberReport.objects.get().lender is None


def test_reporting_the_same_number_again_replaces_the_readers_report(client):
    _report(client)
    _approve_all()
    _report(client, said="court")
    report = NumberReport.objects.get()
    assert report.said == "court"
    assert report.status == NumberReport.Status.PENDING  # says something new: approve again


def test_three_hundred_reports_from_one_client_keep_at_most_the_limit(client, settings):
    settings.KB_NUMBER_REPORTS_PER_DAY = 10
    statuses = [
        _report(client, n=f"1380000{i:04d}", REMOTE_ADDR="198.51.100.9").status_code
        for i in range(300)
    ]
    assert NumberReport.objects.count() <= 10
    assert statuses.count(302) == 10 and statuses.count(429) == 290
    refused = _report(client, n="13900000000", REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
    assert "明天再来" in refused.content.decode()
    # another reader is not held back by the first
    assert _report(client, n="13900000000", REMOTE_ADDR="198.51.100.10").status_code == 302


def test_no_report_is_taken_while_too_many_wait_for_an_editor(client, settings):
    settings.KB_NUMBER_REPORTS_MAX_PENDING = 2
    _report(client, n="13900000001", REMOTE_ADDR="192.0.2.1")
    _report(client, n="13900000002", REMOTE_ADDR="192.0.2.2")
    response = _report(client, n="13900000003", REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 503
    assert NumberReport.objects.count() == 2


def test_a_listed_number_is_not_reported(client):
    response = _report(client, n="(+86)95384")
    assert response.status_code == 400
    assert "官方公布的号码" in response.content.decode()
    assert not NumberReport.objects.exists()


HOSTILE = [
    {"n": "9" * 10_000},
    {"n": "<script>alert(1)</script>"},
    {"n": "2021-01-01"},
    {"n": "11010519491231002X"},
    {"n": "123"},
    {"n": ""},
    {"said": "管理员"},
    {"said": "x" * 10_000},
    {"said": ""},
    {"lender": "../../etc/passwd"},
    {"lender": "no-such-lender"},
    {"lender": "x" * 10_000},
]


@pytest.mark.parametrize("override", HOSTILE)
def test_bad_reports_get_a_message_and_store_nothing(client, override):
    data = {"n": UNKNOWN, "lender": "weilidai", "said": "collection", **override}
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "<script>alert" not in html
    assert not NumberReport.objects.exists()


def test_reports_are_posted_only(client):
    assert client.get(URL, {"n": UNKNOWN, "said": "collection"}).status_code == 405
    assert not NumberReport.objects.exists()


def test_a_report_from_this_sites_page_needs_no_token():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = _report(browser, headers={"origin": "http://testserver"})
    assert response.status_code == 302
    assert NumberReport.objects.count() == 1


def test_a_report_another_site_makes_a_browser_send_is_refused():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = _report(browser, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403
    response = _report(browser, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert not NumberReport.objects.exists()


# What readers see


def test_reports_are_not_shown_until_an_editor_approves_them(client):
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _report(client, REMOTE_ADDR=address)
    section = _reports_section(client.get("/number/", {"n": UNKNOWN}).content.decode())
    assert "还没有经过审核的读者报告" in section
    assert "位读者报告" not in section
    _approve_all()
    section = _reports_section(client.get("/number/", {"n": UNKNOWN}).content.decode())
    assert "3 位读者报告这个号码自称微粒贷催收" in section
    assert "我们无法核实" in section
    assert "官方" not in section.split("<form")[0].replace("不是官方信息", "")


def test_hidden_reports_are_never_counted(client):
    _report(client, REMOTE_ADDR="192.0.2.1")
    _report(client, REMOTE_ADDR="192.0.2.2")
    _approve_all()
    NumberReport.objects.filter(pk=NumberReport.objects.first().pk).update(
        status=NumberReport.Status.HIDDEN
    )
    section = _reports_section(client.get("/number/", {"n": UNKNOWN}).content.decode())
    assert "1 位读者报告" in section


def test_counts_are_given_per_lender_and_what_was_said(client):
    _report(client, REMOTE_ADDR="192.0.2.1")
    _report(client, REMOTE_ADDR="192.0.2.2", said="court")
    _report(client, REMOTE_ADDR="192.0.2.3", lender="", said="transfer")
    _approve_all()
    section = _reports_section(client.get("/number/", {"n": UNKNOWN}).content.decode())
    assert "1 位读者报告这个号码自称微粒贷催收" in section
    assert "1 位读者报告这个号码自称法院、律师或公安，提到微粒贷" in section
    assert "1 位读者报告这个号码要求转账" in section


def test_counts_and_form_in_traditional_script(client):
    _report(client)
    _approve_all()
    section = _reports_section(client.get("/zh-hant/number/", {"n": UNKNOWN}).content.decode())
    assert "1 位讀者報告這個號碼自稱微粒貸催收" in section
    assert "我們無法核實" in section
    assert "這個號碼打給我了" in section
    assert ">微粒貸</option>" in section


def test_the_form_is_on_the_number_check_and_the_search_answer_card(client, search_index):
    check = _reports_section(client.get("/number/", {"n": "021-12345678"}).content.decode())
    card = _reports_section(client.get("/search/", {"q": "021-12345678"}).content.decode())
    for html in (check, card):
        assert f'action="{reverse("articles:number_report")}"' in html
        assert 'name="csrfmiddlewaretoken"' not in html  # the search page is cached for all
        assert '<input type="hidden" name="n" value="02112345678">' in html
        assert 'value="weilidai"' in html and 'value="collection"' in html


def test_a_listed_number_offers_no_report_form(client):
    html = client.get("/number/", {"n": "95384"}).content.decode()
    assert "number-reports" not in html


def test_the_api_gives_approved_counts_only(client, search_index):
    _report(client, REMOTE_ADDR="192.0.2.1")
    _report(client, REMOTE_ADDR="192.0.2.2")
    body = json.loads(client.get("/api/search/", {"q": UNKNOWN}).content)
    assert body["number"]["reports"] == []
    _approve_all()
    body = json.loads(client.get("/api/search/", {"q": UNKNOWN}).content)
    assert body["number"]["reports"] == [{"lender": "微粒贷", "said": "collection", "count": 2}]
    assert body["number"]["listed"] is False and body["number"]["lender"] is None


# Editors


@pytest.fixture
def editor_client(client):
    user, _ = make_editor("xiaoli", "Shenhe-2026-bianji!")
    client.force_login(user)
    return client


def _act(editor_client, action, reports):
    return editor_client.post(
        "/admin/articles/numberreport/",
        {"action": action, "_selected_action": [report.pk for report in reports]},
        follow=True,
    )


def _reports_from(addresses, client, **kw):
    for address in addresses:
        _report(client, REMOTE_ADDR=address, **kw)


def test_editors_see_reports_and_approve_or_hide_them(client, editor_client):
    _reports_from(["192.0.2.1", "192.0.2.2"], client)
    listing = editor_client.get("/admin/articles/numberreport/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert UNKNOWN in html and "自称催收" in html and "待审核" in html
    first, second = NumberReport.objects.order_by("pk")
    _act(editor_client, "show", [first, second])
    _act(editor_client, "hide", [second])
    statuses = list(NumberReport.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["shown", "hidden"]
    section = _reports_section(client.get("/number/", {"n": UNKNOWN}).content.decode())
    assert "1 位读者报告" in section


def test_editors_merge_one_number_typed_two_ways(client, editor_client):
    _reports_from(["192.0.2.1", "192.0.2.2"], client, n="13800138000")
    _reports_from(["192.0.2.1", "192.0.2.3"], client, n="1380013800")  # one digit lost
    response = _act(editor_client, "merge_numbers", NumberReport.objects.all())
    assert "已合并到 13800138000" in response.content.decode()
    # 192.0.2.1 reported both: its second report is a duplicate
    assert sorted(NumberReport.objects.values_list("digits", flat=True)) == [UNKNOWN] * 3


def test_editors_merge_one_lender_named_two_ways(client, editor_client):
    make_lender("测微粒")
    _reports_from(["192.0.2.1", "192.0.2.2"], client)
    _reports_from(["192.0.2.3"], client, lender=Lender.objects.get(name="测微粒").slug)
    _act(editor_client, "merge_lenders", NumberReport.objects.all())
    assert set(NumberReport.objects.values_list("lender__slug", flat=True)) == {"weilidai"}


def test_editors_cannot_add_reports_by_hand(editor_client):
    assert editor_client.get("/admin/articles/numberreport/add/").status_code == 403
