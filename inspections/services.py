"""Writes of the inspections app: visits, findings, directives and their follow-up.

Same discipline as `plans.services`: keyword-only `by`, permission from `portal.rules`, one
transaction, `full_clean()`, history rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.models import (
    Campaign,
    Commitment,
    Delegation,
    Directive,
    DirectiveUpdate,
    Finding,
    FindingKind,
    ProposedStatus,
    Visit,
)
from inspections.reminders import directive_topic
from org.models import NotificationKind, Unit, User
from org.notify import commune_staff, notify, office_staff_over, withdraw
from org.rules import visible_units
from plans.services import require, with_actor

UNANSWERED = gettext_lazy(
    "Đơn vị chưa báo cáo kết quả thực hiện. Xác nhận hoàn thành sau khi đơn vị báo cáo, "
    "hoặc chọn đóng khi chưa có báo cáo và nêu lý do."
)


@transaction.atomic
def save_campaign(campaign: Campaign, *, by: User) -> Campaign:
    """Create or change an inspection campaign of the user's own supervising unit."""
    require(by, "inspections.manage_campaign", campaign.unit)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def save_delegation(delegation: Delegation, *, by: User, members=(), units=()) -> Delegation:
    """Create or change a delegation: its head, members and the units it inspects."""
    campaign = delegation.campaign
    require(by, "inspections.manage_campaign", campaign.unit)
    outside = [unit for unit in units if not _is_below(unit, campaign.unit)]
    if outside:
        raise ValidationError(
            {
                "units": _("Đơn vị không thuộc %(unit)s: %(names)s.")
                % {
                    "unit": campaign.unit.full_name,
                    "names": ", ".join(u.full_name for u in outside),
                }
            }
        )
    delegation.full_clean()
    with_actor(delegation, by).save()
    delegation.members.set(members)
    delegation.units.set(units)
    return delegation


def _is_below(unit: Unit, root: Unit) -> bool:
    return Unit.objects.within(root).filter(pk=unit.pk).exists()


