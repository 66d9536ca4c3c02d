"""The module-size limit (deploy/check_module_size.py) holds, and it does catch a long module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("check_module_size", ROOT / "deploy" / "check_module_size.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_no_module_of_the_project_is_over_the_limit():
    assert check.oversized() == []


def test_a_module_over_the_limit_is_reported(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * (check.MAX_LINES + 1))
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * check.MAX_LINES)
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    assert check.oversized(tmp_path) == [("app/long.py", check.MAX_LINES + 1)]
