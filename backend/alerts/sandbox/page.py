"""The sandbox's page: one card per "phone" with what it received, a reply box, and the
status callbacks sent for its messages. Plain HTML, refreshes itself; no JavaScript needed."""

from __future__ import annotations

from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

STYLE = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#eef1f4;color:#1d2329}
header{background:#123;color:#fff;padding:.6rem 1rem}main{display:flex;flex-wrap:wrap;gap:1rem;padding:1rem}
.phone{background:#fff;border:8px solid #222;border-radius:22px;width:19rem;padding:.6rem;box-sizing:border-box}
.to{font-weight:600;margin-bottom:.4rem}.msg{background:#e7f0e9;border-radius:10px;padding:.4rem .6rem;margin:.3rem 0;
white-space:pre-wrap;word-break:break-all}.mine{background:#dbe8ff;margin-left:2rem}.sys{color:#8a1c1c}
.meta{font-size:.75rem;color:#5b6670}form{display:flex;gap:.3rem;margin-top:.4rem}input[type=text]{flex:1}
"""


def render_page(sandbox) -> str:
    with translation.override("zh-hans"):
        return _render(sandbox)


def _render(sandbox) -> str:
    with sandbox.lock:
        callbacks = list(sandbox.callbacks)
    by_sid: dict[str, list[dict]] = {}
    for callback in callbacks:
        by_sid.setdefault(callback["sid"], []).append(callback)
    cards = []
    for phone, entries in sorted(sandbox.phones().items()):
        lines = []
        for entry in sorted(entries, key=lambda e: e.get("received_at") or e.get("at")):
            if entry["direction"] == "out":
                lines.append(f'<div class="msg mine">{escape(entry["body"])}</div>')
                if entry.get("reply"):
                    lines.append(f'<div class="msg">{escape(entry["reply"])}</div>')
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
                f'<div class="msg">{escape(entry["body"])}</div>'
                f'<div class="meta">{escape(entry["received_at"][11:19])} · {escape(entry["sid"][:10])}… · '
                f"{escape(_('callbacks'))}: {escape(sent or '-')}</div>"
            )
        cards.append(
            f'<section class="phone" id="{escape(phone)}"><div class="to">📱 {escape(phone)}</div>{"".join(lines)}'
            f'<form method="post" action="/reply"><input type="hidden" name="phone" value="{escape(phone)}">'
            f'<input type="text" name="body" placeholder="{escape(_("Reply, e.g. code + 收到"))}">'
            f'<button type="submit">{escape(_("Send"))}</button></form></section>'
        )
    empty = f"<p>{escape(_('No messages yet.'))}</p>" if not cards else ""
    title = escape(_("SMS sandbox"))
    hint = escape(_("Messages the system sent through the Twilio-compatible API; replies go to the inbound webhook."))
    return (
        f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body><header><b>{title}</b> · {hint} "
        f"({escape(sandbox.public_base_url)})</header><main>{''.join(cards)}{empty}</main></body></html>"
    )
