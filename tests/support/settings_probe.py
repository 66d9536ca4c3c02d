"""Read settings as a fresh process would: the settings modules read the environment once, at
import, so a test of "this comes from the environment" starts an interpreter with that env."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_in_fresh_process(
    names: list[str], env: dict[str, str] | None = None, *, prelude: str = "", expressions: dict | None = None
) -> dict:
    """{name: value} of `names` in backend.settings.test, with `env` on top of an environment
    cleared of those names; plus {key: value} of `expressions` evaluated after `prelude` there."""
    clean = {k: v for k, v in os.environ.items() if k not in names and k != "DJANGO_SETTINGS_MODULE"}
    clean.update({"DJANGO_SETTINGS_MODULE": "backend.settings.test", **(env or {})})
    computed = ", ".join(f"{key!r}: {expr}" for key, expr in (expressions or {}).items())
    code = (
        "import json, django\ndjango.setup()\nfrom django.conf import settings\n"
        f"{prelude}\n"
        f"seen = {{n: getattr(settings, n) for n in {names!r}}}\n"
        f"seen.update({{{computed}}})\nprint(json.dumps(seen))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