def _check_visit(visit: Visit, attending) -> None:
    """What `Visit.clean()` cannot see: the delegation and cluster memberships."""
    errors = {}
    if not Unit.objects.valid_on(visit.date).filter(pk=visit.host_id).exists():
        errors["date"] = _("Vào ngày này đơn vị chưa thành lập hoặc đã sắp xếp, sáp nhập.")
    if visit.delegation_id and not visit.delegation.units.filter(pk=visit.host_id).exists():
        errors["delegation"] = _("Đơn vị làm việc không được giao cho đoàn này.")
    if visit.cluster_id:
        members = set(visit.cluster.members.values_list("pk", flat=True))
        if visit.host_id not in members:
            errors["host"] = _("Đơn vị đăng cai không thuộc cụm.")
        elif any(unit.pk not in members for unit in attending):
            errors["attending"] = _("Chỉ chọn các đơn vị thuộc cụm.")
    elif attending:
        errors["attending"] = _("Chỉ hội nghị giao ban cụm mới có đơn vị dự.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_visit(host: Unit, *, by: User, **values: Any) -> Visit:
    """Ghi nhận buổi làm việc with a host unit."""
    plans = values.pop("plans", [])
    attending = values.pop("attending", [])
    visit = Visit(host=host, **values)
    # An inspector records for one of this year's delegations they belong to, at its unit.
    require(by, "inspections.record_visit", visit)
    visit.full_clean()
    _check_visit(visit, attending)
    with_actor(visit, by).save()
    visit.plans.set(plans)
    visit.attending.set(attending)
    return visit


@transaction.atomic
def update_visit(visit: Visit, *, by: User, **values: Any) -> Visit:
    """Change a visit's particulars; its host stays (record a new visit for another unit)."""
    require(by, "inspections.record_visit", visit)
    plans = values.pop("plans", None)
    attending = values.pop("attending", [])
    for name, value in values.items():
        setattr(visit, name, value)
    require(by, "inspections.record_visit", visit)  # the delegation it now names, too
    visit.full_clean()
    _check_visit(visit, attending)
    with_actor(visit, by).save()
    if plans is not None:
        visit.plans.set(plans)
    visit.attending.set(attending)
    return visit


@transaction.atomic
def add_finding(visit: Visit, *, by: User, kind: str, text: str, field=None) -> Finding:
    require(by, "inspections.record_visit", visit)
    order = visit.findings.filter(kind=kind).count() + 1
    finding = Finding(visit=visit, kind=kind, text=text.strip(), field=field, order=order)
    finding.full_clean()
    with_actor(finding, by).save()
    return finding


@transaction.atomic
def add_campaign_finding(
    campaign: Campaign, *, by: User, kind: str, text: str, field=None
) -> Finding:
    """A district-wide remark of the campaign's summary (not tied to one visit)."""
    require(by, "inspections.manage_campaign", campaign.unit)
    order = campaign.findings.filter(kind=kind).count() + 1
    finding = Finding(campaign=campaign, kind=kind, text=text.strip(), field=field, order=order)
    finding.full_clean()
    with_actor(finding, by).save()
    return finding


@transaction.atomic
def delete_finding(finding: Finding, *, by: User) -> None:
    """Remove a remark; directives made from it stay, without the link."""
    if finding.visit_id is not None:
        require(by, "inspections.record_visit", finding.visit)
    else:
        require(by, "inspections.manage_campaign", finding.campaign.unit)
    with_actor(finding, by).delete()


@transaction.atomic
def issue_directive(
    visit: Visit,
    *,
    by: User,
    text: str,
    lead: str,
    deadline: datetime.date,
    cooperating: str = "",
    field=None,
    plan_item=None,
    finding: Finding | None = None,
    unit: Unit | None = None,
) -> Directive:
    """Ý kiến chỉ đạo for the host unit (or, at a cluster conference, an attending unit);
    from a shortcoming when `finding` is given."""
    require(by, "inspections.record_visit", visit)
    unit = unit or visit.host
    if unit.pk != visit.host_id and not visit.attending.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Chỉ giao cho đơn vị đăng cai hoặc đơn vị dự.")})
    if finding is not None and (
        finding.visit_id != visit.pk or finding.kind == FindingKind.STRENGTH
    ):
        raise ValidationError(_("Chỉ chuyển được hạn chế, khó khăn của chính buổi làm việc này."))
    if plan_item is not None and plan_item.plan.unit_id != unit.pk:
        raise ValidationError(_("Nội dung kế hoạch không thuộc đơn vị được kiểm tra."))
    if deadline < visit.date:
        raise ValidationError({"deadline": _("Thời hạn phải sau ngày làm việc.")})
    directive = Directive(
        visit=visit,
        unit=unit,
        order=visit.directives.count() + 1,
        text=(text or (finding.text if finding else "")).strip(),
        lead=lead.strip(),
        cooperating=cooperating.strip(),
        deadline=deadline,
        field=field if field is not None else (finding.field if finding else None),
        plan_item=plan_item,
        finding=finding,
    )
    directive.full_clean()
    with_actor(directive, by, _("Ban hành ý kiến chỉ đạo")).save()
    _tell(directive, NotificationKind.DIRECTIVE_ISSUED, commune_staff(unit), by=by)
    return directive


def _tell(
    directive: Directive,
    kind: str,
    people: Iterable[User],
    *,
    by: User,
    note: str = "",
    event: object = "",
) -> None:
    """Tell `people` of an event of the directive (`event` tells one apart from a later one
    of the same kind: an answer's id, a verification's history id)."""
    notify(
        kind,
        people,
        subject=directive.text,
        url=directive.get_absolute_url(),
        key=f"{kind}:{directive.pk}:{event}",
        topic=directive_topic(directive.pk),
        note=note,
        actor=by,
    )


def _last_change(directive: Directive) -> int:
    return directive.history.latest().history_id


def verifying_members(directive: Directive) -> list[User]:
    """The members of the delegation that issued the directive who may verify it (the
    `inspections.verify_directive` rule: this year's delegation, at a unit assigned to it)
    and open it (at a cluster conference the directive's own unit may not be theirs)."""
    delegation = directive.visit.delegation
    if delegation is None:
        return []
    return [
        member
        for member in delegation.members.filter(is_active=True)
        if rules.has_perm("inspections.verify_directive", member, directive)
        and visible_units(member).filter(pk=directive.unit_id).exists()
    ]


@transaction.atomic
def delete_directive(directive: Directive, *, by: User) -> None:
    """Withdraw a directive issued by mistake, while the unit has not yet reported on it."""
    require(by, "inspections.record_visit", directive.visit)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.completed_on is not None or directive.updates.exists():
        raise ValidationError(
            _("Không xóa được: đơn vị đã báo cáo thực hiện hoặc chỉ đạo đã hoàn thành.")
        )
    # Told of a directive that no longer exists, the unit would follow a link to nothing.
    withdraw(f"{NotificationKind.DIRECTIVE_ISSUED}:{directive.pk}:")
    with_actor(directive, by, _("Thu hồi ý kiến chỉ đạo")).delete()


@transaction.atomic
def answer_directive(
    directive: Directive,
    *,
    by: User,
    text: str,
    evidence: str = "",
    proposed: str = ProposedStatus.IN_PROGRESS,
) -> DirectiveUpdate:
    """The unit reports what it did; it may propose the directive as done."""
    require(by, "inspections.answer_directive", directive.unit)
    if directive.completed_on is not None:
        raise ValidationError(_("Ý kiến chỉ đạo đã được xác nhận hoàn thành."))
    update = DirectiveUpdate(
        directive=directive, by=by, text=text.strip(), evidence=evidence.strip(), proposed=proposed
    )
    update.full_clean()
    update.save()
    # The office over the unit follows it up; the delegation that issued it verifies it.
    people = [*office_staff_over(directive.unit), *verifying_members(directive)]
    kind = NotificationKind.DIRECTIVE_ANSWERED
    _tell(directive, kind, people, by=by, note=update.text, event=update.pk)
    return update


@transaction.atomic
def close_directive(
    directive: Directive,
    *,
    by: User,
    completed_on: datetime.date | None = None,
    note: str = "",
    without_answer: bool = False,
) -> Directive:
    """The delegation or office verifies the work and records the day it was completed.

    Verification follows the unit's report. Closing a directive the unit never answered is a
    separate, explicit act (``without_answer``) that needs its reason in the note.
    """
    require(by, "inspections.verify_directive", directive)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.completed_on is not None:
        raise ValidationError(_("Ý kiến chỉ đạo đã được xác nhận hoàn thành."))
    note = note.strip()
    answered = directive.updates.exists()
    if not answered and not without_answer:
        raise ValidationError(UNANSWERED)
    if not answered and not note:
        raise ValidationError({"note": _("Hãy nêu lý do đóng khi đơn vị chưa báo cáo.")})
    completed_on = completed_on or timezone.localdate()
    if completed_on < directive.visit.date or completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": _("Ngày hoàn thành phải từ ngày làm việc đến hôm nay.")}
        )
    directive.completed_on = completed_on
    directive.verified_by = by
    directive.full_clean()
    reason = note or _("Xác nhận hoàn thành")
    if not answered:
        reason = _("Đóng khi đơn vị chưa báo cáo: %(reason)s") % {"reason": note}
    with_actor(directive, by, reason).save()
    kind = NotificationKind.DIRECTIVE_VERIFIED if answered else NotificationKind.DIRECTIVE_CLOSED
    people = commune_staff(directive.unit)
    _tell(directive, kind, people, by=by, note=note, event=_last_change(directive))
    return directive


