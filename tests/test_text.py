from kb.text import (
    detect_script,
    fold,
    opencc_only,
    phone_digits,
    pinyin_full,
    pinyin_initials,
)


def test_fold_makes_both_scripts_one():
    assert fold("微粒貸催收電話") == fold("微粒贷催收电话") == "微粒贷催收电话"


def test_fold_leaves_ordinary_simplified_text_unchanged():
    text = "怎么办 著名的借贷平台发布了还款通知 头发、台湾、后来、里面、干净"
    assert fold(text) == text


def test_fold_keeps_length_for_exact_offsets():
    text = "臺灣ＡＢＣ　有錢花 Home Credit"
    assert len(fold(text)) == len(text)
    assert fold(text) == "台湾abc 有钱花 home credit"


def test_phone_digits_ignores_format():
    assert phone_digits("400-888-8888") == phone_digits("400 888 8888") == "4008888888"
    assert phone_digits("４００８８８８８８８") == "4008888888"
    assert phone_digits("+86 138-0013-8000") == "13800138000"


def test_pinyin_of_lender_names():
    assert pinyin_full("微粒贷") == "weilidai"
    assert pinyin_full("有錢花") == "youqianhua"
    assert pinyin_initials("微粒贷") == "wld"
    assert pinyin_initials("360借条") == "360jt"


def test_opencc_only_converts_characters_both_directions_and_never_words():
    assert opencc_only("有钱花催收电话", "zh-hant") == "有錢花催收電話"
    assert opencc_only("有錢花催收電話", "zh-hans") == "有钱花催收电话"
    assert opencc_only("收到短信", "zh-hant") == "收到短信"
    assert opencc_only("他說「接著」", "zh-hans", "hant") == "他说「接着」"


def test_detect_script():
    assert detect_script("有錢花催收電話的接聽技巧") == "hant"
    assert detect_script("有钱花催收电话的接听技巧") == "hans"
