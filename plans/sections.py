"""Grouping of items for display: by kind, then by runs of the same field."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from org.models import Field
from plans.models import ItemKind


@dataclass
class FieldGroup:
    field: Field | None
    items: list


@dataclass
class KindSection:
    """The items of one kind on a page, grouped by consecutive field."""

    kind: str
    label: str
    groups: list[FieldGroup] = field(default_factory=list)
    count: int = 0


def sections_by_kind(items: list) -> list[KindSection]:
    """Split items into the four kinds (always all four, maybe empty), then into runs of the
    same field, keeping the document's own order so item numbers read 1, 2, 3 …"""
    sections = []
    for kind, label in ItemKind.choices:
        of_kind = [item for item in items if item.kind == kind]
        groups = [
            FieldGroup(field=key, items=list(members))
            for key, members in groupby(of_kind, key=lambda item: item.field)
        ]
        sections.append(KindSection(kind=kind, label=label, groups=groups, count=len(of_kind)))
    return sections
