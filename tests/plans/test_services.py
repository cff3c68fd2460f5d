"""Every allowed and refused transition of the plan workflow, with its history rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org.models import Role, User
from plans import services
from plans.models import CommunePlan, ItemKind, PlanItem, PlanStatus
from tests.builders import make_user
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def vanphong() -> User:
    return User.objects.get(username="vanphong")


@pytest.fixture
def draft() -> CommunePlan:
    """Mỹ Hòa's 2023 plan, a draft in the demo."""
    plan = demo_plan("Mỹ Hòa", 2023)
    assert plan.status == PlanStatus.DRAFT
    return plan


@pytest.fixture
def my_hoa_staff(draft: CommunePlan) -> User:
    return make_user(draft.unit, role=Role.COMMUNE_STAFF, username="myhoa")


def steps(plan: CommunePlan) -> list[tuple[str, str]]:
    return list(plan.status_changes.values_list("from_status", "to_status"))


def test_commune_staff_submit_their_draft(draft: CommunePlan, my_hoa_staff: User) -> None:
    history_before = draft.history.count()
    plan = services.submit_plan(draft, by=my_hoa_staff)
    assert plan.status == PlanStatus.SUBMITTED
    assert steps(plan)[-1] == ("draft", "submitted")
    assert plan.status_changes.last().by == my_hoa_staff
    assert draft.history.count() == history_before + 1
    assert draft.history.first().history_user == my_hoa_staff


def test_an_empty_plan_cannot_be_submitted(draft: CommunePlan, my_hoa_staff: User) -> None:
    draft.items.all().delete()
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        services.submit_plan(draft, by=my_hoa_staff)


def test_another_communes_staff_cannot_submit(draft: CommunePlan) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_plan(draft, by=User.objects.get(username="myqui"))
    assert CommunePlan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


def test_a_leader_cannot_submit(draft: CommunePlan) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_plan(draft, by=User.objects.get(username="lanhdao"))


def test_district_staff_approve_a_submitted_plan(
    draft: CommunePlan, my_hoa_staff: User, vanphong: User
) -> None:
    services.submit_plan(draft, by=my_hoa_staff)
    plan = services.approve_plan(draft, by=vanphong, note="Đồng ý")
    assert plan.status == PlanStatus.APPROVED
    assert steps(plan)[-1] == ("submitted", "approved")


@pytest.mark.parametrize("username", ["myqui", "lanhdao", "kiemtra"])
def test_only_office_staff_approve(draft: CommunePlan, my_hoa_staff: User, username: str) -> None:
    services.submit_plan(draft, by=my_hoa_staff)
    with pytest.raises(PermissionDenied):
        services.approve_plan(draft, by=User.objects.get(username=username))
    with pytest.raises(PermissionDenied):
        services.return_plan(draft, by=User.objects.get(username=username), reason="x")


def test_commune_staff_cannot_approve_their_own_plan(
    draft: CommunePlan, my_hoa_staff: User
) -> None:
    services.submit_plan(draft, by=my_hoa_staff)
    with pytest.raises(PermissionDenied):
        services.approve_plan(draft, by=my_hoa_staff)


def test_a_draft_cannot_be_approved_or_returned(draft: CommunePlan, vanphong: User) -> None:
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.approve_plan(draft, by=vanphong)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.return_plan(draft, by=vanphong, reason="Thiếu chỉ tiêu")
    assert steps(draft) == []


def test_returning_needs_a_reason(draft: CommunePlan, my_hoa_staff: User, vanphong: User) -> None:
    services.submit_plan(draft, by=my_hoa_staff)
    with pytest.raises(ValidationError):
        services.return_plan(draft, by=vanphong, reason="   ")
    assert CommunePlan.objects.get(pk=draft.pk).status == PlanStatus.SUBMITTED


def test_a_returned_plan_is_fixed_and_resubmitted(
    draft: CommunePlan, my_hoa_staff: User, vanphong: User
) -> None:
    services.submit_plan(draft, by=my_hoa_staff)
    services.return_plan(draft, by=vanphong, reason="Chỉ tiêu thu ngân sách chưa sát")
    returned = CommunePlan.objects.get(pk=draft.pk)
    assert returned.status == PlanStatus.RETURNED
    assert returned.status_changes.last().note == "Chỉ tiêu thu ngân sách chưa sát"
    services.submit_plan(returned, by=my_hoa_staff)
    services.approve_plan(returned, by=vanphong)
    assert steps(returned) == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]


