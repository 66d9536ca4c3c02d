"""The sandbox's page: one card per "phone" (named by its contact and department), what it
received with clickable links, a reply box, and the status callbacks sent for its messages.

It updates in place: /sandbox/page.js fetches the page every few seconds and swaps each phone's
message log, leaving the reply boxes alone, so a reply being typed is never lost; replies are
posted in the background. Every value is escaped here; the script moves parsed nodes, it never
assigns HTML.
"""

from __future__ import annotations

import re
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

STYLE = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#eef1f4;color:#1d2329}
header{background:#123;color:#fff;padding:.6rem 1rem}main{display:flex;flex-wrap:wrap;gap:1rem;padding:1rem}
.phone{background:#fff;border:8px solid #222;border-radius:22px;width:19rem;padding:.6rem;box-sizing:border-box}
.to{font-weight:600;margin-bottom:.4rem}.to small{display:block;font-weight:400;color:#5b6670}
.msg{background:#e7f0e9;border-radius:10px;padding:.4rem .6rem;margin:.3rem 0;
white-space:pre-wrap;word-break:break-all}.mine{background:#dbe8ff;margin-left:2rem}.sys{color:#8a1c1c}
.meta{font-size:.75rem;color:#5b6670}form{display:flex;gap:.3rem;margin-top:.4rem}input[type=text]{flex:1}
"""

SCRIPT = r"""
// Update each phone's log in place; keep what is typed in the reply boxes.
async function refresh() {
  const response = await fetch("/", { cache: "no-store" });
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const main = document.querySelector("main");
  for (const card of fresh.querySelectorAll("section.phone")) {
    const here = document.getElementById(card.id);
    if (!here) { main.append(document.adoptNode(card)); wire(main.lastElementChild); continue; }
    const log = card.querySelector(".log");
    const old = here.querySelector(".log");
    const changed = old.dataset.count !== log.dataset.count || old.textContent !== log.textContent;
    if (changed) old.replaceWith(document.adoptNode(log));
  }
  const empty = document.getElementById("empty");
  if (empty && fresh.querySelector("section.phone")) empty.remove();
}
function wire(card) {
  const form = card.querySelector("form");
  if (!form) return;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    form.elements.body.value = "";
    await fetch("/reply", { method: "POST", body, redirect: "manual" });
    refresh();
  });
}
document.querySelectorAll("section.phone").forEach(wire);
setInterval(() => refresh().catch(() => {}), 3000);
"""

_LINK = re.compile(r"https?://[^\s<>\"'，。]+")


def with_links(text: str) -> str:
    """Escape a message and make its URLs (acknowledgement links) clickable."""
    out, at = [], 0
    for match in _LINK.finditer(text):
        out.append(escape(text[at : match.start()]))
        url = escape(match.group(0))
        out.append(f'<a href="{url}" target="_blank" rel="noopener">{url}</a>')
        at = match.end()
    out.append(escape(text[at:]))
    return "".join(out)


def who_has(phones) -> dict[str, tuple[str, str]]:
    """phone → (contact name, department name) from the directory; {} when it cannot be read."""
    try:
        from backend.directory.models import Contact

        found = {}
        for contact in Contact.objects.filter(mobile__in=list(phones)).select_related("department"):
            found.setdefault(contact.mobile, (contact.name, contact.department.name))
        return found
    except Exception:  # the sandbox runs without a database too: the number alone then
        return {}
    finally:
        from django.db import connection

        if not connection.in_atomic_block:
            connection.close()  # the handler thread's own connection: never leak one per request


def render_page(sandbox) -> str:
    with translation.override("zh-hans"):
        return _render(sandbox)


def _lines(entries, by_sid) -> list[str]:
    lines = []
    for entry in sorted(entries, key=lambda e: e.get("received_at") or e.get("at")):
        if entry["direction"] == "out":
            lines.append(f'<div class="msg mine">{escape(entry["body"])}</div>')
            if entry.get("reply"):
                lines.append(f'<div class="msg">{with_links(entry["reply"])}</div>')
            continue
        if entry["status"] == "refused":
            note = _("Refused by the provider: HTTP %(status)s, error %(code)s") % {
                "status": entry["answer"],
                "code": entry.get("error_code"),
            }
            lines.append(f'<div class="msg sys">{escape(note)}</div>')
            continue
        sent = ", ".join(f"{c['status']} → {c['answer']}" for c in by_sid.get(entry["sid"], []))
        lines.append(
            f'<div class="msg">{with_links(entry["body"])}</div>'
            f'<div class="meta">{escape(entry["received_at"][11:19])} · {escape(entry["sid"][:10])}… · '
            f"{escape(_('callbacks'))}: {escape(sent or '-')}</div>"
        )
    return lines


def _render(sandbox) -> str:
    with sandbox.lock:
        callbacks = list(sandbox.callbacks)
    by_sid: dict[str, list[dict]] = {}
    for callback in callbacks:
        by_sid.setdefault(callback["sid"], []).append(callback)
    phones = sandbox.phones()
    names = who_has(phones)
    cards = []
    # Sorted by department, then contact name: people look for "the fire brigade", not a number.
    order = sorted(phones, key=lambda p: (names.get(p, ("\uffff", "\uffff"))[1], names.get(p, ("\uffff",))[0], p))
    for phone in order:
        entries = phones[phone]
        name, department = names.get(phone, ("", ""))
        label = f"{escape(name)} <small>{escape(department)} · {escape(phone)}</small>" if name else escape(phone)
        lines = _lines(entries, by_sid)
        cards.append(
            f'<section class="phone" id="{escape(phone)}" data-testid="phone"><div class="to">📱 {label}</div>'
            f'<div class="log" data-count="{len(lines)}">{"".join(lines)}</div>'
            f'<form method="post" action="/reply"><input type="hidden" name="phone" value="{escape(phone)}">'
            f'<input type="text" name="body" placeholder="{escape(_("Reply, e.g. code + 收到"))}">'
            f'<button type="submit">{escape(_("Send"))}</button></form></section>'
        )
    empty = f'<p id="empty">{escape(_("No messages yet."))}</p>' if not cards else ""
    title = escape(_("SMS sandbox"))
    hint = escape(_("Messages the system sent through the Twilio-compatible API; replies go to the inbound webhook."))
    return (
        f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body><header><b>{title}</b> · {hint} "
        f"({escape(sandbox.public_base_url)})</header><main>{''.join(cards)}{empty}</main>"
        f'<script src="/sandbox/page.js" defer></script></body></html>'
    )
