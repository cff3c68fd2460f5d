"""Writes to the ground: the administrative unit tree and accounts, imported from tables.

Both imports are all or nothing: every row is checked first, and if any is refused nothing
is written and each refused row is named with its line number and the reason, in Vietnamese.
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import PLANNING_KINDS, Role, Unit, UnitKind, User

# Kinds at the top of the tree, and how many digits their statistics-office codes have.
TOP_KINDS = (UnitKind.PROVINCE, UnitKind.CITY)
CODE_DIGITS = {UnitKind.PROVINCE: 2, UnitKind.CITY: 2, UnitKind.DISTRICT: 3} | {
    kind: 5 for kind in PLANNING_KINDS
}
UNIT_COLUMNS = ("code", "kind", "name", "parent")
ACCOUNT_COLUMNS = ("username", "last_name", "first_name", "email", "role", "unit", "job_title")


class ImportRefused(Exception):
    """Some rows were refused; nothing was written. `errors` holds (line, reason) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} dòng không hợp lệ")
        self.errors = errors


def read_csv(handle: IO[str], columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a UTF-8 CSV with a header naming `columns` (others are ignored), each with
    its line number in the file. A missing column refuses the whole file."""
    reader = csv.DictReader(handle)
    missing = [name for name in columns if name not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused([(1, _("Thiếu cột: %(c)s.") % {"c": ", ".join(missing)})])
    return [
        (reader.line_num, {name: (row.get(name) or "").strip() for name in columns})
        for row in reader
    ]


def read_csv_text(text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    return read_csv(io.StringIO(text.lstrip("\ufeff")), columns)


# --- Administrative units ----------------------------------------------------------------


@dataclass
class UnitImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _check_unit_row(row: dict[str, str], known_top: set[str]) -> str | None:
    """Why the row is refused, or None. `known_top` holds the province codes available."""
    kind, code = row["kind"], row["code"]
    if kind not in UnitKind.values:
        return _("Cấp đơn vị “%(k)s” không hợp lệ.") % {"k": kind}
    digits = CODE_DIGITS[UnitKind(kind)]
    if not (code.isascii() and code.isdigit() and len(code) == digits):
        return _("Mã đơn vị phải gồm %(n)s chữ số.") % {"n": digits}
    if not row["name"] or len(row["name"]) > Unit._meta.get_field("name").max_length:
        return _("Tên đơn vị trống hoặc quá dài.")
    if kind in TOP_KINDS:
        return _("Tỉnh, thành phố không có đơn vị cấp trên.") if row["parent"] else None
    if row["parent"] not in known_top:
        return _("Không có tỉnh, thành phố mã “%(p)s”.") % {"p": row["parent"]}
    return None


@transaction.atomic
def import_units(
    rows: list[tuple[int, dict[str, str]]], *, valid_from: datetime.date
) -> UnitImport:
    """Provinces and the communes directly under them (the tree in force since 1/7/2025),
    keyed by (code, valid_from): a unit already there is updated, never duplicated, and its
    other spellings and history are kept. Communes name their province by code."""
    existing = {unit.code: unit for unit in Unit.objects.filter(valid_from=valid_from)}
    known_top = {code for code, u in existing.items() if u.kind in TOP_KINDS} | {
        row["code"] for _line, row in rows if row["kind"] in TOP_KINDS
    }
    errors, seen = [], set()
    for line, row in rows:
        reason = _check_unit_row(row, known_top)
        if reason is None and row["code"] in seen:
            reason = _("Mã đơn vị “%(c)s” lặp lại.") % {"c": row["code"]}
        seen.add(row["code"])
        if reason:
            errors.append((line, reason))
    if errors:
        raise ImportRefused(errors)

    result = UnitImport()
    # Provinces first, so that every commune finds its parent.
    ordered = sorted(rows, key=lambda item: item[1]["kind"] not in TOP_KINDS)
    for _line, row in ordered:
        parent = existing[row["parent"]] if row["parent"] else None
        unit = existing.get(row["code"])
        values = {"kind": row["kind"], "name": row["name"], "parent": parent}
        if unit is None:
            unit = Unit(code=row["code"], valid_from=valid_from, **values)
            result.created += 1
        elif all(getattr(unit, name) == value for name, value in values.items()):
            result.unchanged += 1
            continue
        else:
            for name, value in values.items():
                setattr(unit, name, value)
            result.updated += 1
        unit.save()
        existing[unit.code] = unit
    return result


# --- Accounts ------------------------------------------------------------------------------


@dataclass
class AccountImport:
    """The accounts created, each with the one-time password to hand to its owner."""

    accounts: list[tuple[User, str]] = field(default_factory=list)


def _account(row: dict[str, str], units: dict[str, Unit]) -> User:
    """An unsaved account from a row, validated like the admin's form would; raises
    ValidationError with the reasons."""
    if row["role"] not in Role.values:
        raise ValidationError(
            _("Vai trò “%(r)s” không hợp lệ (một trong: %(all)s).")
            % {"r": row["role"], "all": ", ".join(Role.values)}
        )
    unit = units.get(row["unit"]) if row["unit"] else None
    if row["unit"] and unit is None:
        raise ValidationError(_("Không có đơn vị đang hiệu lực mã “%(u)s”.") % {"u": row["unit"]})
    user = User(
        username=row["username"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        email=row["email"],
        role=row["role"],
        unit=unit,
        job_title=row["job_title"],
    )
    user.set_unusable_password()
    user.full_clean()
    return user


@transaction.atomic
def import_accounts(rows: list[tuple[int, dict[str, str]]], *, on: datetime.date) -> AccountImport:
    """Office, leader, inspector and commune accounts from a table, each bound to the unit
    with its code that is valid `on` that day. Every account gets its own random password,
    returned once and stored only as a hash; a username already taken refuses its row."""
    codes = {row["unit"] for _line, row in rows if row["unit"]}
    units = {unit.code: unit for unit in Unit.objects.valid_on(on).filter(code__in=codes)}
    errors, users, seen = [], [], set()
    for line, row in rows:
        try:
            if row["username"].lower() in seen:
                raise ValidationError(_("Tên đăng nhập lặp lại trong tệp."))
            seen.add(row["username"].lower())
            users.append(_account(row, units))
        except ValidationError as error:
            errors.append((line, " ".join(error.messages)))
    if errors:
        raise ImportRefused(errors)
    result = AccountImport()
    for user in users:
        password = _new_password(user)
        user.set_password(password)
        user.save()
        result.accounts.append((user, password))
    return result


def _new_password(user: User) -> str:
    """A random password that the configured validators accept (12 URL-safe characters)."""
    while True:
        password = secrets.token_urlsafe(9)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
