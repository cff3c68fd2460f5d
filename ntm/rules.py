"""Permissions for new-rural (NTM) criteria and year-end ratings."""

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

# The board: the same people who see the district's progress.
rules.add_perm("ntm.view_ntm", is_admin | is_district_staff | is_leader | is_inspector)
# The commune's own column of an assessment (office staff may enter it on its behalf).
rules.add_perm(
    "ntm.self_assess_ntm",
    is_admin | (is_commune_staff & owns_unit) | (is_district_staff & unit_in_scope),
)
# The district's appraisal column: office staff above the commune, never the commune.
rules.add_perm("ntm.appraise_ntm", is_admin | (is_district_staff & unit_in_scope))
# Goals, assignments and recognitions: the office of the supervising unit (the object).
rules.add_perm("ntm.manage_ntm", is_admin | (is_district_staff & owns_unit))
# Year-end ratings of the organisations of a unit.
rules.add_perm("ntm.rate_units", is_admin | (is_district_staff & unit_in_scope))
