"""Fill locale/zh_Hans/LC_MESSAGES/django.po from the per-area fragments in
locale/zh_Hans/fragments/*.po (each area keeps its own translations, so parallel work does
not collide in one file). Run after `make messages`; then compilemessages."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> int:
    # Keyed by (context, msgid): the same English word may need two Chinese words (msgctxt).
    known: dict[tuple[str | None, str], str] = {}
    plurals: dict[tuple[str | None, str], dict[int, str]] = {}
    for fragment in sorted((ROOT / "locale" / "zh_Hans" / "fragments").glob("*.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.msgstr:
                known.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
            elif entry.msgid_plural and any(entry.msgstr_plural.values()):
                # Plural entries (ngettext, blocktranslate count) carry msgstr[n], not msgstr.
                plurals.setdefault((entry.msgctxt, entry.msgid), dict(entry.msgstr_plural))
    catalog = polib.pofile(str(CATALOG))
    missing = []
    for entry in catalog:
        if (entry.msgctxt, entry.msgid) in known:
            entry.msgstr = known[(entry.msgctxt, entry.msgid)]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid_plural and (entry.msgctxt, entry.msgid) in plurals:
            entry.msgstr_plural = plurals[(entry.msgctxt, entry.msgid)]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr and not entry.msgid_plural:
            missing.append(entry.msgid)
    catalog.save(str(CATALOG))
    print(f"{len(catalog) - len(missing)} translated, {len(missing)} missing")
    for msgid in missing:
        print("  missing:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
