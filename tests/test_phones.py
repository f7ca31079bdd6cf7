"""The number parser (kb/phones.py): every form a reader pastes or a caller ID shows."""

import pytest

from kb import phones
from kb.phones import EMERGENCY, HOTLINE, INTERNATIONAL, LANDLINE, MOBILE, OTHER, SERVICE, SMS

# (as typed, digits, kind, extension)
WHOLE = [
    # country code, however written
    ("95188", "95188", SERVICE, ""),
    ("+86 95188", "95188", SERVICE, ""),
    ("+8695188", "95188", SERVICE, ""),
    ("0086 95188", "95188", SERVICE, ""),
    ("0086-95188", "95188", SERVICE, ""),
    ("(+86)95384", "95384", SERVICE, ""),
    ("(+86) 95384", "95384", SERVICE, ""),
    ("086-95384", "95384", SERVICE, ""),
    ("+86 10107888", "10107888", SERVICE, ""),
    ("＋８６ ９５３８４", "95384", SERVICE, ""),
    ("（＋８６）９５３８４", "95384", SERVICE, ""),
    ("００８６　９５１８８", "95188", SERVICE, ""),
    # grouping: spaces, dashes, dots, brackets, in either script's punctuation
    ("9538 4", "95384", SERVICE, ""),
    ("400-888-8888", "4008888888", SERVICE, ""),
    ("400 888 8888", "4008888888", SERVICE, ""),
    ("400.888.8888", "4008888888", SERVICE, ""),
    ("４００－８８８－８８８８", "4008888888", SERVICE, ""),
    ("400—888—8888", "4008888888", SERVICE, ""),
    ("800 820 8820", "8008208820", SERVICE, ""),
    ("10086", "10086", SERVICE, ""),
    # extensions
    ("95188-2", "95188", SERVICE, "2"),
    ("95384 转 1", "95384", SERVICE, "1"),
    ("95384轉1", "95384", SERVICE, "1"),
    ("95384 ext. 1", "95384", SERVICE, "1"),
    ("95384 EXT 12", "95384", SERVICE, "12"),
    ("95384分机1", "95384", SERVICE, "1"),
    ("95384 分機 1", "95384", SERVICE, "1"),
    ("400-888-8888 转 801", "4008888888", SERVICE, "801"),
    ("021-12345678-801", "02112345678", LANDLINE, "801"),
    # landlines: area codes, brackets, +86 without the trunk 0, a local call without any
    ("0755-8601 3860", "075586013860", LANDLINE, ""),
    ("0755 86013860", "075586013860", LANDLINE, ""),
    ("(021)12345678", "02112345678", LANDLINE, ""),
    ("（０２１）１２３４ ５６７８", "02112345678", LANDLINE, ""),
    ("【021】1234-5678", "02112345678", LANDLINE, ""),
    ("010-12345678", "01012345678", LANDLINE, ""),
    ("+86 21 1234 5678", "02112345678", LANDLINE, ""),
    ("+86 (0)21 1234 5678", "02112345678", LANDLINE, ""),
    ("+86 10 1234 5678", "01012345678", LANDLINE, ""),
    ("+86 755 8601 3860", "075586013860", LANDLINE, ""),
    ("8601 3860", "86013860", LANDLINE, ""),
    # mobiles: grouped, with a country code, as an old handset shows a roaming caller (0138…)
    ("13800138000", "13800138000", MOBILE, ""),
    ("138 0013 8000", "13800138000", MOBILE, ""),
    ("138-0013-8000", "13800138000", MOBILE, ""),
    ("+86 138-0013-8000", "13800138000", MOBILE, ""),
    ("+86 138 0013 8000", "13800138000", MOBILE, ""),
    ("8613800138000", "13800138000", MOBILE, ""),
    ("86 13800138000", "13800138000", MOBILE, ""),
    ("013800138000", "13800138000", MOBILE, ""),
    ("１３８ ００１３ ８０００", "13800138000", MOBILE, ""),
    # SMS senders, government hotlines, emergency numbers
    ("106 9012 3456 7890", "106901234567890", SMS, ""),
    ("10690123456789", "10690123456789", SMS, ""),
    ("1069 0123 4567", "106901234567", SMS, ""),
    ("12378", "12378", HOTLINE, ""),
    ("12363", "12363", HOTLINE, ""),
    ("110", "110", EMERGENCY, ""),
    # another country, and digits of no known shape
    ("+852 2123 4567", "85221234567", INTERNATIONAL, ""),
    ("55555", "55555", OTHER, ""),
]


