"""Permissions for campaigns, visits and directives, built from the ground's roles and scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

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
    from org.models import Unit
    from org.rules import AnyUser


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
# Creating a campaign, its delegations and its district-wide remarks: the office of the
# supervising unit that runs it. The object is the campaign's unit.
rules.add_perm("inspections.manage_campaign", is_admin | (is_district_staff & owns_unit))
# Lists of campaigns and the "record a visit" page (each object is still checked above).
rules.add_perm(
    "inspections.view_campaigns", is_admin | is_district_staff | is_leader | is_inspector
)
rules.add_perm("inspections.record_visits", is_admin | is_district_staff | is_inspector)