@transaction.atomic
def reopen_directive(directive: Directive, *, by: User, reason: str) -> Directive:
    """Undo a wrong verification; the reason stays in the history."""
    require(by, "inspections.verify_directive", directive)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy nêu lý do mở lại.")})
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.completed_on is None:
        raise ValidationError(_("Ý kiến chỉ đạo chưa được xác nhận hoàn thành."))
    directive.completed_on = None
    directive.verified_by = None
    directive.reopened_at = timezone.now()
    with_actor(directive, by, reason.strip()).save()
    kind, people = NotificationKind.DIRECTIVE_REOPENED, commune_staff(directive.unit)
    _tell(directive, kind, people, by=by, note=reason.strip(), event=_last_change(directive))
    return directive


@transaction.atomic
def delete_commitment(commitment: Commitment, *, by: User) -> None:
    require(by, "inspections.record_visit", commitment.visit)
    with_actor(commitment, by).delete()


@transaction.atomic
def add_commitment(
    visit: Visit, *, by: User, text: str, due: datetime.date | None = None
) -> Commitment:
    require(by, "inspections.record_visit", visit)
    commitment = Commitment(visit=visit, unit=visit.host, text=text.strip(), due=due)
    commitment.full_clean()
    with_actor(commitment, by).save()
    return commitment
