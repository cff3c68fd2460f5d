"""Load the reference part of the demo (fields, units, successions, clusters, accounts).

Every loader here is idempotent: records are matched on their natural keys and saved only
when something changed, so running `load_demo` twice leaves the same data and no history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from org.models import Cluster, Field, Unit, UnitSuccession, User

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo accounts only
REFORM_DAY = datetime.date(2025, 7, 1)

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """The row matching `lookup`, created or updated to `values`; saved only if changed."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
    elif all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def decimal_or_none(value: float | int | None) -> Decimal | None:
    """A TOML number as the exact decimal it was written as."""
    return None if value is None else Decimal(str(value))


def resolve_unit(code: str, day: datetime.date) -> Unit:
    """The version of the unit with this code that was valid on `day`."""
    unit = Unit.objects.valid_on(day).filter(code=code).first()
    if unit is None:
        raise ValidationError(f"Không có đơn vị mã {code} hiệu lực ngày {day:%d/%m/%Y}.")
    return unit


def load_fields(rows: list[dict]) -> None:
    for order, row in enumerate(rows, start=1):
        parent = Field.objects.get(code=row["parent"]) if row.get("parent") else None
        upsert(
            Field, {"code": row["code"]}, {"name": row["name"], "order": order, "parent": parent}
        )


def load_units(rows: list[dict], defaults: dict) -> None:
    for row in rows:
        valid_from = row.get("valid_from", defaults["valid_from"])
        values = {
            "kind": row["kind"],
            "name": row["name"],
            "other_names": row.get("other_names", ""),
            "valid_to": row.get("valid_to", None if "valid_from" in row else defaults["valid_to"]),
            "parent": resolve_unit(row["parent"], valid_from) if row.get("parent") else None,
        }
        upsert(Unit, {"code": row["code"], "valid_from": valid_from}, values)


def load_successions(rows: list[dict]) -> None:
    last_day = REFORM_DAY - datetime.timedelta(days=1)
    for row in rows:
        lookup = {
            "predecessor": resolve_unit(row["old"], last_day),
            "successor": resolve_unit(row["new"], REFORM_DAY),
        }
        values = {
            "effective_on": REFORM_DAY,
            "partial": row.get("partial", False),
            "legal_basis": row.get("legal_basis", ""),
        }
        upsert(UnitSuccession, lookup, values)


def load_clusters(rows: list[dict]) -> None:
    for row in rows:
        day = datetime.date(row["year"], 6, 30)
        lookup = {"unit": resolve_unit(row["unit"], day), "year": row["year"], "name": row["name"]}
        cluster = upsert(Cluster, lookup, {})
        cluster.members.set([resolve_unit(code, day) for code in row["members"]])


def load_users(rows: list[dict], defaults: dict) -> list[User]:
    users = []
    for row in rows:
        unit = resolve_unit(row["unit"], defaults["unit_on"]) if row.get("unit") else None
        values = {
            "role": row["role"],
            "unit": unit,
            "first_name": row.get("first_name", ""),
            "last_name": row.get("last_name", ""),
            "job_title": row.get("job_title", ""),
            # a reserved domain: the demo sends real mail that can only reach a test server
            "email": row.get("email", f"{row['username']}@demo.invalid"),
            "is_superuser": row.get("superuser", False),
            "is_staff": row.get("superuser", False),
        }
        user = User.objects.filter(username=row["username"]).first()
        if user is None:  # a password changed since the last load is left alone
            user = User(username=row["username"])
            user.set_password(DEMO_PASSWORD)
            for name, value in values.items():
                setattr(user, name, value)
            user.full_clean()
            user.save()
        else:
            user = upsert(User, {"username": row["username"]}, values)
        users.append(user)
    return users


def load_reference(data: dict) -> list[User]:
    load_fields(data["field"])
    load_units(data["unit"], data["unit_defaults"])
    load_successions(data["succession"])
    load_clusters(data["cluster"])
    return load_users(data["user"], data["user_defaults"])
