"""One registration pattern for every extension point between apps (docs/architecture.md,
"Extension points").

A lower app declares a Registry; an upper app fills it from its AppConfig.ready(), so the
arrows of the import rules still point down: the lower app asks the registry, never the upper
app. Entries are keyed by (owner app label, key): ready() may run more than once (tests,
management commands), and registering the same key again replaces the entry instead of adding
a second copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str, *, unique_keys: bool = False):
        self.name = name
        # unique_keys: a key may be owned by one app only (event types: one owner per type).
        self.unique_keys = unique_keys
        self._entries: dict[tuple[str, str], T] = {}

    def register(self, owner: str, key: str, value: T) -> T:
        if self.unique_keys:
            for other_owner, other_key in self._entries:
                if other_key == key and other_owner != owner:
                    raise ValueError(f"{self.name}: {key!r} is already registered by {other_owner!r}")
        self._entries[(owner, key)] = value
        return value

    def unregister(self, owner: str, key: str) -> None:
        self._entries.pop((owner, key), None)

    def get(self, key: str, default: T | None = None) -> T | None:
        for (_owner, entry_key), value in self._entries.items():
            if entry_key == key:
                return value
        return default

    def items(self) -> Iterator[tuple[str, str, T]]:
        """(owner, key, value) in registration order."""
        for (owner, key), value in list(self._entries.items()):
            yield owner, key, value

    def values(self) -> list[T]:
        return list(self._entries.values())

    def keys(self) -> list[str]:
        return [key for _owner, key in self._entries]

    def __contains__(self, key: str) -> bool:
        return any(entry_key == key for _owner, entry_key in self._entries)

    def __len__(self) -> int:
        return len(self._entries)
