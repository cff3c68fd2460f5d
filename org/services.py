"""Writes to the ground: the administrative unit tree and accounts, imported from tables;
evidence files attached to the domains' objects.

Both imports are all or nothing: every row is checked first, and if any is refused nothing
is written and each refused row is named with its line number and the reason, in Vietnamese.
An evidence file is checked (size, type, content) before anything is stored.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from org.evidence import check_file, clean_name, kind_of, may_remove
from org.filetypes import MEDIA_TYPES
from org.models import PLANNING_KINDS, Attachment, Role, Unit, UnitKind, UnitSuccession, User

logger = logging.getLogger(__name__)

# Kinds at the top of the tree, and how many digits their statistics-office codes have.
TOP_KINDS = (UnitKind.PROVINCE, UnitKind.CITY)
CODE_DIGITS = {UnitKind.PROVINCE: 2, UnitKind.CITY: 2, UnitKind.DISTRICT: 3} | {
    kind: 5 for kind in PLANNING_KINDS
}
UNIT_COLUMNS = ("code", "kind", "name", "parent")
# Optional: the level's name where it is not the kind's usual one (Quận, Thị xã, Thành phố).
UNIT_OPTIONAL_COLUMNS = ("title",)
SUCCESSION_COLUMNS = ("predecessor", "successor", "partial")
ACCOUNT_COLUMNS = ("username", "last_name", "first_name", "email", "role", "unit", "job_title")


class ImportRefused(Exception):
    """Some rows were refused; nothing was written. `errors` holds (line, reason) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} dòng không hợp lệ")
        self.errors = errors