def test_an_approved_plan_cannot_be_submitted_again(vanphong: User) -> None:
    approved = demo_plan("Mỹ Quý", 2023)
    with pytest.raises(ValidationError):
        services.submit_plan(approved, by=vanphong)


def test_an_approved_plan_is_read_only(vanphong: User) -> None:
    approved = demo_plan("Mỹ Quý", 2023)
    with pytest.raises(ValidationError, match="không thể chỉnh sửa"):
        services.save_plan(
            approved,
            by=vanphong,
            expected_version=approved.version,
            header={"title": "x"},
            changes=[],
        )
    assert CommunePlan.objects.get(pk=approved.pk).title == approved.title


def test_a_stale_version_is_a_conflict_and_writes_nothing(
    draft: CommunePlan, vanphong: User
) -> None:
    first_item = draft.items.first()
    services.save_plan(
        draft,
        by=vanphong,
        expected_version=draft.version,
        header={"title": "Bản của người A"},
        changes=[],
    )
    stale = CommunePlan.objects.get(pk=draft.pk)
    stale.version -= 1
    change = services.ItemChange(item=first_item, values={"text": "Bản của người B"})
    with pytest.raises(services.EditConflict) as conflict:
        services.save_plan(
            stale,
            by=vanphong,
            expected_version=stale.version,
            header={"title": "B"},
            changes=[change],
        )
    assert conflict.value.current.title == "Bản của người A"
    assert PlanItem.objects.get(pk=first_item.pk).text == first_item.text


def test_saving_items_records_who_changed_what(draft: CommunePlan, vanphong: User) -> None:
    target = draft.items.filter(kind=ItemKind.TARGET).first()
    services.save_plan(
        draft,
        by=vanphong,
        expected_version=draft.version,
        header={},
        changes=[services.ItemChange(item=target, values={"target_value": Decimal("42")})],
    )
    latest = target.history.first()
    assert latest.history_user == vanphong
    assert latest.target_value == Decimal("42")
    assert latest.diff_against(latest.prev_record).changed_fields == ["target_value"]


def test_an_invalid_item_rolls_the_whole_save_back(draft: CommunePlan, vanphong: User) -> None:
    items = list(draft.items.filter(kind=ItemKind.TARGET)[:2])
    original_text, original_version = items[0].text, draft.version
    changes = [
        services.ItemChange(item=items[0], values={"text": "Đã sửa"}),
        services.ItemChange(item=items[1], values={"target_value": Decimal("-5")}),
    ]
    with pytest.raises(ValidationError):
        services.save_plan(
            draft, by=vanphong, expected_version=draft.version, header={}, changes=changes
        )
    assert PlanItem.objects.get(pk=items[0].pk).text == original_text
    assert CommunePlan.objects.get(pk=draft.pk).version == original_version


def test_items_are_renumbered_after_a_delete(draft: CommunePlan, vanphong: User) -> None:
    first = draft.items.filter(kind=ItemKind.KEY_TASK).order_by("order").first()
    first_id = first.pk
    services.save_plan(
        draft,
        by=vanphong,
        expected_version=draft.version,
        header={},
        changes=[services.ItemChange(item=first, delete=True)],
    )
    orders = list(draft.items.filter(kind=ItemKind.KEY_TASK).values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))
    assert PlanItem.history.filter(id=first_id, history_type="-").exists()


def test_an_item_of_another_plan_cannot_be_smuggled_in(draft: CommunePlan, vanphong: User) -> None:
    foreign = demo_plan("Mỹ Quý", 2023).items.first()
    with pytest.raises(PermissionDenied):
        services.save_plan(
            draft,
            by=vanphong,
            expected_version=draft.version,
            header={},
            changes=[services.ItemChange(item=foreign, values={"text": "chiếm quyền"})],
        )
    assert PlanItem.objects.get(pk=foreign.pk).text != "chiếm quyền"


