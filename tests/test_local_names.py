"""Records named in the user's language (backend/names.py, issue 16 item 9)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from backend.alerts.forms import contact_choices
from backend.directory.models import Department
from backend.directory.services import save_contact
from backend.names import join_names, local_name, parenthesised


def test_a_record_with_an_english_name_is_named_in_english_only_in_english_mode():
    fire = Department(code="fire", name="忻州市消防救援支队", name_en="Xinzhou Fire and Rescue Detachment")
    bare = Department(code="x", name="某某局", name_en="")
    with translation.override("en"):
        assert local_name(fire) == "Xinzhou Fire and Rescue Detachment"
        assert local_name(bare) == "某某局"  # no English name: the Chinese one, never a blank
        assert local_name({"item_name": "生石灰", "item_name_en": "Quicklime"}, "item") == "Quicklime"
    with translation.override("zh-hans"):
        assert local_name(fire) == "忻州市消防救援支队"
        assert local_name({"item_name": "生石灰", "item_name_en": "Quicklime"}, "item") == "生石灰"
    assert local_name(None) == ""


def test_lists_and_remarks_use_the_languages_punctuation():
    with translation.override("en"):
        assert join_names(["A", "B"]) == "A, B" and parenthesised("联络员") == " (联络员)"
    with translation.override("zh-hans"):
        assert join_names(["甲", "乙"]) == "甲、乙" and parenthesised("联络员") == "（联络员）"


def test_the_template_filters_name_departments_in_the_page_language(departments):
    template = Template("{% load local_names %}{{ ds|local_names }}|{{ d|local_name }}|a{% list_separator %}b")
    ds = [departments["fire"], departments["police"]]
    with translation.override("en"):
        text = template.render(Context({"ds": ds, "d": departments["water"]}))
        names = "Xinzhou Fire and Rescue Detachment, Xinzhou Public Security Bureau"
        assert text == f"{names}|Xinzhou Water Resources Bureau|a, b"
    with translation.override("zh-hans"):
        text = template.render(Context({"ds": ds, "d": departments["water"]}))
        assert text == "忻州市消防救援支队、忻州市公安局|忻州市水利局|a、b"


def test_escalation_contacts_are_grouped_under_english_department_names(departments):
    save_contact(department=departments["fire"], name="陈磊", mobile="13900000011", duty_role="联络员")
    with translation.override("en"):
        groups = dict(contact_choices(departments["environment"]))
    assert "Xinzhou Fire and Rescue Detachment" in groups
    assert [label for _pk, label in groups["Xinzhou Fire and Rescue Detachment"]] == ["陈磊 (联络员)"]
    assert "忻州市消防救援支队" not in groups


def test_the_river_map_script_gets_labels_for_stored_choice_values():
    from plans.views import _labels

    with translation.override("en"):
        labels = _labels()
        assert labels["risk_grades"]["较大"] == "Moderate" and labels["serves_choices"]["county"].isascii()
    with translation.override("zh-hans"):
        labels = _labels()
        assert labels["risk_grades"]["较大"] == "较大" and not labels["serves_choices"]["county"].isascii()
