"""Who may see and do what: every role check in the portal lives here.

Two kinds of answer:
- `visible_units(user)` is the scope as a queryset, used by every list and object view so
  that another unit's object is simply not found (404);
- the predicates and permissions below answer "may this user do X (to this object)?" via
  `user.has_perm(...)`, loaded by `rules.apps.AutodiscoverRulesConfig`.

Scopes: an admin sees everything; district office staff and leaders see their unit and
everything below it; an inspector sees the units assigned to their delegations; commune
staff see their own commune only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.contrib.auth.models import AnonymousUser

from portal.models import Role, Unit, UnitQuerySet

if TYPE_CHECKING:
    from portal.models import User

    AnyUser = User | AnonymousUser


def _has_role(user: AnyUser, role: Role) -> bool:
    return user.is_authenticated and user.is_active and user.role == role


@rules.predicate
def is_admin(user: AnyUser) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    )


@rules.predicate
def is_district_staff(user: AnyUser) -> bool:
    return _has_role(user, Role.DISTRICT_STAFF)


@rules.predicate
def is_leader(user: AnyUser) -> bool:
    return _has_role(user, Role.LEADER)


@rules.predicate
def is_inspector(user: AnyUser) -> bool:
    return _has_role(user, Role.INSPECTOR)


@rules.predicate
def is_commune_staff(user: AnyUser) -> bool:
    return _has_role(user, Role.COMMUNE_STAFF)


def visible_units(user: AnyUser) -> UnitQuerySet:
    """The units whose data the user may read."""
    if not (user.is_authenticated and user.is_active):
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    if is_inspector(user):
        # The reverse relation of inspections.Delegation.units; portal does not import it.
        assigned = Unit.objects.filter(inspection_delegations__members=user).values("pk")
        return Unit.objects.filter(pk__in=assigned)
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.within(user.unit)


def _is_within(unit: Unit | None, root_id: int | None) -> bool:
    """Whether `unit` is `root_id` or below it (walks the loaded parent chain)."""
    depth = 0
    while unit is not None and depth <= 3:
        if unit.pk == root_id:
            return True
        unit = unit.parent
        depth += 1
    return False


@rules.predicate
def unit_in_scope(user: AnyUser, unit: Unit | None) -> bool:
    """The unit is the user's own unit or below it.

    Only meaningful for office staff, and only used paired with `is_district_staff`: an
    inspector's units come from their delegations (`in_own_delegation`, `visible_units`).
    """
    if unit is None:
        return False
    if is_admin(user):
        return True
    return user.is_authenticated and _is_within(unit, user.unit_id)


@rules.predicate
def owns_unit(user: AnyUser, unit: Unit | None) -> bool:
    """The unit is the user's own commune (commune staff edit only their own)."""
    return unit is not None and user.is_authenticated and user.unit_id == unit.pk


# The Django admin is for superusers fixing data, never the daily interface.
rules.add_perm("portal.use_admin_site", is_admin)
# Writing a commune plan: the commune's own staff, or office staff above it.
rules.add_perm(
    "plans.edit_commune_plan",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# Approving or returning a submitted plan: office staff of a unit above the commune.
rules.add_perm("plans.review_commune_plan", is_admin | (is_district_staff & unit_in_scope))
# Writing the supervising unit's programmes and allocating its targets.
rules.add_perm("plans.edit_programme", is_admin | (is_district_staff & owns_unit))
# Starting a plan for a commune listed on the user's home page (the list is their scope).
rules.add_perm("plans.plan_in_scope", is_admin | is_district_staff | is_commune_staff)
# Entering a commune's progress report: the same people who write its plan.
rules.add_perm(
    "plans.report_progress",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# Typing one target's values for many communes at once (the office's entry table).
rules.add_perm("plans.enter_for_communes", is_admin | is_district_staff)
# Locking reporting periods and allowing late entries.
# The object is the supervising unit whose communes the period rule applies to.
rules.add_perm("plans.manage_periods", is_admin | (is_district_staff & owns_unit))


@rules.predicate
def in_own_delegation(user: AnyUser, unit: Unit | None) -> bool:
    """The unit is assigned to one of the inspector's delegations."""
    return (
        unit is not None
        and user.is_authenticated
        and unit.inspection_delegations.filter(members=user).exists()
    )


# Recording a visit, its findings and directives for a host unit.
rules.add_perm(
    "inspections.record_visit",
    is_admin | (is_district_staff & unit_in_scope) | (is_inspector & in_own_delegation),
)
# Answering a directive: the unit's own staff (and office staff above it).
rules.add_perm(
    "inspections.answer_directive",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# Verifying and closing a directive: the delegation or office staff, never the unit itself.
rules.add_perm(
    "inspections.verify_directive",
    is_admin | (is_district_staff & unit_in_scope) | (is_inspector & in_own_delegation),
)
# District-wide views (coverage of programmes by commune plans).
rules.add_perm("plans.view_coverage", is_admin | is_district_staff | is_leader | is_inspector)
# Creating a campaign, its delegations and its district-wide remarks: the office of the
# supervising unit that runs it. The object is the campaign's unit.
rules.add_perm("inspections.manage_campaign", is_admin | (is_district_staff & owns_unit))
# Lists of campaigns and the "record a visit" page (each object is still checked above).
rules.add_perm(
    "inspections.view_campaigns", is_admin | is_district_staff | is_leader | is_inspector
)
rules.add_perm("inspections.record_visits", is_admin | is_district_staff | is_inspector)

# New-rural (NTM) criteria. The board: the same people who see the district's progress.
rules.add_perm("plans.view_ntm", is_admin | is_district_staff | is_leader | is_inspector)
# The commune's own column of an assessment (office staff may enter it on its behalf).
rules.add_perm(
    "plans.self_assess_ntm",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# The district's appraisal column: office staff above the commune, never the commune.
rules.add_perm("plans.appraise_ntm", is_admin | (is_district_staff & unit_in_scope))
# Goals, assignments and recognitions: the office of the supervising unit (the object).
rules.add_perm("plans.manage_ntm", is_admin | (is_district_staff & owns_unit))
# Year-end ratings of the organisations of a unit.
rules.add_perm("plans.rate_units", is_admin | (is_district_staff & unit_in_scope))
