"""Load the demo programmes and commune plans from `data/demo/*.toml`.

Idempotent: programmes are matched on (unit, year, kind), plans on (unit, year), items on
their position within their kind; rows are saved only when they changed, and surplus items
from an earlier load are removed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from plans.models import CommunePlan, PlanItem, Programme, ProgrammeItem
from portal.demo import resolve_unit, upsert
from portal.models import Field


def _decimal(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _fields() -> dict[str, Field]:
    return {field.code: field for field in Field.objects.all()}


def load_programmes(rows: list[dict]) -> None:
    fields = _fields()
    for row in rows:
        unit = resolve_unit(row["unit"], datetime.date(row["year"], 1, 1))
        programme = upsert(
            Programme,
            {"unit": unit, "year": row["year"], "kind": row["kind"]},
            {
                "number": row["number"],
                "issued_on": row["issued_on"],
                "title": row["title"],
                "motto": row.get("motto", ""),
                "term_note": row.get("term_note", ""),
            },
        )
        kept = []
        for position, item_row in enumerate(row.get("item", []), start=1):
            item = upsert(
                ProgrammeItem,
                {"programme": programme, "code": item_row["key"]},
                {
                    "kind": item_row["kind"],
                    "order": position,
                    "field": fields[item_row["field"]],
                    "text": item_row["text"],
                    "measure_unit": item_row.get("measure_unit", ""),
                    "direction": item_row.get("direction", ""),
                    "value": _decimal(item_row.get("value")),
                },
            )
            kept.append(item.pk)
        for surplus in programme.items.exclude(pk__in=kept):
            surplus.delete()


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
        plan = upsert(
            CommunePlan,
            {"unit": unit, "year": year, "revision": 0},
            {
                "number": row.get("number", ""),
                "issued_on": row.get("issued_on"),
                "title": row["title"],
                "status": row["status"],
            },
        )
        plan.programmes.set(
            Programme.objects.filter(unit=unit.parent, year=year, kind__in=row["programmes"])
        )
        kept = []
        positions: dict[str, int] = {}
        for item_row in row.get("item", []):
            kind = item_row["kind"]
            positions[kind] = positions.get(kind, 0) + 1
            item = upsert(
                PlanItem,
                {"plan": plan, "kind": kind, "order": positions[kind]},
                {
                    "text": item_row["text"],
                    "field": fields[item_row["field"]],
                    "responsible": item_row.get("responsible", ""),
                    "deadline": item_row.get("deadline"),
                    "measure_unit": item_row.get("measure_unit", ""),
                    "direction": item_row.get("direction", ""),
                    "baseline": _decimal(item_row.get("baseline")),
                    "target_value": _decimal(item_row.get("target_value")),
                    "accumulation": item_row.get("accumulation", ""),
                },
            )
            item.source_items.set(_source_items(plan, item_row.get("derives_from", [])))
            kept.append(item.pk)
        for surplus in plan.items.exclude(pk__in=kept):
            surplus.delete()
