"""SMS bodies: fixed Chinese templates (carriers want registered templates), the most important
words first, kept within two segments, and never paying for UCS-2 by accident.

A Chinese body is UCS-2 anyway (70 characters in one segment, 67 per part when split); a body
that is otherwise GSM-7 (English, codes, links) must not be pushed into UCS-2 by one curly
quote or non-breaking space, which would double or triple its cost.
"""

from __future__ import annotations

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")  # cost two septets each

# Look-alikes that creep in from word processors and chat apps, mapped to GSM characters.
GSM_LOOKALIKES = {
    "\u00a0": " ",  # non-breaking space
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00b4": "'",
    "\t": " ",
}

MAX_SEGMENTS = 2
EXERCISE_PREFIX = "【演练】"
LEVEL_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}

# The templates. {prefix} is 【演练】 for drills; {code} the incident's short code; {link} the
# acknowledgement link. Lines are joined in order and the task list is shortened to fit.
TEMPLATES = {
    "tasks": "{prefix}[{code}]{title}{where}，请{department}：{lines}。确认：{link}",
    "tasks_noack": "{prefix}[{code}]{title}{where}，请{department}：{lines}。",
    "level": "{prefix}[{code}]{title}事件级别升为{level}级，{lines}请加强响应。确认：{link}",
    "closed": "{prefix}[{code}]{title}应急响应结束，感谢各单位配合。",
    "escalation": "{prefix}[{code}]{title}：{lines}，请督促。",
    "update": "{prefix}[{code}]{title}：{lines}。确认：{link}",
    "update_noack": "{prefix}[{code}]{title}：{lines}。",
    "digest": "[物资]{date} {lines}。请及时补充或处置。",
    "notice": "{lines}",
}


def gsm_safe(text: str) -> str:
    """Replace look-alike characters by their GSM equivalents."""
    return "".join(GSM_LOOKALIKES.get(ch, ch) for ch in text)


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def segments(text: str) -> int:
    """How many SMS parts the text costs (GSM-7: 160/153 septets; UCS-2: 70/67 units)."""
    if is_gsm(text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)  # astral characters are surrogate pairs
        single, part = 70, 67
    if units <= single:
        return 1
    return -(-units // part)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def render(template: str, *, lines: list[str], exercise: bool = False, link: str = "", code: str = "", **fields) -> str:
    """Fill a template, dropping then clipping the least important parts (the tail of the task
    list, then the title) until the body fits in MAX_SEGMENTS. The prefix, code and link are
    never cut: without them the message cannot be acted on."""
    prefix = EXERCISE_PREFIX if exercise else ""
    title = fields.pop("title", "")
    where = fields.pop("where", "")
    shown = list(lines)
    clip = 40
    while True:
        body = _fill(template, prefix, code, title, where, shown, link, fields, clip)
        if segments(body) <= MAX_SEGMENTS:
            return body
        if where:
            where = ""
        elif len(shown) > 1:
            shown = shown[:-1]
        elif clip > 8:
            clip -= 4
        elif title:
            title = _clip(title, 6) if len(title) > 6 else ""
        else:
            return body  # still too long: send it anyway rather than lose the alert


def _fill(template, prefix, code, title, where, lines, link, fields, clip) -> str:
    numbered = [_clip(line, clip) for line in lines]
    if len(numbered) > 1:
        numbered = [f"{n}.{line}" for n, line in enumerate(numbered, start=1)]
    text = TEMPLATES[template].format(
        prefix=prefix, code=code, title=_clip(title, 16), where=where, lines="；".join(numbered), link=link, **fields
    )
    return gsm_safe(text)
