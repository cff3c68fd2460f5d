"""Programmes, commune plans and their workflow.

History: django-simple-history rows for field changes, `PlanStatusChange` rows for the
workflow. Edits carry the version the editor started from; if someone saved in between,
nothing is written and `EditConflict` is raised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from org.models import NotificationKind, Unit, User
from org.notify import commune_staff, notify
from plans.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CommunePlan,
    ItemKind,
    PlanItem,
    PlanStatus,
    PlanStatusChange,
    Programme,
    ProgrammeItem,
    TargetAllocation,
)
from plans.models.common import YEAR_MESSAGE
from plans.models.periods import shift_year
from plans.services.summaries import carry_summaries


class EditConflict(Exception):
    """Someone saved the same plan or programme after the editor opened it."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("edit conflict")
        self.current = current


@dataclass
class ItemChange:
    """One row of an editor: a new item (item=None), an edited one, or one to delete."""

    item: PlanItem | ProgrammeItem | None
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[ProgrammeItem] | None = None
    delete: bool = False


# The workflow: action → (statuses it may start from, status it leads to, permission).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (
        (PlanStatus.DRAFT, PlanStatus.RETURNED),
        PlanStatus.SUBMITTED,
        "plans.edit_commune_plan",
    ),
    "approve": ((PlanStatus.SUBMITTED,), PlanStatus.APPROVED, "plans.review_commune_plan"),
    "return": ((PlanStatus.SUBMITTED,), PlanStatus.RETURNED, "plans.review_commune_plan"),
    # Approving a revision supersedes the plan it revises (see approve_plan).
    "supersede": ((PlanStatus.APPROVED,), PlanStatus.SUPERSEDED, "plans.review_commune_plan"),
}

PLAN_HEADER_FIELDS = ("number", "title", "issued_on")
PROGRAMME_HEADER_FIELDS = ("number", "issued_on", "title", "motto", "term_note")


def require(user: User, permission: str, obj: object = None) -> None:
    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def with_actor(obj: models.Model, by: User, reason: str = "") -> models.Model:
    obj._history_user = by
    obj._change_reason = reason or None
    return obj


def claim_version(model: type[models.Model], obj: models.Model, expected: int) -> None:
    """Compare-and-swap on `version`: only the editor who saw the current version may write.

    On PostgreSQL the UPDATE waits for a concurrent writer's row lock and then re-checks the
    version; on SQLite the IMMEDIATE transaction serializes writers. Either way exactly one
    of two racing saves wins.
    """
    updated = model._default_manager.filter(pk=obj.pk, version=expected).update(
        version=F("version") + 1
    )
    if not updated:
        raise EditConflict(model._default_manager.get(pk=obj.pk))
    obj.version = expected + 1


def _record_status(plan: CommunePlan, old: str, new: str, by: User, note: str) -> None:
    change = PlanStatusChange(plan=plan, from_status=old, to_status=new, by=by, note=note)
    change.full_clean()
    change.save()


# --- Commune plans ---------------------------------------------------------------------


@transaction.atomic
def create_plan(
    unit: Unit,
    year: int,
    *,
    by: User,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    copy_previous_year: bool = False,
) -> CommunePlan:
    """A new draft plan for the unit and year, linked to the programmes above it.

    With `copy_previous_year`, the items of last year's latest plan are copied (without
    their links to last year's programmes, which no longer apply).
    """
    require(by, "plans.edit_commune_plan", unit)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(YEAR_MESSAGE)
    # The unit's row lock makes two people starting the same plan at once wait for each
    # other; the second then meets the first one's plan in full_clean() instead of an
    # IntegrityError. (No-key: rows that merely reference the unit are not held up.)
    if (
        Unit.objects.select_for_update(no_key=True).valid_in_year(year).filter(pk=unit.pk).first()
        is None
    ):
        raise ValidationError(
            _("%(unit)s không có hiệu lực trong năm %(year)s.") % {"unit": unit, "year": year}
        )
    plan = CommunePlan(unit=unit, year=year, title=title, number=number, issued_on=issued_on)
    plan.full_clean()
    with_actor(plan, by, _("Lập kế hoạch")).save()
    plan.programmes.set(Programme.objects.filter(unit=unit.parent_id, year=year))
    _record_status(plan, "", PlanStatus.DRAFT, by, "")
    if copy_previous_year:
        previous = (
            CommunePlan.objects.filter(unit=unit, year=year - 1).order_by("-revision").first()
        )
        if previous is None:
            raise ValidationError(
                _("Đơn vị chưa có kế hoạch năm %(year)s để sao chép.") % {"year": year - 1}
            )
        _copy_items(previous, plan, by=by, reason=_("Sao chép từ kế hoạch năm trước"))
    return plan


