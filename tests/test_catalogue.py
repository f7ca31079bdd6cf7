"""`make messages`'s filler (kb/catalogue.py, on polib): what makemessages leaves empty or
fuzzy gets the reader's conversion; everything else stays as a translator left it."""

import polib

from kb import conversion
from kb.catalogue import fill

MADE_BY_MAKEMESSAGES = """\
# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\\n"
"Language: \\n"
"Content-Type: text/plain; charset=CHARSET\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

#: templates/base.html:3
msgctxt "导航"
msgid "首页"
msgstr ""

#: articles/views.py:10
#, fuzzy
#| msgid "旧的说法"
msgid "两行的\\n"
"说明"
msgstr "舊的說法"

#~ msgid "已删除的说法"
#~ msgstr ""
"""


def _convert(text):
    return conversion.convert(text, "zh-hant", "hans")


def test_empty_and_fuzzy_entries_are_filled_and_the_header_fixed(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(MADE_BY_MAKEMESSAGES, encoding="utf-8")
    assert fill(po, _convert) == 2
    catalogue = polib.pofile(str(po))
    assert catalogue.metadata["Language"] == "zh_Hant"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not catalogue.metadata_is_fuzzy
    home = catalogue.find("首页", msgctxt="导航")
    assert home.msgstr == "首頁"
    two_lines = catalogue.find("两行的\n说明")
    assert two_lines.msgstr == "兩行的\n說明"
    assert not two_lines.fuzzy and two_lines.previous_msgid is None
    (obsolete,) = catalogue.obsolete_entries()
    assert obsolete.msgstr == ""  # left alone
    assert fill(po, _convert) == 0  # a second run changes nothing
    assert "#|" not in po.read_text("utf-8")


def test_strings_stay_on_one_line_as_django_reads_them(tmp_path):
    long = "输入来电号码，查一查它是不是借贷产品官方公布的号码，以及来源和核实日期。" * 2
    po = tmp_path / "django.po"
    po.write_text(f'msgid ""\nmsgstr ""\n\nmsgid "{long}"\nmsgstr ""\n', encoding="utf-8")
    fill(po, _convert)
    assert f'msgid "{long}"\nmsgstr "{_convert(long)}"' in po.read_text("utf-8")
