"""The client's address, believing X-Forwarded-For only from a trusted proxy.

Anyone can send an X-Forwarded-For header; a password guesser who could choose the address the
lockout counts against would never be locked out. So the header is read only when the peer
(REMOTE_ADDR) is one of TRUSTED_PROXIES, and then from the right: the first address that is not
itself a trusted proxy is the client (entries further left were written by the client).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse(raw: str):
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # [v6]:port
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # v4:port
        raw = raw.split(":", 1)[0]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    meta = getattr(request, "META", {})
    peer = _parse(meta.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return meta.get("REMOTE_ADDR", "") or "unknown"
    if not is_trusted_proxy(peer):
        return str(peer)
    forwarded = [_parse(part) for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed(forwarded):
        if address is None:
            break  # an unreadable entry: stop at the last address a trusted hop vouched for
        if not is_trusted_proxy(address):
            return str(address)
        peer = address
    return str(peer)
