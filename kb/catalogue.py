"""Fill the traditional interface catalogue from its simplified msgids.

Interface strings are written in simplified Chinese in templates and code (`{% translate %}`,
`gettext`), so simplified readers need no catalogue; `locale/zh_Hant/LC_MESSAGES/django.po`
holds the traditional forms. After `makemessages`, every entry without a translation (or
marked fuzzy) gets the conversion readers get for content (kb/conversion.py: vocabulary,
quotes, the default overrides; no database needed); entries someone already translated are
left alone. `make messages` runs it between `makemessages` and `compilemessages`:

    python -m kb.catalogue locale/zh_Hant/LC_MESSAGES/django.po
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

_HEADER_FIXES = {
    "Language": "zh_Hant",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def fill(path: Path, convert) -> int:
    """Fill empty or fuzzy translations in the .po file at `path`; returns how many."""
    catalogue = polib.pofile(str(path), wrapwidth=0)  # one line per string, as Django reads
    catalogue.metadata.update(_HEADER_FIXES)
    catalogue.metadata_is_fuzzy = False
    filled = 0
    for entry in catalogue:
        if entry.obsolete or entry.translated():  # a fuzzy entry is not translated
            continue
        # Chinese has one plural form (nplurals=1), used for every count: the plural msgid.
        if entry.msgid_plural:
            entry.msgstr_plural = {
                i: convert(entry.msgid_plural) for i in entry.msgstr_plural or {0: ""}
            }
        else:
            entry.msgstr = convert(entry.msgid)
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        filled += 1
    catalogue.save(str(path))
    return filled


def main(argv: list[str]) -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    django.setup()
    from kb.conversion import convert

    for name in argv or ["locale/zh_Hant/LC_MESSAGES/django.po"]:
        count = fill(Path(name), lambda text: convert(text, "zh-hant", "hans"))
        print(f"{name}: {count} translations filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
