"""Writes of the inspections app: visits, findings, directives and their follow-up.

Same discipline as `plans.services`: keyword-only `by`, permission from `portal.rules`, one
transaction, `full_clean()`, history rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    Commitment,
    Directive,
    DirectiveUpdate,
    Finding,
    FindingKind,
    ProposedStatus,
    Visit,
)
from plans.services import require, with_actor
from portal.models import Unit, User


@transaction.atomic
def record_visit(host: Unit, *, by: User, **values: Any) -> Visit:
    """Ghi nhận buổi làm việc with a host unit."""
    require(by, "inspections.record_visit", host)
    plans = values.pop("plans", [])
    visit = Visit(host=host, **values)
    visit.full_clean()
    with_actor(visit, by).save()
    visit.plans.set(plans)
    return visit


@transaction.atomic
def add_finding(visit: Visit, *, by: User, kind: str, text: str, field=None) -> Finding:
    require(by, "inspections.record_visit", visit.host)
    order = visit.findings.filter(kind=kind).count() + 1
    finding = Finding(visit=visit, kind=kind, text=text.strip(), field=field, order=order)
    finding.full_clean()
    with_actor(finding, by).save()
    return finding


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
) -> Directive:
    """Ý kiến chỉ đạo for the host unit; from a shortcoming when `finding` is given."""
    require(by, "inspections.record_visit", visit.host)
    if finding is not None and (
        finding.visit_id != visit.pk or finding.kind == FindingKind.STRENGTH
    ):
        raise ValidationError(_("Chỉ chuyển được hạn chế, khó khăn của chính buổi làm việc này."))
    if plan_item is not None and plan_item.plan.unit_id != visit.host_id:
        raise ValidationError(_("Nội dung kế hoạch không thuộc đơn vị được kiểm tra."))
    if deadline < visit.date:
        raise ValidationError({"deadline": _("Thời hạn phải sau ngày làm việc.")})
    directive = Directive(
        visit=visit,
        unit=visit.host,
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
    return directive


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
    return update


@transaction.atomic
def close_directive(
    directive: Directive, *, by: User, completed_on: datetime.date | None = None, note: str = ""
) -> Directive:
    """The delegation or office verifies the work and records the day it was completed."""
    require(by, "inspections.verify_directive", directive.unit)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.completed_on is not None:
        raise ValidationError(_("Ý kiến chỉ đạo đã được xác nhận hoàn thành."))
    completed_on = completed_on or timezone.localdate()
    if completed_on < directive.visit.date or completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": _("Ngày hoàn thành phải từ ngày làm việc đến hôm nay.")}
        )
    directive.completed_on = completed_on
    directive.verified_by = by
    directive.full_clean()
    with_actor(directive, by, note or _("Xác nhận hoàn thành")).save()
    return directive


@transaction.atomic
def reopen_directive(directive: Directive, *, by: User, reason: str) -> Directive:
    """Undo a wrong verification; the reason stays in the history."""
    require(by, "inspections.verify_directive", directive.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy nêu lý do mở lại.")})
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.completed_on is None:
        raise ValidationError(_("Ý kiến chỉ đạo chưa được xác nhận hoàn thành."))
    directive.completed_on = None
    directive.verified_by = None
    with_actor(directive, by, reason.strip()).save()
    return directive


@transaction.atomic
def add_commitment(
    visit: Visit, *, by: User, text: str, due: datetime.date | None = None
) -> Commitment:
    require(by, "inspections.record_visit", visit.host)
    commitment = Commitment(visit=visit, unit=visit.host, text=text.strip(), due=due)
    commitment.full_clean()
    with_actor(commitment, by).save()
    return commitment
