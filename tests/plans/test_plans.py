"""Plan versions: draft → approved → superseded, one approved per river, history kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from backend.api import DomainRefusal
from plans import services
from plans.models import EnterprisePlanFiling, ResponsePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(meridian_river, departments, duty_officer, make_feature):
    plan = services.create_plan(river=meridian_river, title="South river plan", user=duty_officer)
    services.save_task_template(
        plan=plan, department=departments["fire"], text="Booms at the dam", order=1, complete_minutes=90
    )
    dam = make_feature(meridian_river, "space", 112.5, 38.2, name="Dam", space_type="dam", setup_minutes=60)
    services.save_measure(plan=plan, space=dam, category="oil", action="Deploy booms, collect with felt")
    return plan


def test_a_new_plan_is_a_draft_with_the_next_version(plan, meridian_river):
    assert (plan.status, plan.version) == ("draft", 1)
    assert services.create_plan(river=meridian_river, title="Second").version == 2
    assert plan.task_templates.get().ack_minutes == 10  # the default target to acknowledge


def test_approving_supersedes_the_previous_plan(plan, duty_officer):
    services.approve_plan(plan, user=duty_officer)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == duty_officer and plan.approved_at is not None

    draft = services.new_plan_version(plan, user=duty_officer)
    assert (draft.version, draft.status) == (2, "draft")
    assert [t.text for t in draft.task_templates.all()] == ["Booms at the dam"]
    assert draft.measures.count() == 1

    services.approve_plan(draft, user=duty_officer)
    plan.refresh_from_db()
    assert plan.status == "superseded"
    assert plan.task_templates.count() == 1  # the old version stays readable
    assert ResponsePlan.objects.filter(river=plan.river, status="approved").get().version == 2


def test_only_drafts_change(plan, departments):
    services.approve_plan(plan)
    with pytest.raises(DomainRefusal):
        services.update_plan(plan, title="Edited after approval")
    with pytest.raises(DomainRefusal):
        services.save_task_template(plan=plan, department=departments["police"], text="x", complete_minutes=30)
    with pytest.raises(DomainRefusal):
        services.approve_plan(plan)
    with pytest.raises(DomainRefusal):
        services.delete_plan(plan)


def test_the_database_refuses_two_approved_plans(plan, meridian_river):
    services.approve_plan(plan)
    other = services.create_plan(river=meridian_river, title="Sneaky")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsePlan.objects.filter(pk=other.pk).update(status="approved")


def test_it_lists_risk_sources_missing_or_expired_filings(meridian_river, make_feature):
    never = make_feature(meridian_river, "risk_source", 112.5, 38.4, name="Never filed", source_type="enterprise")
    expired = make_feature(meridian_river, "risk_source", 112.5, 38.3, name="Expired", source_type="tailings_pond")
    current = make_feature(meridian_river, "risk_source", 112.5, 38.2, name="Current", source_type="chemical_park")
    services.save_filing(
        risk_source=expired, filing_number="140900-2021-001", filed_on=date(2021, 3, 1), expires_on=date(2024, 3, 1)
    )
    services.save_filing(
        risk_source=current, filing_number="140900-2025-007", filed_on=date(2025, 5, 1), expires_on=date(2028, 5, 1)
    )
    rows = {f.name: f.has_filing for f in services.missing_or_expired_filings(today=date(2026, 6, 1))}
    assert rows == {"Never filed": False, "Expired": True}
    assert never.filings.count() == 0
    assert EnterprisePlanFiling.objects.count() == 2