def test_a_revision_copies_the_approved_plan_and_goes_through_approval_again(
    vanphong: User,
) -> None:
    approved = demo_plan("Mỹ Quý", 2023)
    myqui = User.objects.get(username="myqui")
    revision = services.start_revision(
        approved,
        by=myqui,
        reason="Điều chỉnh theo kết luận của Đoàn công tác",
        decision="Công văn số 123-CV/HU ngày 20/02/2023",
    )
    assert (revision.revision, revision.revises, revision.status) == (1, approved, "draft")
    assert revision.items.count() == approved.items.count()
    assert all(item.revises.plan_id == approved.pk for item in revision.items.all())
    assert revision.items.first().source_items.exists()
    assert (
        PlanItem.history.filter(plan_id=revision.pk, history_user=myqui).count()
        == revision.items.count()
    )
    assert approved.status == CommunePlan.objects.get(pk=approved.pk).status == "approved"
    with pytest.raises(ValidationError, match="đã có bản điều chỉnh"):
        services.start_revision(approved, by=myqui, reason="lần nữa", decision="CV 2")
    services.submit_plan(revision, by=myqui)
    services.approve_plan(revision, by=vanphong)


def test_a_revision_needs_a_reason_and_a_decision() -> None:
    approved = demo_plan("Mỹ Quý", 2023)
    with pytest.raises(ValidationError):
        services.start_revision(
            approved, by=User.objects.get(username="myqui"), reason="", decision=""
        )
    assert not CommunePlan.objects.filter(revises=approved).exists()


def test_only_approved_plans_are_revised(draft: CommunePlan, vanphong: User) -> None:
    with pytest.raises(ValidationError, match="đã duyệt"):
        services.start_revision(draft, by=vanphong, reason="x", decision="y")


def test_a_new_plan_can_start_from_last_years(vanphong: User) -> None:
    last_year = demo_plan("Thạnh Lợi", 2022)
    plan = services.create_plan(
        last_year.unit, 2023, by=vanphong, title="Kế hoạch 2023", copy_previous_year=True
    )
    assert plan.status == "draft"
    assert plan.items.count() == last_year.items.count()
    assert not plan.items.filter(source_items__isnull=False).exists()
    assert PlanItem.history.filter(plan_id=plan.pk).count() == plan.items.count()
    assert steps(plan) == [("", "draft")]
    assert {p.year for p in plan.programmes.all()} == {2023}


def test_commune_staff_cannot_create_a_plan_for_another_commune() -> None:
    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    with pytest.raises(PermissionDenied):
        services.create_plan(thanh_loi, 2023, by=User.objects.get(username="myqui"), title="x")


@pytest.mark.parametrize("year", [2026, 2003])
def test_no_plan_for_a_year_the_unit_did_not_exist(vanphong: User, year: int) -> None:
    # The demo's Tháp Mười communes existed from 2004 until the reform of 1/7/2025.
    unit = demo_plan("Thạnh Lợi", 2022).unit
    with pytest.raises(ValidationError, match=f"không có hiệu lực trong năm {year}"):
        services.create_plan(unit, year, by=vanphong, title="Kế hoạch")
    assert not CommunePlan.objects.filter(unit=unit, year=year).exists()


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_no_plan_for_a_year_outside_2000_2100(vanphong: User, year: int) -> None:
    unit = demo_plan("Thạnh Lợi", 2022).unit
    with pytest.raises(ValidationError, match="2000–2100"):
        services.create_plan(unit, year, by=vanphong, title="Kế hoạch")


def test_a_second_plan_for_the_same_unit_and_year_is_refused(vanphong: User) -> None:
    unit = demo_plan("Thạnh Lợi", 2022).unit
    services.create_plan(unit, 2023, by=vanphong, title="Kế hoạch 2023")
    with pytest.raises(ValidationError, match="Đơn vị đã có kế hoạch cho năm này"):
        services.create_plan(unit, 2023, by=vanphong, title="Lần nữa")
    assert CommunePlan.objects.filter(unit=unit, year=2023).count() == 1
