"""The fault suite runs against its own PostgreSQL and Redis (see cluster.py), not the test
database of pytest-django: its tests use no `db` fixture."""

from __future__ import annotations

import logging

import pytest

from .cluster import Cluster

# One line per HTTP call would bury the recovery figures the suite prints.
logging.getLogger("httpx").setLevel(logging.WARNING)


@pytest.fixture(scope="module")
def cluster():
    world = Cluster()
    try:
        world.up()
        yield world
    finally:
        world.down()
