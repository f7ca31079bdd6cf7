import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Lender
from articles.numbers import MAX_INPUT_CHARS, NumberCheckForm
from tests.factories import make_article, make_lender, make_number

pytestmark = pytest.mark.django_db


URL = "/number/"


def _answer(response) -> str:
    """The answer section of the result page: what the reader is told about the number."""
    match = re.search(
        r'<section class="number-answer.*?</section>', response.content.decode(), re.S
    )
    assert match, "no answer section on the page"
    return match.group()


@pytest.fixture
def listed_400_number():
    lender = make_lender("测试贷", operator="测试消费金融公司")
    return make_number(
        lender,
        "400-888-8888",
        source_name="测试消费金融公司官网·联系我们",
        source_url="https://example.com/contact",
        verified_on=datetime.date(2026, 1, 15),
    )


@pytest.mark.parametrize("typed", ["95384", "９５３８４", "9 5 3 8 4", "+86 95384", " 95384 "])
def test_official_number_matches_in_any_format(client, typed):
    response = client.get(URL, {"n": typed})
    assert response.status_code == 200
    answer = _answer(response)
    assert "号码在官方公布列表中" in answer
    assert "微粒贷" in answer and "微众银行" in answer
    assert 'href="https://www.webank.com/"' in answer
    assert "待核实" in answer  # the registry number has not been checked by an editor yet


@pytest.mark.parametrize(
    "typed", ["400-888-8888", "4008888888", "+86 400 888 8888", "(400) 888 8888"]
)
def test_listed_400_number_shows_source_and_date_checked(client, listed_400_number, typed):
    answer = _answer(client.get(URL, {"n": typed}))
    assert "这是 测试贷（测试消费金融公司）公布的官方号码：客服热线" in answer
    assert '<a href="https://example.com/contact"' in answer
    assert "测试消费金融公司官网·联系我们" in answer
    assert "核实于 2026年1月15日" in answer
    assert "待核实" not in answer


def test_official_match_still_warns_about_spoofing(client):
    answer = _answer(client.get(URL, {"n": "95384"}))
    assert "改号软件" in answer
    assert "回拨" in answer or "自己拨打" in answer
    assert "安全" not in answer


def test_a_number_shared_by_several_lenders_lists_each(client):
    answer = _answer(client.get(URL, {"n": "95188"}))
    assert "借呗" in answer and "花呗" in answer


def test_unlisted_number_is_called_neither_scam_nor_safe(client):
    response = client.get(URL, {"n": "138 0013 8000"})
    assert response.status_code == 200
    answer = _answer(response)
    assert "这个号码不在我们收录的官方号码里" in answer
    assert "安全" not in answer
    assert "外包" in answer and "虚拟" in answer
    assert "客服号码" in answer
    assert f'href="{reverse("articles:search")}?q=13800138000"' in answer
    assert f'href="{reverse("articles:scam_guide")}"' in response.content.decode()


def test_unlisted_number_from_a_lender_page_points_to_that_lender(client):
    answer = _answer(client.get(URL, {"n": "13800138000", "lender": "weilidai"}))
    assert "微粒贷公布的官方号码" in answer
    assert "95384" in answer
    assert 'href="/lenders/weilidai/"' in answer


def test_listed_number_links_to_the_lenders_articles(client):
    make_article("微粒贷催收电话", lender=Lender.objects.get(slug="weilidai"))
    answer = _answer(client.get(URL, {"n": "95384"}))
    assert 'href="/lenders/weilidai/"' in answer


def test_traditional_reader_sees_lender_names_in_traditional(client):
    answer = _answer(client.get("/zh-hant/number/", {"n": "95188"}))
    assert "借唄" in answer and "花唄" in answer


HOSTILE = [
    "abc",
    "<script>alert(1)</script>",
    "95384' OR '1'='1",
    "1234",
    "1" * 21,
    "9" * 10240,
    "x" * 10240,
    "95384\x00",
    "\u202e95384",
    "٩٥٣٨٤",  # Arabic-Indic digits
    "{{ settings.SECRET_KEY }}",
    "----",
    "%00%ff",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_bad_input_gets_a_message_and_the_form_never_a_500(client, typed):
    response = client.get(URL, {"n": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'name="n"' in html
    assert "<script>alert" not in html
    assert "number-answer" not in html


def test_messages_say_what_is_wrong(client):
    assert "至少要有 5 位数字" in client.get(URL, {"n": "1234"}).content.decode()
    assert "最多 20 位数字" in client.get(URL, {"n": "1" * 21}).content.decode()
    assert "只能有数字" in client.get(URL, {"n": "abc"}).content.decode()
    assert "输入太长" in client.get(URL, {"n": "9" * 10240}).content.decode()


def test_empty_query_shows_just_the_form(client):
    html = client.get(URL).content.decode()
    assert 'name="n"' in html
    assert 'role="alert"' not in html and "number-answer" not in html


@pytest.mark.parametrize("lender", ["<b>x</b>", "../../etc", "x" * 500, "weilidai\x00"])
def test_odd_lender_field_is_ignored(client, lender):
    response = client.get(URL, {"n": "13800138000", "lender": lender})
    assert response.status_code == 200
    assert "这个号码不在我们收录的官方号码里" in _answer(response)


def test_form_limits_input_length_to_what_the_server_accepts():
    html = render_to_string("includes/number_check.html", {})
    assert f'maxlength="{MAX_INPUT_CHARS}"' in html
    assert NumberCheckForm.base_fields["n"].max_length == MAX_INPUT_CHARS
    assert 'method="get"' in html and 'action="/number/"' in html


def test_form_on_a_lender_page_remembers_the_lender():
    lender = Lender.objects.get(slug="weilidai")
    html = render_to_string("includes/number_check.html", {"lender": lender})
    assert '<input type="hidden" name="lender" value="weilidai">' in html


def test_result_pages_are_kept_out_of_search_engines(client):
    assert (
        '<meta name="robots" content="noindex">' in client.get(URL, {"n": "95384"}).content.decode()
    )
    assert 'name="robots"' not in client.get(URL).content.decode()


def test_scam_guide_in_both_scripts(client):
    hans = client.get(reverse("articles:scam_guide"))
    assert hans.status_code == 200
    html = hans.content.decode()
    for phrase in ["验证码", "个人账户", "注销", "征信", "官方 App"]:
        assert phrase in html
    assert f'href="{reverse("articles:number_check")}"' in html
    hant = client.get("/zh-hant/guides/scam-calls/").content.decode()
    assert "驗證碼" in hant and "徵信" in hant