def read_csv(
    handle: IO[str], columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a UTF-8 CSV with a header naming `columns` (others are ignored, but
    `optional` ones are read when present), each with its line number in the file. A
    missing column refuses the whole file."""
    reader = csv.DictReader(handle)
    missing = [name for name in columns if name not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused([(1, _("Thiếu cột: %(c)s.") % {"c": ", ".join(missing)})])
    return [
        (reader.line_num, {name: (row.get(name) or "").strip() for name in columns + optional})
        for row in reader
    ]


def read_csv_text(
    text: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    return read_csv(io.StringIO(text.lstrip("\ufeff")), columns, optional)


# --- Administrative units ----------------------------------------------------------------


@dataclass
class UnitImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _check_unit_row(row: dict[str, str], known: dict[str, str]) -> str | None:
    """Why the row is refused, or None. `known` maps the codes available as parents to
    their kinds: a province or city has none, a district (before 2025) is under a province,
    a commune-level unit under its district or (since 2025) its province."""
    kind, code = row["kind"], row["code"]
    if kind not in UnitKind.values:
        return _("Cấp đơn vị “%(k)s” không hợp lệ.") % {"k": kind}
    digits = CODE_DIGITS[UnitKind(kind)]
    if not (code.isascii() and code.isdigit() and len(code) == digits):
        return _("Mã đơn vị phải gồm %(n)s chữ số.") % {"n": digits}
    if not row["name"] or len(row["name"]) > Unit._meta.get_field("name").max_length:
        return _("Tên đơn vị trống hoặc quá dài.")
    if len(row.get("title", "")) > Unit._meta.get_field("title").max_length:
        return _("Tên cấp quá dài.")
    if kind in TOP_KINDS:
        return _("Tỉnh, thành phố không có đơn vị cấp trên.") if row["parent"] else None
    parent_kind = known.get(row["parent"])
    if kind == UnitKind.DISTRICT:
        if parent_kind not in TOP_KINDS:
            return _("Không có tỉnh, thành phố mã “%(p)s”.") % {"p": row["parent"]}
    elif parent_kind not in (*TOP_KINDS, UnitKind.DISTRICT):
        return _("Không có tỉnh, thành phố hay huyện mã “%(p)s”.") % {"p": row["parent"]}
    return None


LEVEL_ORDER = {UnitKind.PROVINCE: 0, UnitKind.CITY: 0, UnitKind.DISTRICT: 1}


@transaction.atomic
def import_units(
    rows: list[tuple[int, dict[str, str]]],
    *,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> UnitImport:
    """A tree of administrative units valid from `valid_from` (to `valid_to`, for a tree
    that has ended): provinces, the districts under them before 2025, and the commune-level
    units. Units are keyed by (code, valid_from): one already there is updated, never
    duplicated, and its other spellings and history are kept."""
    if valid_to is not None and valid_to < valid_from:
        raise ImportRefused([(1, _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))])
    existing = {unit.code: unit for unit in Unit.objects.filter(valid_from=valid_from)}
    known = {code: unit.kind for code, unit in existing.items()} | {
        row["code"]: row["kind"] for _line, row in rows
    }
    errors, seen = [], set()
    for line, row in rows:
        reason = _check_unit_row(row, known)
        if reason is None and row["code"] in seen:
            reason = _("Mã đơn vị “%(c)s” lặp lại.") % {"c": row["code"]}
        seen.add(row["code"])
        if reason:
            errors.append((line, reason))
    if errors:
        raise ImportRefused(errors)

    result = UnitImport()
    # Provinces first, then districts, so that every unit finds its parent.
    ordered = sorted(rows, key=lambda item: LEVEL_ORDER.get(item[1]["kind"], 2))
    for _line, row in ordered:
        parent = existing[row["parent"]] if row["parent"] else None
        unit = existing.get(row["code"])
        values = {
            "kind": row["kind"],
            "name": row["name"],
            "title": row.get("title", ""),
            "parent": parent,
            "valid_to": valid_to,
        }
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


@dataclass
class SuccessionImport:
    created: int = 0
    unchanged: int = 0


@transaction.atomic
def import_successions(
    rows: list[tuple[int, dict[str, str]]], *, effective_on: datetime.date, legal_basis: str = ""
) -> SuccessionImport:
    """Sắp xếp đơn vị hành chính: which unit in force the day before `effective_on` passed
    its territory (or, `partial`, part of it) to which unit in force from that day; both
    trees must be imported first. Safe to run again."""
    before = effective_on - datetime.timedelta(days=1)
    codes = {row[name] for _line, row in rows for name in ("predecessor", "successor")}
    old = {u.code: u for u in Unit.objects.valid_on(before).filter(code__in=codes)}
    new = {u.code: u for u in Unit.objects.valid_on(effective_on).filter(code__in=codes)}
    errors, pairs = [], []
    for line, row in rows:
        predecessor, successor = old.get(row["predecessor"]), new.get(row["successor"])
        if predecessor is None:
            errors.append((line, _("Không có đơn vị cũ mã “%(c)s”.") % {"c": row["predecessor"]}))
        elif successor is None:
            errors.append((line, _("Không có đơn vị mới mã “%(c)s”.") % {"c": row["successor"]}))
        elif row["partial"] not in ("0", "1", ""):
            errors.append((line, _("Cột partial là 0 hoặc 1.")))
        else:
            pairs.append((predecessor, successor, row["partial"] == "1"))
    if errors:
        raise ImportRefused(errors)
    stored = set(
        UnitSuccession.objects.filter(
            predecessor__in=old.values(), successor__in=new.values()
        ).values_list("predecessor_id", "successor_id")
    )
    fresh = [
        UnitSuccession(
            predecessor=predecessor,
            successor=successor,
            partial=partial,
            effective_on=effective_on,
            legal_basis=legal_basis,
        )
        for predecessor, successor, partial in pairs
        if (predecessor.pk, successor.pk) not in stored
    ]
    UnitSuccession.objects.bulk_create(fresh)
    return SuccessionImport(created=len(fresh), unchanged=len(pairs) - len(fresh))


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


# --- Evidence files ----------------------------------------------------------------------

EVIDENCE_STORAGE = "evidence"
STORAGE_FAILED = _lazy(
    "Không lưu được tệp: kho lưu tệp của máy chủ đã đầy hoặc không ghi được. Chưa có gì "
    "được lưu; hãy thử lại sau hoặc báo quản trị viên."
)


def save_or_refuse(storage, name: str, content) -> str:
    """`storage.save`, or a ValidationError saying the store is full or cannot be written
    (a full disk, a read-only mount, an unreachable bucket), with what was partly written
    deleted."""
    try:
        return storage.save(name, content)
    except OSError as error:
        logger.error("storage: could not save %s: %s", name, error)
        try:
            storage.delete(name)
        except OSError:
            logger.exception("storage: could not delete the partial %s", name)
        raise ValidationError(STORAGE_FAILED, code="storage") from error


def attach_file(
    obj: models.Model,
    upload: UploadedFile,
    *,
    by: User,
    description: str = "",
    part: str = "",
) -> Attachment:
    """Attach an evidence file to an object of a registered kind.

    Refused with PermissionDenied when the user may not attach to it (or it is closed), and
    with a ValidationError when the file is too large, of a type not accepted, or not what
    its name says; nothing is stored then. The file is stored under a random name; the
    sender's name is kept on the row."""
    kind = kind_of(type(obj))
    if kind is None or not kind.may_attach(by, obj):
        raise PermissionDenied
    if part and part not in {key for key, _label in kind.parts(obj)}:
        raise ValidationError(_("Phần được chọn không thuộc đối tượng này."), code="part")
    ext = check_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(kind.model),
        object_id=obj.pk,
        part=part,
        name=clean_name(upload.name or ""),
        description=description.strip(),
        stored_name=f"{uuid.uuid4().hex}.{ext}",
        media_type=MEDIA_TYPES[ext],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    attachment.full_clean()
    storage = storages[EVIDENCE_STORAGE]
    upload.seek(0)
    stored = save_or_refuse(storage, attachment.stored_name, upload)
    try:
        with transaction.atomic():
            attachment.stored_name = stored
            attachment._history_user = by
            attachment.save()
    except BaseException:
        # The row is the record of the file: without it, the file must not stay behind.
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, obj: models.Model, *, by: User) -> Attachment:
    """Take a file off its object's page: recorded (who, when) and kept in history.

    Only its uploader or office staff over the object, while the object is open to changes;
    the stored content stays, so history can still say what was removed."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if not may_remove(by, attachment, obj):
        raise PermissionDenied
    attachment.removed_at = timezone.now()
    attachment.removed_by = by
    attachment.full_clean()
    attachment._history_user = by
    attachment.save(update_fields=["removed_at", "removed_by"])
    return attachment
