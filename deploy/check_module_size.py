"""Fail when a Python module of the project grows past MAX_LINES (docs/architecture.md,
"Small modules"): a module that long holds more than one feature and is split by feature.
Run by `make test` and `make lint`; migrations (generated) and the virtualenv are skipped."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600
SKIP_PARTS = {".venv", ".venv-lock", "var", "migrations", "node_modules", "__pycache__"}


def oversized(root: Path = ROOT, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if SKIP_PARTS & set(path.relative_to(root).parts):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append((str(path.relative_to(root)), lines))
    return found


def main() -> int:
    found = oversized()
    for name, lines in found:
        print(f"{name}: {lines} lines (limit {MAX_LINES}); split it by feature")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
