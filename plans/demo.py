"""Load the demo programmes and commune plans from `data/demo/*.toml`.

Idempotent: programmes are matched on (unit, year, kind), plans on (unit, year), items on
their position within their kind; surplus items from an earlier load are removed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from plans.models import CommunePlan, PlanItem, Programme, ProgrammeItem
from portal.demo import resolve_unit
from portal.models import Field

ITEM_NUMBERS = ("measure_unit", "direction")


def _decimal(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _fields() -> dict[str, Field]:
    return {field.code: field for field in Field.objects.all()}


def load_programmes(rows: list[dict]) -> None:
    fields = _fields()
    for row in rows:
        unit = resolve_unit(row["unit"], datetime.date(row["year"], 1, 1))
        programme = Programme.objects.filter(unit=unit, year=row["year"], kind=row["kind"]).first()
        programme = programme or Programme(unit=unit, year=row["year"], kind=row["kind"])
        for name in ("number", "issued_on", "title"):
            setattr(programme, name, row[name])
        programme.motto = row.get("motto", "")
        programme.term_note = row.get("term_note", "")
        programme.full_clean()
        programme.save()

        kept = []
        for position, item_row in enumerate(row.get("item", []), start=1):
            item = programme.items.filter(code=item_row["key"]).first() or ProgrammeItem(
                programme=programme, code=item_row["key"]
            )
            item.kind = item_row["kind"]
            item.order = position
            item.field = fields[item_row["field"]]
            item.text = item_row["text"]
            item.measure_unit = item_row.get("measure_unit", "")
            item.direction = item_row.get("direction", "")
            item.value = _decimal(item_row.get("value"))
            item.full_clean()
            item.save()
            kept.append(item.pk)
        programme.items.exclude(pk__in=kept).delete()


def _source_items(plan: CommunePlan, refs: list[str]) -> list[ProgrammeItem]:
    """Resolve "party:KT1" references against the programmes the plan concretizes."""
    items = []
    for ref in refs:
        kind, _sep, code = ref.partition(":")
        item = ProgrammeItem.objects.filter(
            programme__in=plan.programmes.all(), programme__kind=kind, code=code
        ).first()
        if item is None:
            raise ValidationError(f"{plan}: không tìm thấy nội dung {ref} của cấp trên.")
        items.append(item)
    return items


def load_plans(rows: list[dict]) -> None:
    fields = _fields()
    for row in rows:
        year = row["year"]
        unit = resolve_unit(row["unit"], datetime.date(year, 1, 1))
        plan = CommunePlan.objects.filter(unit=unit, year=year).first()
        plan = plan or CommunePlan(unit=unit, year=year)
        plan.number = row.get("number", "")
        plan.issued_on = row.get("issued_on")
        plan.title = row["title"]
        plan.status = row["status"]
        plan.full_clean()
        plan.save()
        plan.programmes.set(
            Programme.objects.filter(unit=unit.parent, year=year, kind__in=row["programmes"])
        )

        kept = []
        positions: dict[str, int] = {}
        for item_row in row.get("item", []):
            kind = item_row["kind"]
            positions[kind] = positions.get(kind, 0) + 1
            item = plan.items.filter(kind=kind, order=positions[kind]).first() or PlanItem(
                plan=plan, kind=kind, order=positions[kind]
            )
            item.text = item_row["text"]
            item.field = fields[item_row["field"]]
            item.responsible = item_row.get("responsible", "")
            item.deadline = item_row.get("deadline")
            item.measure_unit = item_row.get("measure_unit", "")
            item.direction = item_row.get("direction", "")
            item.baseline = _decimal(item_row.get("baseline"))
            item.target_value = _decimal(item_row.get("target_value"))
            item.accumulation = item_row.get("accumulation", "")
            item.full_clean()
            item.save()
            item.source_items.set(_source_items(plan, item_row.get("derives_from", [])))
            kept.append(item.pk)
        plan.items.exclude(pk__in=kept).delete()
