"""A drill's observer watches its exercise on the live board: in the list on connect and in
every change after (the board's quick filter knows departments and staff, not observers)."""

from __future__ import annotations

import json

import pytest
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from backend.incidents import services as incidents
from drills import services

from .conftest import T0

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_observer_follows_the_exercise_live_and_an_outsider_never_sees_it(live_asgi, make_drill, make_user):
    observer = make_user("viewer", username="observer")
    outsider = make_user("viewer", username="outsider")
    drill = services.start_drill(make_drill(observers=[observer]), now=T0)
    url = live_asgi.replace("http://", "ws://") + "/ws/board/"
    with connect(url, origin=live_asgi) as watching, connect(url, origin=live_asgi) as other:
        watching.send(json.dumps({"type": "auth", "token": Token.objects.get_or_create(user=observer)[0].key}))
        other.send(json.dumps({"type": "auth", "token": Token.objects.get_or_create(user=outsider)[0].key}))
        assert json.loads(watching.recv(timeout=10))["data"]["id"] == drill.incident_id
        incidents.change_level(drill.incident, 3, "演练升级", actor=None)
        update = json.loads(watching.recv(timeout=10))
        assert update["data"]["id"] == drill.incident_id and update["data"]["level"] == 3
        with pytest.raises(TimeoutError):
            other.recv(timeout=1)
