"""Writes for NTM criteria and year-end ratings: importing a criteria set, assessments
(the commune's column and the district's), assignments, goals, recognitions, ratings."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.models import (
    Assessment,
    Comparison,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionTarget,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    Rating,
    Recognition,
)
from org.models import Unit, User
from org.search import fold
from plans.forms import read_vietnamese_number
from plans.services.planning import require, with_actor

# --- import ---------------------------------------------------------------------------------

# Column headers as an officer types them (diacritics and case do not matter).
HEADERS = {
    "nhom": "group",
    "ten nhom": "group_name",
    "tieu chi": "criterion",
    "ten tieu chi": "criterion_name",
    "ma chi tieu": "code",
    "ten chi tieu": "name",
    "don vi tinh": "measure_unit",
    "so sanh": "comparison",
    "nguong": "threshold",
    "vung": "region",
}
REQUIRED = ("group", "group_name", "criterion", "criterion_name", "code", "name")
COMPARISONS = {
    "": Comparison.MET,
    "dat": Comparison.MET,
    "met": Comparison.MET,
    ">=": Comparison.AT_LEAST,
    "≥": Comparison.AT_LEAST,
    "gte": Comparison.AT_LEAST,
    "toi thieu": Comparison.AT_LEAST,
    "<=": Comparison.AT_MOST,
    "≤": Comparison.AT_MOST,
    "lte": Comparison.AT_MOST,
    "toi da": Comparison.AT_MOST,
}


class CriteriaImportError(Exception):
    """Nothing was imported; `errors` lists (row number, message), row 1 being the header."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} lỗi")
        self.errors = errors


