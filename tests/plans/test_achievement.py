"""The achievement rules, table-driven: every direction × accumulation × share of the year."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from plans.achievement import AT_RISK_SHARE, ON_TRACK_SHARE, TargetStatus, assess

A, T, R, B, N = (
    TargetStatus.ACHIEVED,
    TargetStatus.ON_TRACK,
    TargetStatus.AT_RISK,
    TargetStatus.BEHIND,
    TargetStatus.NO_DATA,
)
HALF, Q3, YEAR = D("0.5"), D("0.75"), D(1)

CASES = [
    # direction, accumulation, target, baseline, value, expected share → status
    # increase, cumulative (rice output 57 400 t): half-way through the year half is enough
    ("increase", "cumulative", D(57400), None, D(28700), HALF, T),
    ("increase", "cumulative", D(57400), None, D(27300), HALF, T),  # 95.1 % of pace
    ("increase", "cumulative", D(57400), None, D(27200), HALF, R),  # 94.8 % of pace
    ("increase", "cumulative", D(57400), None, D(21600), HALF, R),  # 75.3 % of pace
    ("increase", "cumulative", D(57400), None, D(21500), HALF, B),  # 74.9 % of pace
    ("increase", "cumulative", D(57400), None, D(57400), HALF, A),  # reached early
    ("increase", "cumulative", D(57400), None, D(57399), YEAR, B),  # year over, not reached
    ("increase", "cumulative", D(57400), None, D(60000), YEAR, A),
    ("increase", "cumulative", D(57400), None, None, HALF, N),
    # increase, point in time, measured from the baseline (health insurance 92.9 → 93.7 %)
    ("increase", "point", D("93.7"), D("92.9"), D("93.3"), HALF, T),
    ("increase", "point", D("93.7"), D("92.9"), D("93.1"), HALF, B),  # 25 % of the way
    ("increase", "point", D("93.7"), D("92.9"), D("93.7"), D("0.25"), A),
    ("increase", "point", D("93.7"), D("92.9"), D("92.0"), Q3, B),  # went down
    ("increase", "point", D("93.7"), None, D("90.0"), Q3, T),  # no baseline: 96 % of target
    # … without a baseline a rate is judged against the target, never paced from zero
    ("increase", "point", D("93.7"), None, D("25.0"), D("0.25"), B),  # 27 % of the goal
    ("increase", "point", D("93.7"), None, D("80.0"), HALF, R),  # 85 % of the goal
    ("increase", "point", D("93.7"), None, D("90.0"), YEAR, B),  # the year is over
    # decrease, point (poor-household rate 3.1 → 2.5 %): lower is better; naive % is wrong
    ("decrease", "point", D("2.5"), D("3.1"), D("2.8"), HALF, T),  # half the way down
    ("decrease", "point", D("2.5"), D("3.1"), D("2.9"), HALF, B),  # a third of the way
    ("decrease", "point", D("2.5"), D("3.1"), D("2.4"), HALF, A),
    ("decrease", "point", D("2.5"), D("3.1"), D("2.6"), YEAR, B),  # Hưng Thạnh misses it
    ("decrease", "point", D("2.5"), D("3.1"), D("3.3"), HALF, B),  # rose instead
    ("decrease", "point", D("2.5"), None, D("2.6"), HALF, T),  # no baseline: 2.5/2.6
    ("decrease", "point", D("2.5"), None, D("4.0"), D("0.25"), B),  # 62 % of the way, not paced
    # decrease, cumulative: a yearly ceiling (at most 12 criminal cases)
    ("decrease", "cumulative", D(12), D(15), D(5), HALF, T),
    ("decrease", "cumulative", D(12), D(15), D(7), HALF, R),  # 6 allowed, 7 used
    ("decrease", "cumulative", D(12), D(15), D(9), HALF, B),
    ("decrease", "cumulative", D(12), D(15), D(13), HALF, B),  # ceiling already broken
    ("decrease", "cumulative", D(12), D(15), D(12), YEAR, A),
    # reach (100 % of the recruitment quota)
    ("reach", "point", D(100), None, D(100), HALF, A),
    ("reach", "point", D(100), None, D(60), HALF, B),  # no baseline: 60 % of it, not paced
    ("reach", "point", D(100), None, D(96), HALF, T),
    ("reach", "point", D(100), None, D(99), YEAR, B),
    # maintain (keep 100 % of households with electricity): any slip is behind
    ("maintain", "point", D(100), D(100), D(100), HALF, A),
    ("maintain", "point", D(100), D(100), D("99.5"), D("0.25"), B),
    # maintain a yearly total (the year's sown area of rice, 2 100 ha over its seasons): it
    # builds up, so half of it at the half-year is on track, not behind
    ("maintain", "cumulative", D(2100), None, D(1050), HALF, T),
    ("maintain", "cumulative", D(2100), None, D(700), HALF, B),
    ("maintain", "cumulative", D(2100), None, D(2100), YEAR, A),
    ("maintain", "cumulative", D(2100), None, D(2000), YEAR, B),
    # zero ("no Party organisation rated không hoàn thành"): on track until the year ends
    ("zero", "point", D(0), None, D(0), HALF, T),
    ("zero", "point", D(0), None, D(0), YEAR, A),
    ("zero", "point", D(0), None, D(1), HALF, B),
    ("zero", "cumulative", D(0), None, None, YEAR, N),
]


@pytest.mark.parametrize(
    ("direction", "accumulation", "target", "baseline", "value", "expected", "status"), CASES
)
def test_achievement_rules(
    direction, accumulation, target, baseline, value, expected, status
) -> None:
    result = assess(
        direction=direction,
        accumulation=accumulation,
        target=target,
        baseline=baseline,
        value=value,
        expected=expected,
    )
    assert result.status == status, result


def test_the_thresholds_are_ordered() -> None:
    assert 0 < AT_RISK_SHARE < ON_TRACK_SHARE <= 1


@pytest.mark.parametrize("direction", ["increase", "reach"])
@pytest.mark.parametrize("accumulation", ["cumulative", "point"])
def test_more_is_never_worse_for_higher_is_better_targets(direction, accumulation) -> None:
    order = [B, R, T, A]
    statuses = [
        assess(
            direction=direction,
            accumulation=accumulation,
            target=D(100),
            baseline=None,
            value=D(v),
            expected=HALF,
        ).status
        for v in range(0, 120, 5)
    ]
    ranks = [order.index(s) for s in statuses]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("accumulation", ["cumulative", "point"])
def test_less_is_never_worse_for_decrease_targets(accumulation) -> None:
    order = [B, R, T, A]
    statuses = [
        assess(
            direction="decrease",
            accumulation=accumulation,
            target=D(10),
            baseline=D(20),
            value=D(v),
            expected=HALF,
        ).status
        for v in range(30, -1, -1)
    ]
    ranks = [order.index(s) for s in statuses]
    assert ranks == sorted(ranks)
