"""The plan chain's permissions, built from the ground's roles and scope (`org.rules`)."""

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
# District-wide views (coverage of programmes by commune plans).
rules.add_perm("plans.view_coverage", is_admin | is_district_staff | is_leader | is_inspector)