def read_table(upload: IO[bytes], name: str) -> list[list[str]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or xlsx file, as text."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise CriteriaImportError([(0, _("Không đọc được tệp Excel."))]) from error
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CriteriaImportError([(0, _("Tệp CSV phải mã hóa UTF-8."))]) from error
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;") if text.strip() else csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _cell_text(value: object) -> str:
    """An Excel cell as the text a person would have typed. A number cell is written with a
    decimal comma, so that 1.234 (one point two three four) is not read as 1 234."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return str(int(number))
        return str(number).replace(".", ",")
    return str(value)


def _decimal(text: str) -> Decimal:
    """A threshold read exactly as the portal's forms read numbers: "48.000" is 48 000,
    "1,5" is 1.5 (plans.forms.read_vietnamese_number)."""
    return Decimal(read_vietnamese_number(text))


@dataclass
class ImportResult:
    groups: int
    criteria: int
    indicators: int


def _parse(table: list[list[str]]) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    if not table:
        return [], [(0, _("Tệp không có dữ liệu."))]
    columns = {i: HEADERS.get(fold(h)) for i, h in enumerate(table[0])}
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        wanted = ", ".join(k for k, v in HEADERS.items() if v in missing)
        return [], [(1, _("Thiếu cột: %(columns)s.") % {"columns": wanted})]
    rows, errors = [], []
    for number, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row = {key: raw[i].strip() if i < len(raw) else "" for i, key in columns.items() if key}
        problems = [_("thiếu “%(column)s”") % {"column": k} for k in REQUIRED if not row.get(k)]
        try:
            row["criterion"] = int(row.get("criterion") or 0)
            if row["criterion"] <= 0:
                raise ValueError
        except ValueError:
            problems.append(_("số tiêu chí phải là số nguyên dương"))
        comparison = COMPARISONS.get(fold(row.get("comparison", "")))
        if comparison is None:
            problems.append(_("cách so sánh phải là “đạt”, “≥” hoặc “≤”"))
        row["comparison"] = comparison
        threshold = row.get("threshold", "")
        row["threshold"] = None
        if comparison in (Comparison.AT_LEAST, Comparison.AT_MOST):
            try:
                row["threshold"] = _decimal(threshold)
                if abs(row["threshold"]) >= Decimal("1e14"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                problems.append(_("ngưỡng phải là một số"))
        elif threshold:
            problems.append(_("chỉ tiêu “đạt / không đạt” không có ngưỡng"))
        for key, limit in (("group_name", 200), ("criterion_name", 200), ("name", 500)):
            if len(row.get(key, "")) > limit:
                problems.append(_("“%(column)s” quá dài") % {"column": key})
        if problems:
            errors.append((number, "; ".join(problems)))
        else:
            rows.append(row | {"line": number})
    seen: dict[tuple, int] = {}
    names: dict[tuple, tuple[str, int]] = {}
    for row in rows:
        key = (row["criterion"], row["code"], row.get("region", ""))
        if key in seen:
            errors.append((row["line"], _("trùng chỉ tiêu ở dòng %(line)s") % {"line": seen[key]}))
        seen.setdefault(key, row["line"])
        for what, value in (("group", row["group_name"]), ("criterion", row["criterion_name"])):
            ident = (what, row[what])
            first = names.setdefault(ident, (value, row["line"]))
            if first[0] != value:
                errors.append(
                    (
                        row["line"],
                        _("tên khác với dòng %(line)s cùng số") % {"line": first[1]},
                    )
                )
    if not rows and not errors:
        errors.append((0, _("Tệp không có dòng chỉ tiêu nào.")))
    return rows, sorted(errors)


@transaction.atomic
def import_criteria(criteria_set: CriteriaSet, table: list[list[str]]) -> ImportResult:
    """Load a set's groups, criteria and indicators, all or nothing.

    A set that already has criteria is never changed: a new version of the standard is a
    new set, so assessments made against the old one keep their meaning.
    """
    if criteria_set.criteria.exists():
        raise CriteriaImportError(
            [(0, _("Bộ tiêu chí đã có dữ liệu; hãy tạo bộ tiêu chí (phiên bản) mới."))]
        )
    rows, errors = _parse(table)
    if errors:
        raise CriteriaImportError(errors)
    groups: dict[str, CriterionGroup] = {}
    criteria: dict[int, Criterion] = {}
    for order, row in enumerate(rows):
        group = groups.get(row["group"])
        if group is None:
            group = groups[row["group"]] = CriterionGroup.objects.create(
                criteria_set=criteria_set,
                number=row["group"],
                name=row["group_name"],
                order=len(groups),
            )
        criterion = criteria.get(row["criterion"])
        if criterion is None:
            criterion = criteria[row["criterion"]] = Criterion.objects.create(
                criteria_set=criteria_set,
                group=group,
                number=row["criterion"],
                name=row["criterion_name"],
            )
        Indicator.objects.create(
            criterion=criterion,
            code=row["code"],
            name=row["name"],
            measure_unit=row.get("measure_unit", ""),
            comparison=row["comparison"],
            threshold=row["threshold"],
            region=row.get("region", ""),
            order=order,
        )
    return ImportResult(groups=len(groups), criteria=len(criteria), indicators=len(rows))


# --- assessments ---------------------------------------------------------------------------

SIDES = ("self", "appraised")


@dataclass
class IndicatorAnswer:
    met: bool | None
    value: Decimal | None
    note: str


def _check_year(criteria_set: CriteriaSet, unit: Unit, year: int) -> None:
    first = criteria_set.valid_from.year
    last = criteria_set.valid_to.year if criteria_set.valid_to else 2100
    if not first <= year <= last:
        raise ValidationError(
            _("Bộ tiêu chí này áp dụng từ năm %(first)s đến năm %(last)s.")
            % {"first": first, "last": last}
        )
    if not Unit.objects.planning().valid_in_year(year).filter(pk=unit.pk).exists():
        raise ValidationError(_("Đơn vị không phải đơn vị cấp xã trong năm này."))


@transaction.atomic
def save_assessment(
    unit: Unit,
    criteria_set: CriteriaSet,
    year: int,
    *,
    by: User,
    side: str,
    answers: dict[int, IndicatorAnswer],
    region: str | None = None,
) -> Assessment:
    """Write one column — the commune's ("self") or the district's ("appraised") — of a
    commune's assessment; the other column is left as it was."""
    if side not in SIDES:
        raise ValueError(side)
    require(by, "ntm.self_assess_ntm" if side == "self" else "ntm.appraise_ntm", unit)
    _check_year(criteria_set, unit, year)
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        unit=unit, criteria_set=criteria_set, year=year
    )
    if region is not None:
        assessment.region = region
    setattr(assessment, f"{side}_by", by)
    setattr(assessment, f"{side}_at", timezone.now())
    assessment.full_clean()
    assessment.save()
    indicators = set(
        Indicator.objects.filter(criterion__criteria_set=criteria_set).values_list("pk", flat=True)
    )
    if unknown := set(answers) - indicators:
        raise ValidationError(_("Chỉ tiêu không thuộc bộ tiêu chí: %(ids)s.") % {"ids": unknown})
    existing = {r.indicator_id: r for r in assessment.results.all()}
    for indicator_id, answer in answers.items():
        result = existing.get(indicator_id) or IndicatorResult(
            assessment=assessment, indicator_id=indicator_id
        )
        changed = (
            getattr(result, f"{side}_met") != answer.met
            or getattr(result, f"{side}_value") != answer.value
            or getattr(result, f"{side}_note") != answer.note
        )
        if result.pk and not changed:
            continue
        setattr(result, f"{side}_met", answer.met)
        setattr(result, f"{side}_value", answer.value)
        setattr(result, f"{side}_note", answer.note)
        result.full_clean()
        with_actor(result, by).save()
    return assessment


