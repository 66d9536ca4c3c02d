"""Untranslated interface text in a rendered page (issue 16 item 9).

- English pages: any CJK character in text or in placeholder/title/aria-label attributes,
  outside data. Data (names of people, places, rivers; titles typed by users; SMS bodies; issued
  reports, which stay in Chinese) is marked in templates with class="data" (or lang="zh-hans"
  on an element quoting a Chinese record); <script>, <style>, <textarea> and <option>s of data
  selects marked the same way are skipped.
- Chinese pages: a text node or attribute that is exactly one of the catalogue's English msgids
  (an interface string that missed its translation), ignoring msgids kept the same in Chinese
  (API, SMS, PDF, codes).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP_TAGS = {"script", "style", "textarea", "template"}
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "label")
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def english_msgids() -> set[str]:
    """msgids whose Chinese differs from the English (so seeing the English means untranslated)."""
    found = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
            continue
        if entry.msgstr and entry.msgstr != entry.msgid and re.search(r"[A-Za-z]{3}", entry.msgid):
            found.add(entry.msgid.strip())
    return found


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, is data)
        self.texts: list[tuple[str, str]] = []  # (where, text)

    def _data(self) -> bool:
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        is_data = "data" in classes or (attrs.get("lang") or "").lower().startswith("zh") and tag != "html"
        is_data = is_data or tag in SKIP_TAGS
        if not (is_data or self._data()):
            for name in ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append((f"<{tag} {name}>", attrs[name]))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append((f"<{tag} value>", attrs["value"]))
        if tag not in VOID:
            self.stack.append((tag, is_data))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self._data():
            where = "/".join(t for t, _f in self.stack[-3:])
            self.texts.append((where, data.strip()))


def interface_texts(html: str) -> list[tuple[str, str]]:
    scan = _Scan()
    scan.feed(html)
    return scan.texts


def data_values() -> list[str]:
    """Every Chinese text stored in the database (names, titles, notes, SMS bodies...), longest
    first: on an English page these are data, not interface. Except the Chinese `name` of a
    record that has an English `name_en` (departments, pollutants, items, rivers, areas): in
    English mode that record must be named in English, so its Chinese name counts as interface."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields:
            continue
        names = [f.name for f in fields]
        has_english = "name_en" in names
        for row in model._default_manager.values(*names).iterator():
            for name, value in row.items():
                if not value or not CJK.search(value):
                    continue
                if name == "name" and has_english and row.get("name_en"):
                    continue
                found.update(part.strip() for part in re.split(r"[\r\n]+", value) if part.strip())
    return sorted(found, key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


def untranslated(html: str, language: str, msgids: set[str], data: list[str] | None = None) -> list[str]:
    problems = []
    for where, text in interface_texts(html):
        if language == "en":
            if CJK.search(text) and CJK.search(without_data(text, data or [])):
                problems.append(f"{where}: {text[:60]!r}")
        elif text in msgids or text.rstrip(":：") in msgids:
            problems.append(f"{where}: {text[:60]!r}")
    return problems