@pytest.mark.parametrize(("typed", "digits", "kind", "extension"), WHOLE)
def test_a_number_typed_any_way_parses_to_its_national_digits(typed, digits, kind, extension):
    phone = phones.parse(typed)
    assert phone is not None, typed
    assert (phone.digits, phone.kind, phone.extension) == (digits, kind, extension)


@pytest.mark.parametrize(
    ("typed", "area", "local"),
    [
        ("0755-8601 3860", "0755", "86013860"),
        ("+86 21 1234 5678", "021", "12345678"),
        ("(010)12345678", "010", "12345678"),
        ("87654321", "", "87654321"),
    ],
)
def test_a_landline_knows_its_area_code_and_local_number(typed, area, local):
    phone = phones.parse(typed)
    assert (phone.area_code, phone.local) == (area, local)


NOT_A_NUMBER = [
    "",
    "   ",
    "abc",
    "微粒贷",
    "2021-01-01",
    "2021.1.1",
    "2021/01/01",
    "1234",  # too short for any number but the emergency ones
    "1" * 21,
    "95384 打给我",  # words: that is running text (find), not a number
    "12.5%",
    "5000元",
    "11010519491231002X",
]


@pytest.mark.parametrize("typed", NOT_A_NUMBER)
def test_what_is_not_a_number_does_not_parse(typed):
    assert phones.parse(typed) is None


# (running text, [(digits, kind, extension, as written)])
IN_TEXT = [
    ("刚才 021-12345678 打给我", [("02112345678", LANDLINE, "", "021-12345678")]),
    (
        "剛才（０２１）１２３４５６７８打給我",
        [("02112345678", LANDLINE, "", "（０２１）１２３４５６７８")],
    ),
    ("(+86)95384打来的", [("95384", SERVICE, "", "(+86)95384")]),
    ("来电显示+86 138-0013-8000，", [("13800138000", MOBILE, "", "+86 138-0013-8000")]),
    ("请拨95188-2转人工", [("95188", SERVICE, "2", "95188-2")]),
    ("拨打 95384 转 1，然后", [("95384", SERVICE, "1", "95384 转 1")]),
    ("撥打95384轉1。", [("95384", SERVICE, "1", "95384轉1")]),
    ("收到1069 0123 4567发来的短信", [("106901234567", SMS, "", "1069 0123 4567")]),
    (
        "拨打110报警，或12378、12363投诉",
        [
            ("110", EMERGENCY, "", "110"),
            ("12378", HOTLINE, "", "12378"),
            ("12363", HOTLINE, "", "12363"),
        ],
    ),
    (
        "号码 95384。12378 是投诉热线",
        [("95384", SERVICE, "", "95384"), ("12378", HOTLINE, "", "12378")],
    ),
    ("美团 +86 10107888", [("10107888", SERVICE, "", "+86 10107888")]),
    ("深圳 0755-8601 3860 转 2", [("075586013860", LANDLINE, "2", "0755-8601 3860 转 2")]),
    ("那天 87654321 打来", [("87654321", LANDLINE, "", "87654321")]),
    ("95384号码是微粒贷的", [("95384", SERVICE, "", "95384")]),
]


@pytest.mark.parametrize(("text", "expected"), IN_TEXT)
def test_numbers_are_found_in_running_text_with_their_offsets(text, expected):
    found = [(p.digits, p.kind, p.extension, text[p.start : p.end]) for p in phones.find(text)]
    assert found == expected


