"""The reader variants: one table for everything that differs between them.

Each variant says which OpenCC configuration produces its characters, which script family
its text is written in, its BCP 47 tag (`<html lang>`, `hreflang`, schema.org `inLanguage`),
its Open Graph locale and the labels readers and editors see. Settings, templates, SEO and
the converter all read this table; nothing else lists variants.

>>> VARIANTS["zh-hant"].html_lang, VARIANTS["zh-hant"].og_locale
('zh-Hant', 'zh_TW')
>>> variant_of("zh-tw"), variant_of("zh-CN"), variant_of(None)
('zh-hant', 'zh-hans', 'zh-hans')
"""

from __future__ import annotations

from dataclasses import dataclass

HANS, HANT, HK = "zh-hans", "zh-hant", "zh-hk"
SCRIPT_HANS, SCRIPT_HANT = "hans", "hant"


@dataclass(frozen=True)
class Variant:
    code: str  # Django language code
    label: str  # the variant's own name, as the language switcher shows it
    short_label: str  # one-word label (the admin preview)
    toggle: str  # one character, on the reader's switch
    opencc: str  # OpenCC configuration from either script (never s2twp: see kb/conversion.py)
    script: str  # the script family its text is written in: hans or hant
    html_lang: str  # BCP 47 tag
    og_locale: str  # Open Graph protocol locale


VARIANTS: dict[str, Variant] = {
    variant.code: variant
    for variant in (
        Variant(HANS, "简体中文", "简体", "简", "t2s", SCRIPT_HANS, "zh-Hans", "zh_CN"),
        Variant(HANT, "繁體中文", "繁體", "繁", "s2tw", SCRIPT_HANT, "zh-Hant", "zh_TW"),
        Variant(
            HK, "繁體中文（香港）", "香港繁體", "港", "s2hk", SCRIPT_HANT, "zh-Hant-HK", "zh_HK"
        ),
    )
}

# The variants the site serves (settings.LANGUAGES); zh-hk is converted on request only.
SERVED = (HANS, HANT)


def variant_of(language_code: str | None) -> str:
    """The display variant for a Django language code (zh-tw → zh-hant, zh-cn → zh-hans)."""
    code = (language_code or HANS).lower()
    if code in VARIANTS:
        return code
    if code in ("zh-tw", "zh-mo", "zh-hant-tw"):
        return HANT
    if code == "zh-hant-hk":
        return HK
    if code.startswith("zh-hant"):
        return HANT
    return HANS


def variant(language_code: str | None) -> Variant:
    return VARIANTS[variant_of(language_code)]