# --- goals, assignments, recognitions ------------------------------------------------------


@transaction.atomic
def set_ntm_goal(unit: Unit, *, by: User, year: int, level: str, count: int, source: str = ""):
    require(by, "ntm.manage_ntm", unit)
    goal = NtmGoal.objects.filter(unit=unit, year=year, level=level).first() or NtmGoal(
        unit=unit, year=year, level=level
    )
    goal.count, goal.source = count, source
    goal.full_clean()
    with_actor(goal, by).save()
    return goal


@transaction.atomic
def assign_ntm(
    unit: Unit,
    *,
    by: User,
    year: int,
    level: str,
    criteria_set: CriteriaSet,
    source: str = "",
) -> NtmAssignment:
    """Giao nhiệm vụ: the commune is to reach `level` in `year` against `criteria_set`."""
    require(by, "ntm.manage_ntm", unit.parent)
    if criteria_set.level != level:
        raise ValidationError({"criteria_set": _("Bộ tiêu chí không phải của mức được giao.")})
    _check_year(criteria_set, unit, year)
    assignment = NtmAssignment(
        unit=unit, year=year, level=level, criteria_set=criteria_set, source=source
    )
    assignment.full_clean()
    with_actor(assignment, by).save()
    return assignment


@transaction.atomic
def record_recognition(
    unit: Unit,
    *,
    by: User,
    level: str,
    year: int,
    decision: str,
    decided_on: datetime.date | None = None,
) -> Recognition:
    require(by, "ntm.manage_ntm", unit.parent)
    recognition = Recognition(
        unit=unit, level=level, year=year, decision=decision, decided_on=decided_on
    )
    recognition.full_clean()
    with_actor(recognition, by).save()
    return recognition


# --- ratings ---------------------------------------------------------------------------------


@transaction.atomic
def save_rating(rating: Rating, *, by: User) -> Rating:
    """Record a rating; with a score the level follows from it (≥90 / ≥70 / ≥50 / <50)."""
    require(by, "ntm.rate_units", rating.unit)
    rating.full_clean()
    with_actor(rating, by).save()
    return rating


def load_shipped_sets(directory) -> list[tuple[CriteriaSet, ImportResult | None]]:
    """Create the criteria sets declared in `directory/sets.toml` and import their files.
    A set that already has criteria is left as it is (idempotent)."""
    import tomllib
    from pathlib import Path

    directory = Path(directory)
    with (directory / "sets.toml").open("rb") as handle:
        declared = tomllib.load(handle)["set"]
    loaded = []
    for row in declared:
        header = {k: v for k, v in row.items() if k not in ("code", "file")}
        criteria_set, _created = CriteriaSet.objects.update_or_create(
            code=row["code"], defaults=header
        )
        criteria_set.full_clean()
        result = None
        if "file" in row and not criteria_set.criteria.exists():
            with (directory / row["file"]).open("rb") as handle:
                result = import_criteria(criteria_set, read_table(handle, row["file"]))
        loaded.append((criteria_set, result))
    return loaded


@transaction.atomic
def save_roadmap(
    unit: Unit, criteria_set: CriteriaSet, *, by: User, years: dict[int, int | None]
) -> None:
    """Lộ trình: the year the commune plans to meet each criterion (None clears it)."""
    require(by, "ntm.self_assess_ntm", unit)
    criteria = {c.pk: c for c in criteria_set.criteria.all()}
    if unknown := set(years) - set(criteria):
        raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí: %(ids)s.") % {"ids": unknown})
    existing = {
        t.criterion_id: t for t in CriterionTarget.objects.filter(unit=unit, criterion__in=criteria)
    }
    for criterion_id, year in years.items():
        target = existing.get(criterion_id)
        if year is None:
            if target is not None:
                target.delete()
        elif target is None or target.year != year:
            target = target or CriterionTarget(unit=unit, criterion=criteria[criterion_id])
            target.year = year
            target.full_clean()
            target.save()
