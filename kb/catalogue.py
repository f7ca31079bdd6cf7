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

import ast
import re
import sys
from pathlib import Path

_HEADER_FIXES = {
    "Language": "zh_Hant",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=1; plural=0;",
}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


def _unquote(literal: str) -> str:
    return ast.literal_eval(literal)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")


def _quote(text: str) -> str:
    if "\n" not in text.rstrip("\n"):
        return f'"{_escape(text)}"'
    return '""\n' + "\n".join(f'"{_escape(part)}"' for part in text.splitlines(keepends=True))


def _parse(text: str) -> list[dict]:
    """Entries as {"comments": [...], "fields": {keyword: value}, "order": [...]}."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        entry = {"comments": [], "fields": {}, "order": []}
        current = None
        for line in block.splitlines():
            match = _KEYWORD.match(line)
            if match:
                current = match.group(1)
                entry["fields"][current] = _unquote(match.group(2))
                entry["order"].append(current)
            elif line.startswith('"') and current:
                entry["fields"][current] += _unquote(line)
            elif line.startswith("#"):
                entry["comments"].append(line)
        entries.append(entry)
    return entries


def _format(entries: list[dict]) -> str:
    blocks = []
    for entry in entries:
        lines = list(entry["comments"])
        lines += [f"{key} {_quote(entry['fields'][key])}" for key in entry["order"]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _fix_header(header: str) -> str:
    lines = [line for line in header.split("\n") if line]
    seen = set()
    for i, line in enumerate(lines):
        name = line.split(":", 1)[0]
        if name in _HEADER_FIXES:
            lines[i] = f"{name}: {_HEADER_FIXES[name]}"
            seen.add(name)
    lines += [f"{name}: {value}" for name, value in _HEADER_FIXES.items() if name not in seen]
    return "\n".join(lines) + "\n"


def fill(path: Path, convert) -> int:
    """Fill empty or fuzzy translations in the .po file at `path`; returns how many."""
    entries = _parse(path.read_text(encoding="utf-8"))
    filled = 0
    for entry in entries:
        fields = entry["fields"]
        if "msgid" not in fields:
            continue
        fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in entry["comments"])
        if fields["msgid"] == "":
            fields["msgstr"] = _fix_header(fields.get("msgstr", ""))
            entry["comments"] = [c for c in entry["comments"] if not c.startswith("#,")]
            continue
        targets = [key for key in entry["order"] if key.startswith("msgstr")]
        if not fuzzy and all(fields[key] for key in targets):
            continue
        for key in targets:
            # Chinese has one plural form (nplurals=1), used for every count: the plural msgid.
            fields[key] = convert(fields.get("msgid_plural", fields["msgid"]))
        entry["comments"] = [_without_fuzzy(c) for c in entry["comments"]]
        entry["comments"] = [c for c in entry["comments"] if c.strip() != "#,"]
        entry["comments"] = [c for c in entry["comments"] if not c.startswith("#|")]
        filled += 1
    path.write_text(_format(entries), encoding="utf-8")
    return filled


def _without_fuzzy(comment: str) -> str:
    if not comment.startswith("#,"):
        return comment
    flags = [flag.strip() for flag in comment[2:].split(",") if flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"


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
