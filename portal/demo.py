"""Load the reference part of the demo (fields, units, successions, clusters, accounts).

Every loader here is idempotent: records are matched on their natural keys and updated in
place, so running `load_demo` twice leaves the same data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from portal.models import Cluster, Field, Unit, UnitSuccession, User

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo accounts only
REFORM_DAY = datetime.date(2025, 7, 1)


def resolve_unit(code: str, day: datetime.date) -> Unit:
    """The version of the unit with this code that was valid on `day`."""
    unit = Unit.objects.valid_on(day).filter(code=code).first()
    if unit is None:
        raise ValidationError(f"Không có đơn vị mã {code} hiệu lực ngày {day:%d/%m/%Y}.")
    return unit


def _saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def load_fields(rows: list[dict]) -> None:
    for order, row in enumerate(rows, start=1):
        field = Field.objects.filter(code=row["code"]).first() or Field(code=row["code"])
        field.name = row["name"]
        field.order = order
        field.parent = Field.objects.get(code=row["parent"]) if row.get("parent") else None
        _saved(field)


def load_units(rows: list[dict], defaults: dict) -> None:
    for row in rows:
        valid_from = row.get("valid_from", defaults["valid_from"])
        valid_to = row.get("valid_to", None if "valid_from" in row else defaults["valid_to"])
        unit = Unit.objects.filter(code=row["code"], valid_from=valid_from).first() or Unit(
            code=row["code"], valid_from=valid_from
        )
        unit.kind = row["kind"]
        unit.name = row["name"]
        unit.other_names = row.get("other_names", "")
        unit.valid_to = valid_to
        unit.parent = resolve_unit(row["parent"], valid_from) if row.get("parent") else None
        _saved(unit)


def load_successions(rows: list[dict]) -> None:
    last_day = REFORM_DAY - datetime.timedelta(days=1)
    for row in rows:
        old = resolve_unit(row["old"], last_day)
        new = resolve_unit(row["new"], REFORM_DAY)
        succession = UnitSuccession.objects.filter(predecessor=old, successor=new).first()
        succession = succession or UnitSuccession(predecessor=old, successor=new)
        succession.effective_on = REFORM_DAY
        succession.partial = row.get("partial", False)
        succession.legal_basis = row.get("legal_basis", "")
        _saved(succession)


def load_clusters(rows: list[dict]) -> None:
    for row in rows:
        day = datetime.date(row["year"], 6, 30)
        unit = resolve_unit(row["unit"], day)
        cluster = Cluster.objects.filter(unit=unit, year=row["year"], name=row["name"]).first()
        cluster = _saved(cluster or Cluster(unit=unit, year=row["year"], name=row["name"]))
        cluster.members.set([resolve_unit(code, day) for code in row["members"]])


def load_users(rows: list[dict], defaults: dict) -> list[User]:
    users = []
    for row in rows:
        user = User.objects.filter(username=row["username"]).first() or User(
            username=row["username"]
        )
        user.role = row["role"]
        user.unit = resolve_unit(row["unit"], defaults["unit_on"]) if row.get("unit") else None
        user.first_name = row.get("first_name", "")
        user.last_name = row.get("last_name", "")
        user.job_title = row.get("job_title", "")
        user.is_superuser = user.is_staff = row.get("superuser", False)
        if user.pk is None:  # a password changed since the last load is left alone
            user.set_password(DEMO_PASSWORD)
        users.append(_saved(user))
    return users


def load_reference(data: dict) -> list[User]:
    load_fields(data["field"])
    load_units(data["unit"], data["unit_defaults"])
    load_successions(data["succession"])
    load_clusters(data["cluster"])
    return load_users(data["user"], data["user_defaults"])
