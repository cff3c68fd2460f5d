"""Two people saving the same plan at the same moment: exactly one wins, the other is told.

Likewise for two people opening the same report or starting the same plan at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from org.models import User
from plans import services
from plans.models import CommunePlan, Period, ProgressReport, ReportSummary

# Three racers beside the test's own and the live server's connections fit the pool.
RACERS = 3


@pytest.mark.django_db(transaction=True)
def test_racing_saves_on_one_version_let_exactly_one_win() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    plan = CommunePlan.objects.get(unit__name="Mỹ Hòa", year=2023)
    user = User.objects.get(username="vanphong")
    version = plan.version
    item_ids = list(plan.items.values_list("pk", flat=True)[:RACERS])
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def save(racer: int) -> None:
        try:
            mine = CommunePlan.objects.get(pk=plan.pk)
            item = mine.items.get(pk=item_ids[racer])
            change = services.ItemChange(item=item, values={"text": f"Người thứ {racer}"})
            barrier.wait(timeout=10)
            services.save_plan(
                mine,
                by=user,
                expected_version=version,
                header={"title": f"Người thứ {racer}"},
                changes=[change],
            )
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["conflict"] * (RACERS - 1) + ["saved"]
    plan.refresh_from_db()
    assert plan.version == version + 1
    winner = int(plan.title.rsplit(" ", 1)[1])
    texts = dict(plan.items.filter(pk__in=item_ids).values_list("pk", "text"))
    # Only the winner's item changed; every loser's edit was refused whole.
    assert [pk for pk, text in texts.items() if text.startswith("Người thứ")] == [item_ids[winner]]


def race(work: Callable[[int], str]) -> list[str]:
    """Run `work(racer)` in RACERS threads released together; each returns its outcome."""
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def run(racer: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(work(racer))
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_racing_first_opens_of_a_report_all_get_the_one_report() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    period = Period.objects.get(kind="month", year=2023, index=9)
    user = User.objects.get(username="myqui")
    assert not ProgressReport.objects.filter(plan=plan, period=period).exists()

    def open_it(_racer: int) -> str:
        return str(services.open_report(plan, period, by=user).pk)

    outcomes = race(open_it)
    report = ProgressReport.objects.get(plan=plan, period=period)
    assert outcomes == [str(report.pk)] * RACERS
    assert ReportSummary.objects.filter(plan=plan, period=period).count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_creations_of_one_plan_make_one_and_tell_the_others() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    unit = CommunePlan.objects.get(unit__name="Thạnh Lợi", year=2022).unit
    user = User.objects.get(username="vanphong")

    def create(racer: int) -> str:
        try:
            services.create_plan(unit, 2023, by=user, title=f"Kế hoạch của người thứ {racer}")
        except ValidationError as error:
            return " ".join(error.messages)
        return "created"

    outcomes = race(create)
    assert sorted(outcomes) == ["created"] + ["Đơn vị đã có kế hoạch cho năm này."] * (RACERS - 1)
    assert CommunePlan.objects.filter(unit=unit, year=2023).count() == 1
