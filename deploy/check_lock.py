"""Does requirements.lock hold everything its packages need on every Python the README names?

The lock is made on one interpreter; a dependency with an environment marker (redis needs
async-timeout below Python 3.11.3) is then missing on another, and `pip check` fails there, on a
fresh Debian 12 (python 3.11.2). This walks the dependency metadata of the installed lock from
requirements.in down and evaluates every marker for each target interpreter, as pip would there.

Usage: .venv/bin/python deploy/check_lock.py   (exit 1 and a list of what is missing)
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# Debian 12's python3, the 3.11 developers use here, Ubuntu 24.04's python3 (README: Set-up).
TARGETS = ["3.11.2", "3.11.7", "3.12.3"]


def lock_lines() -> dict[str, tuple[str, Requirement]]:
    pins = {}
    for path in sorted(ROOT.glob("requirements*.lock")):
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                requirement = Requirement(line)
                pins[canonicalize_name(requirement.name)] = (path.name, requirement)
    return pins


def roots() -> list[Requirement]:
    found = []
    for path in sorted(ROOT.glob("requirements*.in")):
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                found.append(Requirement(line))
    return found


def environment(version: str) -> dict[str, str]:
    env = default_environment()
    env.update(python_full_version=version, python_version=".".join(version.split(".")[:2]))
    return env


def missing_for(version: str, pins: dict) -> list[str]:
    env = environment(version)
    problems, seen = [], set()
    todo = [(r, "requirements.in") for r in roots() if r.marker is None or r.marker.evaluate({**env, "extra": ""})]
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        key = (name, tuple(sorted(requirement.extras)))
        if key in seen:
            continue
        seen.add(key)
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{requirement} (needed by {wanted_by}) is not in the lock")
            continue
        _file, pinned = pin
        if pin[1].marker is not None and not pin[1].marker.evaluate({**env, "extra": ""}):
            problems.append(f"{pinned} (needed by {wanted_by}) is excluded by its marker")
            continue
        version_pinned = next(iter(pinned.specifier)).version
        if requirement.specifier and not requirement.specifier.contains(version_pinned, prereleases=True):
            problems.append(f"{wanted_by} needs {requirement}, the lock has {version_pinned}")
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            if pinned.marker is not None and not pinned.marker.evaluate({**default_environment(), "extra": ""}):
                continue  # not for this interpreter, so not installed here: its own needs go unchecked
            problems.append(f"{requirement.name} is in the lock but not installed here (make setup)")
            continue
        for line in requires:
            child = Requirement(line)
            extras = [""] + sorted(requirement.extras)
            if child.marker is None or any(child.marker.evaluate({**env, "extra": e}) for e in extras):
                todo.append((child, f"{requirement.name}=={version_pinned}"))
    return problems


def main() -> int:
    pins = lock_lines()
    failed = False
    for version in TARGETS:
        problems = missing_for(version, pins)
        print(f"python {version}: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
        for problem in problems:
            print(f"  - {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
