"""The admin shows the plan chain but never writes it past its services: programmes, plans,
items, the workflow log, reports, periods and summaries are all read-only there."""

from __future__ import annotations

import pytest
from django.test import Client

from org.models import Unit, User
from plans.models import (
    CommunePlan,
    Period,
    PeriodRule,
    PlanItem,
    PlanStatusChange,
    Programme,
    ProgrammeItem,
    ProgressReport,
    ReportSummary,
    TargetAllocation,
    TargetResult,
)

pytestmark = pytest.mark.django_db

READ_ONLY = {
    "programme": Programme,
    "programmeitem": ProgrammeItem,
    "communeplan": CommunePlan,
    "planitem": PlanItem,
    "planstatuschange": PlanStatusChange,
    "targetallocation": TargetAllocation,
    "progressreport": ProgressReport,
    "period": Period,
    "periodrule": PeriodRule,
    "reportsummary": ReportSummary,
}


@pytest.fixture
def admin_client(login) -> Client:
    PeriodRule.objects.create(
        unit=Unit.objects.get(code="872", valid_to__isnull=False),
        period=Period.objects.get(kind="month", year=2023, index=1),
        locked=True,
    )
    plan = CommunePlan.objects.filter(status="approved").first()
    PlanStatusChange.objects.create(
        plan=plan,
        from_status="submitted",
        to_status="approved",
        by=User.objects.get(username="vanphong"),
        note="Duyệt",
    )
    target = ProgrammeItem.objects.filter(kind="target").first()
    TargetAllocation.objects.create(item=target, unit=plan.unit, value=1)
    return login("admin")


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_the_admin_lists_and_shows_them(admin_client: Client, name: str) -> None:
    obj = READ_ONLY[name].objects.first()
    assert admin_client.get(f"/admin/plans/{name}/").status_code == 200
    page = admin_client.get(f"/admin/plans/{name}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_the_admin_adds_changes_and_deletes_none_of_them(admin_client: Client, name: str) -> None:
    model = READ_ONLY[name]
    obj = model.objects.first()
    count = model.objects.count()
    assert admin_client.get(f"/admin/plans/{name}/add/").status_code == 403
    assert admin_client.post(f"/admin/plans/{name}/add/", {}).status_code == 403
    assert admin_client.post(f"/admin/plans/{name}/{obj.pk}/change/", {}).status_code == 403
    assert (
        admin_client.post(f"/admin/plans/{name}/{obj.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    admin_client.post(f"/admin/plans/{name}/", bulk)
    assert model.objects.count() == count


def test_a_reports_results_are_shown_but_not_editable(admin_client: Client) -> None:
    result = TargetResult.objects.select_related("report").first()
    page = admin_client.get(f"/admin/plans/progressreport/{result.report_id}/change/")
    content = page.content.decode()
    assert page.context["inline_admin_formsets"]
    assert 'name="target_results-0-value"' not in content
    for inline in page.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission
