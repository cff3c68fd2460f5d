"""New-rural (nông thôn mới) criteria and the year-end ratings of organisations.

A criteria set (Bộ tiêu chí, e.g. Quyết định 318/QĐ-TTg) is data: groups, criteria and
indicators with thresholds that may differ by region. Communes are assigned a level and a
year, assess themselves, and the district appraises; recognitions close the cycle. Ratings
(xếp loại) grade each organisation on the four official levels.
"""

from ntm.models.criteria import (
    Assessment,
    Comparison,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionTarget,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    NtmLevel,
    Recognition,
    SetScope,
    SetStatus,
)
from ntm.models.ratings import SCORE_BANDS, Rating, RatingLevel, level_for_score

__all__ = [
    "SCORE_BANDS",
    "Assessment",
    "Comparison",
    "CriteriaSet",
    "Criterion",
    "CriterionGroup",
    "CriterionTarget",
    "Indicator",
    "IndicatorResult",
    "NtmAssignment",
    "NtmGoal",
    "NtmLevel",
    "Rating",
    "RatingLevel",
    "Recognition",
    "SetScope",
    "SetStatus",
    "level_for_score",
]
