"""Who may see what, and the roles every permission is built from.

Two kinds of answer:
- `visible_units(user)` is the scope as a queryset, used by every list and object view so
  that another unit's object is simply not found (404);
- the predicates below answer "is this user X (for this unit)?". Each app's own `rules.py`
  combines them into its permissions ("may this user do X to this object?", asked through
  `user.has_perm(...)`), loaded by `rules.apps.AutodiscoverRulesConfig`.

Scopes: an admin sees everything; district office staff and leaders see their unit and
everything below it; an inspector sees the units assigned to their delegations; commune
staff see their own commune only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.contrib.auth.models import AnonymousUser

from org.models import Role, Unit, UnitQuerySet

if TYPE_CHECKING:
    from org.models import User

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
        # The reverse relation of inspections.Delegation.units; the ground does not import it.
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


# The office sees the e-mails that could not be sent to the people in its scope, and sends
# them again.
rules.add_perm("org.view_failed_deliveries", is_admin | is_district_staff)
# A supervising unit's office sets when its communes are reminded (lịch đôn đốc).
rules.add_perm("org.edit_reminder_policy", is_admin | (is_district_staff & owns_unit))
