"""Forms that mislead (issue 16 item 8): objectives are chosen from the drill's list so the
report counts them; observations have no default kind; checkboxes sit by their labels."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from drills import services

pytestmark = pytest.mark.django_db


def test_an_inject_objective_must_be_one_of_the_drills_and_is_stored_as_listed(make_drill, departments):
    drill = make_drill()
    fields = dict(offset_minutes=5, from_sender="县应急局", to_department=departments["fire"], message="m")
    with pytest.raises(ValidationError) as refused:
        services.save_inject(drill, objective="完成拦截", **fields)
    assert "objective" in refused.value.message_dict
    inject = services.save_inject(drill, objective=" 30分钟内完成拦截 ", **fields)
    assert inject.objective == "30分钟内完成拦截"


def test_the_api_answers_400_naming_the_objective(api_for, trainer, make_drill):
    drill = make_drill()
    body = {"offset_minutes": 5, "from": "县应急局", "to": "fire", "message": "m", "objective": "别的目标"}
    answer = api_for(trainer).post(f"/api/drills/{drill.pk}/injects/", body, format="json")
    assert answer.status_code == 400 and "objective" in answer.json()


def test_the_msel_editor_offers_the_objectives_as_a_list(client, trainer, make_drill):
    drill = make_drill()
    client.force_login(trainer)
    page = client.get(f"/drills/{drill.pk}/").content.decode()
    options = re.search(r'<script id="objective-options" type="application/json">(.*?)</script>', page).group(1)
    assert "30分钟内完成拦截" in options.encode().decode("unicode_escape") or "30" in options


def test_observations_have_no_default_kind(client, evaluator, make_drill):
    drill = make_drill()
    client.force_login(evaluator)
    page = client.get(f"/drills/{drill.pk}/evaluate/").content.decode()
    radios = re.findall(r'<input type="radio" name="kind"[^>]*>', page)
    assert len(radios) == 2
    assert not any("checked" in radio for radio in radios)
    assert 'class="check"' in page


def test_the_scoring_method_is_not_an_english_paragraph_in_chinese(client, trainer, make_drill):
    drill = make_drill()
    client.force_login(trainer)
    page = client.get(f"/drills/{drill.pk}/score/").content.decode()
    assert "评分方法" in page
    assert "For each task, measured" not in page