def _copy_items(
    source: CommunePlan, target: CommunePlan, *, by: User, reason: str, keep_links: bool = False
) -> list[PlanItem]:
    copies = []
    originals = list(source.items.prefetch_related("source_items"))
    for original in originals:
        copy = PlanItem(
            plan=target,
            kind=original.kind,
            order=original.order,
            code=original.code,
            text=original.text,
            field_id=original.field_id,
            responsible=original.responsible,
            deadline=original.deadline and shift_year(original.deadline, target.year),
            measure_unit=original.measure_unit,
            direction=original.direction,
            baseline=original.baseline,
            target_value=original.target_value,
            accumulation=original.accumulation,
            base=original.base,
            revises=original if keep_links else None,
        )
        copy.full_clean(exclude=["plan"])
        copies.append(copy)
    created = bulk_create_with_history(
        copies, PlanItem, default_user=by, default_change_reason=reason
    )
    if keep_links:
        links = [
            PlanItem.source_items.through(planitem_id=copy.pk, programmeitem_id=source_item.pk)
            for copy, original in zip(created, originals, strict=True)
            for source_item in original.source_items.all()
        ]
        PlanItem.source_items.through.objects.bulk_create(links)
    return created


@transaction.atomic
def save_plan(
    plan: CommunePlan,
    *,
    by: User,
    expected_version: int,
    header: dict[str, Any],
    changes: Iterable[ItemChange],
    programmes: Iterable[Programme] | None = None,
    reason: str = "",
) -> CommunePlan:
    """Save the editor: header fields and every item change, or nothing at all. `reason`
    goes into the history of every row written ("Nhập từ tệp Excel: …")."""
    require(by, "plans.edit_commune_plan", plan.unit)
    if not plan.is_editable:
        raise ValidationError(
            _("Kế hoạch đang ở trạng thái “%(status)s”, không thể chỉnh sửa.")
            % {"status": plan.get_status_display()}
        )
    claim_version(CommunePlan, plan, expected_version)
    for name in PLAN_HEADER_FIELDS:
        if name in header:
            setattr(plan, name, header[name])
    plan.full_clean()
    with_actor(plan, by, reason).save()
    if programmes is not None:
        plan.programmes.set(programmes)
    _apply_changes(PlanItem, {"plan": plan}, changes, by=by, reason=reason)
    return plan


def _apply_changes(
    model: type[PlanItem] | type[ProgrammeItem],
    owner: dict[str, models.Model],
    changes: Iterable[ItemChange],
    *,
    by: User,
    reason: str = "",
) -> None:
    """Create, update and delete items, then renumber each kind 1, 2, 3 …"""
    ((owner_name, owner_obj),) = owner.items()
    last_position = dict(
        model._default_manager.filter(**owner)
        .values("kind")
        .annotate(last=models.Max("order"))
        .values_list("kind", "last")
    )
    for change in changes:
        item = change.item or model(**owner)
        if change.item is None and "order" not in change.values:
            # A new row without a position goes after the existing ones of its kind.
            kind = change.values.get("kind", "")
            last_position[kind] = last_position.get(kind, 0) + 1
            item.order = last_position[kind]
        if getattr(item, f"{owner_name}_id") != owner_obj.pk:
            raise PermissionDenied(_("Nội dung không thuộc văn bản này."))
        if change.delete:
            if change.item is not None:
                with_actor(item, by, reason).delete()
            continue
        for name, value in change.values.items():
            setattr(item, name, value)
        item.full_clean()
        with_actor(item, by, reason).save()
        if change.sources is not None:
            item.source_items.set(change.sources)
    _renumber(model._default_manager.filter(**owner), by=by, reason=reason)


def _renumber(items: models.QuerySet, *, by: User, reason: str = "") -> None:
    positions: dict[str, int] = {}
    for item in items.order_by("kind", "order", "pk"):
        positions[item.kind] = positions.get(item.kind, 0) + 1
        if item.order != positions[item.kind]:
            item.order = positions[item.kind]
            with_actor(item, by, reason).save(update_fields=["order", "updated_at"])


def _transition(plan: CommunePlan, action: str, *, by: User, note: str = "") -> CommunePlan:
    sources, target, permission = TRANSITIONS[action]
    require(by, permission, plan.unit)
    plan = CommunePlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.status not in sources:
        raise ValidationError(
            _("Không thể chuyển kế hoạch từ “%(old)s” sang “%(new)s”.")
            % {"old": plan.get_status_display(), "new": PlanStatus(target).label}
        )
    old = plan.status
    plan.status = target
    plan.version += 1  # the row is locked: an editor who opened the old version must reload
    with_actor(plan, by, note).save(update_fields=["status", "version", "updated_at"])
    _record_status(plan, old, target, by, note)
    return plan


@transaction.atomic
def submit_plan(plan: CommunePlan, *, by: User) -> CommunePlan:
    """Draft or returned → submitted for the district's approval."""
    if not plan.items.exists():
        raise ValidationError(_("Kế hoạch chưa có nội dung nào, chưa thể trình duyệt."))
    return _transition(plan, "submit", by=by)