NO_NUMBER_IN_TEXT = [
    "2021-01-01 到期",
    "2021年3月1日",
    "2021.01.01",
    "20230615 那天",
    "借了5000元",
    "借了 12000 元，年化 24%",
    "利率 12.5%",
    "逾期 95 天",
    "第12378条",
    "¥95384",
    "身份证 110105194912310021",
    "身份证 11010519491231002X",
    "卡号 6222 0212 3456 7890",
    "版本 1.2.3，地址 192.168.1.1，π 约 3.14159，12.378 公里",
    "170、171 开头的号段",
    "三成（30%）的人",
]


@pytest.mark.parametrize("text", NO_NUMBER_IN_TEXT)
def test_dates_amounts_percentages_and_id_numbers_are_not_phone_numbers(text):
    assert phones.find(text) == []


def test_offsets_stay_one_to_one_with_the_text():
    text = "（＋８６）９５３８４ 和 ０７５５－８６０１　３８６０"
    assert phones.normalise(text).__len__() == len(text)
    (first, second) = phones.find(text)
    assert text[first.start : first.end] == "（＋８６）９５３８４"
    assert text[second.local_start : second.end] == "８６０１　３８６０"


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("9538", "9538"),
        ("+86 9538", "9538"),
        ("0086-9538", "9538"),
        ("(+86)95", "95"),
        ("95 3", "953"),
    ],
)
def test_a_number_being_typed_gives_its_digits_without_the_country_code(typed, digits):
    assert phones.typed_digits(typed) == digits


@pytest.mark.parametrize("typed", ["微粒", "95384 打", "abc", ""])
def test_a_query_being_typed_that_holds_words_gives_no_digits(typed):
    assert phones.typed_digits(typed) == ""


def test_an_id_number_is_recognised_by_its_check_digit():
    assert phones.looks_like_id_number("11010519491231002X")
    assert phones.looks_like_id_number("1101 0519 4912 3100 2x")
    assert not phones.looks_like_id_number("110105194912310021")
    assert not phones.looks_like_id_number("13800138000")


def test_an_extension_is_dialled_after_a_pause():
    assert phones.parse("95188 转 2").dial == "95188,2"
    assert phones.parse("95188").dial == "95188"


def test_a_page_of_digits_is_parsed_quickly_and_never_fails():
    text = "1 22 333 4444 55555 " * 2000 + "9" * 50_000 + "+86 (" * 1000
    found = phones.find(text)
    assert all(phone.digits.isdigit() for phone in found)
    assert phones.parse("1 " * 21) is None


# The index and the query: a number is one term of national digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95188", ["95188"]),
        ("客服 95188。", ["客服", "95188"]),
        ("+86 95188", ["95188"]),
        ("0086-95188", ["95188"]),
        ("(+86)95384", ["95384"]),
        ("+86 10107888", ["10107888"]),
        ("95188 转 2", ["95188"]),
        ("(021)1234 5678", ["02112345678", "12345678"]),
        ("+86 21 1234 5678", ["02112345678", "12345678"]),
        ("2021-01-01", ["2021", "01", "01"]),
        ("5000元", ["5000", "元"]),
    ],
)
def test_the_index_stores_a_number_as_its_national_digits(text, expected):
    from articles.search.analysis import term_counts, terms

    assert terms(text) == expected
    assert sum(term_counts(text).values()) == len(expected)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("02112345678", "021-12345678"),
        ("+86 755 86013860", "0755-86013860"),
        ("+86 13800138000", "138 0013 8000"),
        ("4008888888", "400-888-8888"),
        ("95188-2", "95188"),
    ],
)
def test_a_number_is_shown_grouped_as_it_is_usually_written(typed, shown):
    assert phones.parse(typed).display == shown
    assert phones.parse("95188-2").display_with_extension == "95188 转 2"


def test_find_skips_only_text_that_normalises_to_no_digit():
    # find() returns at once for text without a digit; a character normalise turns into
    # a digit must count as one.
    becomes_digit = {
        chr(c)
        for c in range(0x110000)
        if phones.normalise(chr(c)).isascii() and phones.normalise(chr(c)).isdigit()
    }
    assert becomes_digit == set("0123456789０１２３４５６７８９")
    assert phones.find("来电：９５３８４")[0].digits == "95384"
