"""How far a target has got: direction- and time-aware achievement status.

One place for the rules and thresholds; the progress page explains them to users.

- The value compared is, for a cumulative target (output, revenue, new members), the sum of
  the values reported for the periods of the year so far; for a point-in-time target (a
  rate, an area, a count of standards reached) the latest reported level.
- The expected share is the elapsed share of the year at the end of the period: Quý II →
  50 %, Tháng 9 → 75 %, 6 tháng cuối năm and Năm → 100 %.
- Progress is how much of the way from the baseline (or, for a cumulative target, from
  zero) to the target the value has covered; a decrease target measures the way down. A
  target is on track when its progress keeps up with the expected share, at risk when it
  reaches at least AT_RISK_SHARE of it, behind otherwise. At the end of the year only "đạt"
  or "chậm" remain.
- "Duy trì" holds a level: a point-in-time one is behind as soon as it falls below it; a
  cumulative one (a yearly total kept at its level, such as the year's sown area of rice
  over its seasons) builds up over the year and is paced like any cumulative target.
- A point-in-time target without a baseline has no way to pace: a rate does not start the
  year at zero (25 % insured in Quý I against a 93.7 % goal is not "on track"). Its level is
  judged against the target itself: on track from ON_TRACK_SHARE of it, at risk from
  AT_RISK_SHARE, behind below.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Accumulation, Direction

# Progress of at least this share of the expected progress counts as on track …
ON_TRACK_SHARE = Decimal("0.95")
# … and at least this share as at risk; below it the target is behind.
AT_RISK_SHARE = Decimal("0.75")
ONE = Decimal(1)
ZERO = Decimal(0)


class TargetStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ")
    BEHIND = "behind", _("Chậm")
    NO_DATA = "no_data", _("Chưa có số liệu")


@dataclass(frozen=True)
class Assessment:
    status: str
    progress: Decimal | None  # share of the way to the target covered, 1 = reached
    expected: Decimal  # share of the year elapsed


def _pace(progress: Decimal, expected: Decimal) -> str:
    if expected >= ONE:
        return TargetStatus.BEHIND
    if progress >= expected * ON_TRACK_SHARE:
        return TargetStatus.ON_TRACK
    if progress >= expected * AT_RISK_SHARE:
        return TargetStatus.AT_RISK
    return TargetStatus.BEHIND


def _level(share: Decimal, expected: Decimal) -> str:
    """A level with nothing to pace it from, judged by its share of the target itself."""
    if expected >= ONE or share < AT_RISK_SHARE:
        return TargetStatus.BEHIND
    return TargetStatus.ON_TRACK if share >= ON_TRACK_SHARE else TargetStatus.AT_RISK


def assess(
    *,
    direction: str,
    accumulation: str,
    target: Decimal,
    baseline: Decimal | None,
    value: Decimal | None,
    expected: Decimal,
) -> Assessment:
    """The status of one target for a period whose end is `expected` of the way through the year.

    `value` is already combined for the target's accumulation (the year-to-date sum or the
    latest level); None means nothing was reported.
    """
    if value is None:
        return Assessment(TargetStatus.NO_DATA, None, expected)
    cumulative = accumulation == Accumulation.CUMULATIVE

    if direction == Direction.ZERO:
        # Nothing may happen all year: any occurrence fails the target for the year.
        if value > 0:
            return Assessment(TargetStatus.BEHIND, ZERO, expected)
        done = expected >= ONE
        return Assessment(TargetStatus.ACHIEVED if done else TargetStatus.ON_TRACK, ONE, expected)

    if direction == Direction.DECREASE:
        if cumulative:
            # A yearly ceiling (e.g. criminal cases): stay within the share of it used so far.
            if value > target:
                return Assessment(TargetStatus.BEHIND, ZERO, expected)
            if expected >= ONE:
                return Assessment(TargetStatus.ACHIEVED, ONE, expected)
            allowance = target * expected
            if allowance == 0 or value <= allowance:
                return Assessment(TargetStatus.ON_TRACK, ONE, expected)
            used = allowance / value  # below 1: spending the ceiling too fast
            status = TargetStatus.AT_RISK if used >= AT_RISK_SHARE else TargetStatus.BEHIND
            return Assessment(status, used, expected)
        if value <= target:
            return Assessment(TargetStatus.ACHIEVED, ONE, expected)
        if baseline is None:
            share = target / value  # value > target > 0 here
            return Assessment(_level(share, expected), share, expected)
        if baseline > target:
            progress = max(ZERO, (baseline - value) / (baseline - target))
        else:
            progress = target / value if value else ONE
        return Assessment(_pace(progress, expected), progress, expected)

    # increase, reach, maintain: higher is better.
    if value >= target:
        return Assessment(TargetStatus.ACHIEVED, ONE, expected)
    if direction == Direction.MAINTAIN and not cumulative:
        # A level to hold all year: below it is a slip, whatever the date. (A yearly total
        # to keep at its level — the year's sown area — builds up over the year instead,
        # and is paced like any cumulative target below.)
        return Assessment(TargetStatus.BEHIND, value / target if target else ZERO, expected)
    if not cumulative and baseline is None:
        share = value / target if target else ONE
        return Assessment(_level(share, expected), share, expected)
    if not cumulative and target > baseline:
        progress = max(ZERO, (value - baseline) / (target - baseline))
    else:
        progress = value / target if target else ONE
    return Assessment(_pace(progress, expected), progress, expected)
