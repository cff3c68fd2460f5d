"""Permissions for campaigns, visits and directives, built from the ground's roles and scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import QuerySet
from django.utils import timezone

from inspections.models import Delegation, Directive, Visit
from org.models import Unit
from org.rules import (
    is_admin,
    is_commune_staff,
    is_district_staff,
    is_inspector,
    is_leader,
    owns_unit,
    unit_in_scope,
)

if TYPE_CHECKING:
    from org.rules import AnyUser


def current_delegations(user: AnyUser) -> QuerySet[Delegation]:
    """The inspector's delegations of this year's campaigns: the only ones that empower.

    A delegation's powers are bound to its campaign's year; membership of a past one leaves
    its record readable (`org.rules.visible_units`) and grants nothing today.
    """
    if not (user.is_authenticated and user.is_active):
        return Delegation.objects.none()
    return Delegation.objects.filter(members=user, campaign__year=timezone.localdate().year)


def _host(obj: Unit | Visit | Directive | None) -> Unit | None:
    """The unit an object is about: a unit itself, a visit's host, a directive's unit."""
    if isinstance(obj, Visit):
        return obj.host
    if isinstance(obj, Directive):
        return obj.unit
    return obj


@rules.predicate
def in_own_delegation(user: AnyUser, obj: Unit | Visit | Directive | None) -> bool:
    """The inspector acts for one of this year's delegations they belong to, within it.

    For a unit (a new visit to it): one of those delegations is assigned the unit. For a
    visit (its record, findings, directives, commitments) or a directive (its follow-up):
    the visit was made by such a delegation, to a unit assigned to it.
    """
    if obj is None:
        return False
    if isinstance(obj, Unit):
        return current_delegations(user).filter(units=obj).exists()
    visit = obj.visit if isinstance(obj, Directive) else obj
    return (
        visit.delegation_id is not None
        and current_delegations(user).filter(pk=visit.delegation_id, units=visit.host_id).exists()
    )


@rules.predicate
def host_in_scope(user: AnyUser, obj: Unit | Visit | Directive | None) -> bool:
    """Office staff: the unit the object is about is theirs or below it."""
    return unit_in_scope(user, _host(obj))


# Recording a visit, its findings and directives. The object is the host unit (a new visit),
# the visit, or a directive of it.
rules.add_perm(
    "inspections.record_visit",
    is_admin | (is_district_staff & host_in_scope) | (is_inspector & in_own_delegation),
)
# Answering a directive: the unit's own staff (and office staff above it).
rules.add_perm(
    "inspections.answer_directive",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# Verifying and closing a directive: the delegation that issued it, this year, or office
# staff; never the unit itself. The object is the directive.
rules.add_perm(
    "inspections.verify_directive",
    is_admin | (is_district_staff & host_in_scope) | (is_inspector & in_own_delegation),
)
# Creating a campaign, its delegations and its district-wide remarks: the office of the
# supervising unit that runs it. The object is the campaign's unit.
rules.add_perm("inspections.manage_campaign", is_admin | (is_district_staff & owns_unit))
# Lists of campaigns and the "record a visit" page (each object is still checked above).
rules.add_perm(
    "inspections.view_campaigns", is_admin | is_district_staff | is_leader | is_inspector
)


@rules.predicate
def has_current_delegation(user: AnyUser) -> bool:
    return current_delegations(user).exists()


rules.add_perm(
    "inspections.record_visits",
    is_admin | is_district_staff | (is_inspector & has_current_delegation),
)
