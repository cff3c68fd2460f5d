"""Two people saving the same plan at the same moment: exactly one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from plans import services
from plans.models import CommunePlan
from portal.models import User

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