@transaction.atomic
def approve_plan(plan: CommunePlan, *, by: User, note: str = "") -> CommunePlan:
    """Submitted → approved; an approved plan is read-only.

    Approving a revision supersedes the plan it revises in the same transaction: from then on
    only the revision is reported on, rolled up and counted, and the reports already made on
    the original carry over to it (see `plans.progress`): the revision's summaries of those
    periods are written now, so the dashboards keep them.
    """
    plan = _transition(plan, "approve", by=by, note=note)
    _tell_commune(plan, NotificationKind.PLAN_APPROVED, by=by, note=note)
    if plan.revises_id is not None:
        note = _("Thay thế bởi kế hoạch điều chỉnh lần %(n)s.") % {"n": plan.revision}
        _transition(plan.revises, "supersede", by=by, note=note)
        carry_summaries(plan)
    return plan


def _tell_commune(plan: CommunePlan, kind: str, *, by: User, note: str) -> None:
    """Tell the commune's staff what became of their plan (this version of it)."""
    notify(
        kind,
        commune_staff(plan.unit),
        subject=str(plan),
        url=plan.get_absolute_url(),
        key=f"{kind}:{plan.pk}:{plan.version}",
        topic=f"plan:{plan.pk}",
        note=note,
        actor=by,
    )


@transaction.atomic
def return_plan(plan: CommunePlan, *, by: User, reason: str) -> CommunePlan:
    """Submitted → returned to the commune, with the reason it must fix."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại để xã biết cần sửa gì.")})
    plan = _transition(plan, "return", by=by, note=reason.strip())
    _tell_commune(plan, NotificationKind.PLAN_RETURNED, by=by, note=reason.strip())
    return plan


@transaction.atomic
def start_revision(plan: CommunePlan, *, by: User, reason: str, decision: str) -> CommunePlan:
    """Điều chỉnh kế hoạch: a new draft version of an approved plan, with its items copied.

    The approved plan stays as it was (the baseline the revision is compared with); the
    revision goes through submission and approval again.
    """
    require(by, "plans.edit_commune_plan", plan.unit)
    plan = CommunePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Chỉ điều chỉnh được kế hoạch đã duyệt."))
    if CommunePlan.objects.filter(revises=plan).exists():
        raise ValidationError(_("Kế hoạch này đã có bản điều chỉnh."))
    revision = CommunePlan(
        unit=plan.unit,
        year=plan.year,
        number=plan.number,
        issued_on=plan.issued_on,
        title=plan.title,
        revision=plan.revision + 1,
        revises=plan,
        revision_reason=reason.strip(),
        revision_decision=decision.strip(),
    )
    revision.full_clean()
    with_actor(revision, by, reason).save()
    revision.programmes.set(plan.programmes.all())
    _record_status(revision, "", PlanStatus.DRAFT, by, reason.strip())
    _copy_items(plan, revision, by=by, reason=_("Điều chỉnh kế hoạch"), keep_links=True)
    return revision


# --- Programmes ------------------------------------------------------------------------


@transaction.atomic
def create_programme(unit: Unit, year: int, kind: str, *, by: User, **header: Any) -> Programme:
    require(by, "plans.edit_programme", unit)
    programme = Programme(unit=unit, year=year, kind=kind, **header)
    programme.full_clean()
    with_actor(programme, by, _("Ban hành văn bản")).save()
    return programme


@transaction.atomic
def save_programme(
    programme: Programme,
    *,
    by: User,
    expected_version: int,
    header: dict[str, Any],
    changes: Iterable[ItemChange],
) -> Programme:
    require(by, "plans.edit_programme", programme.unit)
    claim_version(Programme, programme, expected_version)
    for name in PROGRAMME_HEADER_FIELDS:
        if name in header:
            setattr(programme, name, header[name])
    programme.full_clean()
    with_actor(programme, by).save()
    _apply_changes(ProgrammeItem, {"programme": programme}, changes, by=by)
    return programme


@transaction.atomic
def allocate_target(
    item: ProgrammeItem,
    *,
    by: User,
    expected_version: int,
    values: dict[Unit, Decimal | None],
    note: str = "",
) -> list[TargetAllocation]:
    """Set each commune's share of a district target; a commune without a value has none."""
    require(by, "plans.edit_programme", item.programme.unit)
    if item.kind != ItemKind.TARGET:
        raise ValidationError(_("Chỉ phân bổ được chỉ tiêu."))
    claim_version(Programme, item.programme, expected_version)
    existing = {allocation.unit_id: allocation for allocation in item.allocations.all()}
    kept = []
    for unit, value in values.items():
        allocation = existing.get(unit.pk)
        if value is None:
            if allocation is not None:
                with_actor(allocation, by).delete()
            continue
        if allocation is None:
            allocation = TargetAllocation(item=item, unit=unit)
        elif allocation.value == value:
            kept.append(allocation)
            continue
        allocation.value = value
        allocation.full_clean()
        with_actor(allocation, by, _("Phân bổ chỉ tiêu")).save()
        kept.append(allocation)
    if item.allocation_note != note:
        item.allocation_note = note
        with_actor(item, by, _("Phân bổ chỉ tiêu")).save(
            update_fields=["allocation_note", "updated_at"]
        )
    return kept
