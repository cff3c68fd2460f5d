"""NTM criteria: import, versions, the distance to the standard, assessments, the pages;
year-end ratings and their levels."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Visit, VisitKind
from ntm import services
from ntm.distance import CriterionStatus, criterion_status
from ntm.models import (
    Assessment,
    Comparison,
    CriteriaSet,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    NtmLevel,
    Rating,
    RatingLevel,
    level_for_score,
)
from org.models import Role, Unit, User
from tests.builders import choose_year, make_unit, make_user

pytestmark = pytest.mark.django_db
D = datetime.date
ADVANCED = "qd318-2021-2025-xa-ntm-nang-cao"
BASIC = "qd318-2021-2025-xa-ntm"
HEADER = ["Nhóm", "Tên nhóm", "Tiêu chí", "Tên tiêu chí", "Mã chỉ tiêu", "Tên chỉ tiêu",
          "Đơn vị tính", "So sánh", "Ngưỡng", "Vùng"]  # fmt: skip


def user(name: str) -> User:
    return User.objects.get(username=name)


def unit(code: str, year: int = 2022) -> Unit:
    return Unit.objects.valid_in_year(year).get(code=code)


def new_set(code: str = "thu-nghiem", level: str = NtmLevel.BASIC) -> CriteriaSet:
    return CriteriaSet.objects.create(
        code=code, name="Bộ thử", level=level, legal_basis="QĐ thử", valid_from=D(2021, 1, 1)
    )


# --- import ----------------------------------------------------------------------------------


def test_the_shipped_sets_are_loaded_with_the_19_criteria_of_decision_318() -> None:
    basic = CriteriaSet.objects.get(code=BASIC)
    assert basic.criteria.count() == 19 and basic.groups.count() == 5
    assert list(basic.groups.values_list("number", flat=True)) == ["I", "II", "III", "IV", "V"]
    assert basic.criteria.get(number=10).name == "Thu nhập"
    assert basic.criteria.get(number=19).group.name == "Hệ thống chính trị"
    # The 2026–2030 set lives beside it, declared for an officer to import.
    assert CriteriaSet.objects.get(code="qd51-2026-2030-xa-ntm").criteria.count() == 0


def test_an_import_with_bad_rows_imports_nothing_and_names_each_row() -> None:
    criteria_set = new_set()
    table = [
        HEADER,
        ["I", "Quy hoạch", "1", "Quy hoạch", "1.1", "Có quy hoạch", "", "đạt", "", ""],
        ["II", "Hạ tầng", "x", "Giao thông", "2.1", "Đường xã", "%", "≥", "100", ""],  # 3
        ["II", "Hạ tầng", "2", "Giao thông", "2.2", "Đường thôn", "%", "≥", "nhiều", ""],  # 4
        ["II", "Hạ tầng", "3", "Thủy lợi", "", "", "", "đạt", "", ""],  # 5
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập", "tr.đ", "đạt", "60", ""],  # 6
        ["III", "Kinh tế", "11", "Nghèo", "11.1", "Tỷ lệ nghèo", "%", "hơn", "", ""],  # 7
        ["I", "Quy hoạch", "1", "Quy hoạch", "1.1", "Trùng", "", "đạt", "", ""],  # 8
    ]
    with pytest.raises(services.CriteriaImportError) as error:
        services.import_criteria(criteria_set, table)
    assert [line for line, _message in error.value.errors] == [3, 4, 5, 6, 7, 8]
    assert criteria_set.criteria.count() == 0 and criteria_set.groups.count() == 0


def test_an_import_needs_its_columns() -> None:
    with pytest.raises(services.CriteriaImportError) as error:
        services.import_criteria(new_set(), [["Tiêu chí", "Tên"], ["1", "x"]])
    assert error.value.errors[0][0] == 1 and "Thiếu cột" in error.value.errors[0][1]


def test_a_good_import_from_csv_and_from_excel() -> None:
    rows = [
        HEADER,
        ["I", "Quy hoạch", "1", "Quy hoạch", "1.1", "Có quy hoạch chung", "", "đạt", "", ""],
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập bình quân", "triệu đồng", "≥",
         "58", "Đồng bằng sông Cửu Long"],
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập bình quân", "triệu đồng", "≥",
         "52", "Miền núi phía Bắc"],
        ["III", "Kinh tế", "11", "Nghèo đa chiều", "11.1", "Tỷ lệ nghèo", "%", "≤", "13,5", ""],
    ]  # fmt: skip
    text = "\n".join(";".join(row) for row in rows).encode()
    table = services.read_table(io.BytesIO(text), "bo-tieu-chi.csv")
    result = services.import_criteria(new_set("csv"), table)
    assert (result.groups, result.criteria, result.indicators) == (2, 3, 4)
    poverty = Indicator.objects.get(criterion__criteria_set__code="csv", code="11.1")
    assert poverty.comparison == Comparison.AT_MOST and poverty.threshold == Decimal("13.5")

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = services.import_criteria(new_set("xlsx"), services.read_table(buffer, "bo.xlsx"))
    assert result.indicators == 4


@pytest.mark.parametrize(
    ("typed", "read"),
    [("48.000", "48000"), ("48.000,5", "48000.5"), ("1,5", "1.5"), ("13.5", "13.5"), ("58", "58")],
)
def test_thresholds_are_read_as_the_forms_read_numbers(typed: str, read: str) -> None:
    rows = [
        HEADER,
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập", "nghìn đồng", "≥", typed, ""],
    ]
    services.import_criteria(new_set("so"), rows)
    indicator = Indicator.objects.get(criterion__criteria_set__code="so", code="10.1")
    assert indicator.threshold == Decimal(read)


def test_an_excel_number_cell_is_read_as_its_value() -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    for code, value in (("10.1", 1.234), ("10.2", 48000), ("10.3", 13.5)):
        book.active.append(["III", "Kinh tế", "10", "Thu nhập", code, "x", "", "≥", value, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    services.import_criteria(new_set("excel"), services.read_table(buffer, "bo.xlsx"))
    thresholds = dict(
        Indicator.objects.filter(criterion__criteria_set__code="excel").values_list(
            "code", "threshold"
        )
    )
    assert thresholds == {"10.1": Decimal("1.234"), "10.2": Decimal(48000), "10.3": Decimal("13.5")}


def test_a_set_with_criteria_is_never_changed_by_an_import() -> None:
    basic = CriteriaSet.objects.get(code=BASIC)
    with pytest.raises(services.CriteriaImportError):
        services.import_criteria(basic, [HEADER, ["I", "x", "1", "x", "1", "x", "", "", "", ""]])
    assert Indicator.objects.filter(criterion__criteria_set=basic).count() == 19


def test_the_import_command_reports_rows_and_loads_nothing(tmp_path) -> None:
    new_set("lenh")
    path = tmp_path / "bo.csv"
    path.write_text(",".join(HEADER) + "\nI,Quy hoạch,0,Quy hoạch,1.1,x,,đạt,,\n", "utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_criteria", "lenh", str(path), stderr=io.StringIO())
    assert not CriteriaSet.objects.get(code="lenh").criteria.exists()


# --- status and distance ---------------------------------------------------------------------


def result(**values) -> IndicatorResult:
    fields = ("self_met", "self_value", "appraised_met", "appraised_value")
    return IndicatorResult(**{name: values.get(name) for name in fields})


MET = Indicator(pk=1, code="1.1", comparison=Comparison.MET)
AT_LEAST = Indicator(pk=2, code="10.1", comparison=Comparison.AT_LEAST, threshold=Decimal(58))
AT_MOST = Indicator(pk=3, code="11.1", comparison=Comparison.AT_MOST, threshold=Decimal("13.5"))
OTHER_REGION = Indicator(pk=4, code="1.1", comparison=Comparison.MET, region="Miền núi")
# One income indicator with a threshold per region, and one for everyone else.
DELTA = Indicator(
    pk=5, code="10.2", comparison=Comparison.AT_LEAST, threshold=Decimal(58), region="ĐBSCL"
)
MOUNTAIN = Indicator(
    pk=6, code="10.2", comparison=Comparison.AT_LEAST, threshold=Decimal(45), region="Miền núi"
)


@pytest.mark.parametrize(
    ("indicators", "results", "expected"),
    [
        ([MET], {}, CriterionStatus.NO_DATA),
        ([MET], {1: result(self_met=True)}, CriterionStatus.MET),
        ([MET], {1: result(self_met=True, appraised_met=False)}, CriterionStatus.NOT_MET),
        ([MET], {1: result(self_met=False, appraised_met=True)}, CriterionStatus.MET),
        ([AT_LEAST], {2: result(self_value=Decimal(58))}, CriterionStatus.MET),
        ([AT_LEAST], {2: result(self_value=Decimal("57.9"))}, CriterionStatus.NOT_MET),
        ([AT_MOST], {3: result(self_value=Decimal("13.5"))}, CriterionStatus.MET),
        ([AT_MOST], {3: result(self_value=Decimal("13.6"))}, CriterionStatus.NOT_MET),
        ([MET, AT_LEAST], {1: result(self_met=True)}, CriterionStatus.NO_DATA),
        ([MET, AT_LEAST], {1: result(self_met=False)}, CriterionStatus.NOT_MET),
        # An indicator for another region does not apply to this commune.
        ([MET, OTHER_REGION], {1: result(self_met=True)}, CriterionStatus.MET),
    ],
)
def test_criterion_status(indicators, results, expected) -> None:
    assert criterion_status(indicators, results, region="") == expected


@pytest.mark.parametrize(
    ("region", "value", "expected", "unresolved"),
    [
        # the commune's region picks its threshold: 50 meets the mountains' 45, not the delta's 58
        ("Miền núi", "50", CriterionStatus.MET, []),
        ("ĐBSCL", "50", CriterionStatus.NOT_MET, []),
        ("ĐBSCL", "58", CriterionStatus.MET, []),
        # no region, or one the set has no threshold for: never skipped, never met
        ("", "99", CriterionStatus.NO_DATA, ["10.2"]),
        ("Tây Nguyên", "99", CriterionStatus.NO_DATA, ["10.2"]),
    ],
)
def test_a_regional_threshold_is_judged_against_the_communes_region(
    region, value, expected, unresolved
) -> None:
    from ntm.distance import applicable

    results = {5: result(self_value=Decimal(value)), 6: result(self_value=Decimal(value))}
    assert criterion_status([DELTA, MOUNTAIN], results, region=region) == expected
    assert applicable([DELTA, MOUNTAIN], region)[1] == unresolved


def test_a_threshold_for_everyone_is_the_fallback_and_a_failure_still_counts() -> None:
    general = Indicator(pk=7, code="10.2", comparison=Comparison.AT_LEAST, threshold=Decimal(50))
    results = {7: result(self_value=Decimal(52)), 5: result(self_value=Decimal(52))}
    assert criterion_status([DELTA, general], results, region="Tây Nguyên") == CriterionStatus.MET
    assert criterion_status([DELTA, general], results, region="ĐBSCL") == CriterionStatus.NOT_MET
    # a failed indicator fails the criterion even while another is unresolved
    failing = {3: result(self_value=Decimal(20))}
    assert criterion_status([AT_MOST, DELTA], failing, region="") == CriterionStatus.NOT_MET


def _regional_set() -> CriteriaSet:
    rows = [
        HEADER,
        ["I", "Quy hoạch", "1", "Quy hoạch", "1.1", "Có quy hoạch chung", "", "đạt", "", ""],
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập bình quân", "triệu đồng", "≥",
         "58", "Đồng bằng sông Cửu Long"],
        ["III", "Kinh tế", "10", "Thu nhập", "10.1", "Thu nhập bình quân", "triệu đồng", "≥",
         "45", "Miền núi phía Bắc"],
    ]  # fmt: skip
    criteria_set = new_set("vung")
    services.import_criteria(criteria_set, rows)
    return criteria_set


def test_the_assessment_form_shows_the_threshold_that_applies_and_keeps_the_region(
    login,
) -> None:
    criteria_set = _regional_set()
    client = login("myqui")
    url = f"/ntm/units/{unit('30055').pk}/assess/?year=2022&set=vung&side=self"
    page = client.get(url).content.decode()
    assert "Chưa xác định được ngưỡng áp dụng" in page and "chỉ tiêu 10.1" in page
    page = client.get(url + "&region=Miền núi phía Bắc")
    text = page.content.decode()
    assert "Ngưỡng áp dụng" in text and "45" in text and "vùng / nhóm Miền núi phía Bắc" in text
    assert "Chưa xác định được ngưỡng" not in text
    rows = [indicator for indicator, _fields in page.context["form"].rows()]
    assert [(i.code, i.region) for i in rows] == [("1.1", ""), ("10.1", "Miền núi phía Bắc")]
    income = rows[1]
    data = {f"met-{i.pk}": "" for i in rows} | {f"note-{i.pk}": "" for i in rows}
    data |= {f"met-{rows[0].pk}": "1", f"value-{income.pk}": "50", "region": "Miền núi phía Bắc"}
    assert client.post(url, data).status_code == 302
    assessment = Assessment.objects.get(unit=unit("30055"), criteria_set=criteria_set, year=2022)
    assert assessment.region == "Miền núi phía Bắc"
    # the commune page judges 50 against the mountains' 45: both criteria met
    response = client.get(f"/ntm/units/{unit('30055').pk}/", {"year": 2022, "set": "vung"})
    assert response.context["distance"].met == 2 and not response.context["distance"].unresolved
    # the form opens again on the region it was saved with; a junk region is not taken
    assert client.get(url).context["region"] == "Miền núi phía Bắc"
    assert client.get(url + "&region=Sao Hỏa").context["region"] == ""


def test_the_commune_page_says_which_criterion_lacks_its_threshold(login) -> None:
    criteria_set = _regional_set()
    income = Indicator.objects.filter(criterion__criteria_set=criteria_set, code="10.1").first()
    services.save_assessment(
        unit("30055"),
        criteria_set,
        2022,
        by=user("myqui"),
        side="self",
        answers={income.pk: services.IndicatorAnswer(met=None, value=Decimal(99), note="")},
    )
    response = login("myqui").get(f"/ntm/units/{unit('30055').pk}/", {"year": 2022, "set": "vung"})
    page = response.content.decode()
    assert "Chỉ tiêu 10.1 có ngưỡng riêng theo vùng / nhóm xã" in page
    line = next(each for each in response.context["lines"] if each["unresolved"])
    assert line["status"] == CriterionStatus.NO_DATA


def test_a_goal_counts_only_its_own_units_communes(login) -> None:
    """The administrator sees every district; Cao Lãnh's goal must not count the three
    communes Tháp Mười assigned."""
    NtmGoal.objects.create(unit=unit("873"), year=2022, level=NtmLevel.ADVANCED, count=2)
    response = login("admin").get("/ntm/", {"year": 2022})
    goals = {goal.unit.code: goal for goal in response.context["goals"]}
    assert (goals["872"].assigned, goals["872"].achieved) == (3, 1)
    assert (goals["873"].assigned, goals["873"].achieved) == (0, 0)


def test_the_demo_distance_of_the_assigned_communes(login) -> None:
    """vanphong sees, for 2022, which Tháp Mười communes were assigned NTM nâng cao, how
    many criteria each meets and what is missing."""
    response = login("vanphong").get("/ntm/", {"year": 2022})
    rows = {row["unit"].name: row for row in response.context["assigned_rows"]}
    assert set(rows) == {"Mỹ Hòa", "Mỹ Quý", "Mỹ Đông"}
    assert rows["Mỹ Hòa"]["distance"].reached and rows["Mỹ Hòa"]["recognition"]
    mỹ_quí = rows["Mỹ Quý"]["distance"]
    assert (mỹ_quí.met, mỹ_quí.total) == (17, 19)  # the appraisal, not the self-assessment
    assert [c.number for c in mỹ_quí.missing] == [10, 13]
    assert len(response.context["rows"]) == 13
    goal = response.context["goals"][0]
    assert (goal.count, goal.assigned, goal.achieved) == (3, 3, 1)
    page = response.content.decode()
    assert "10. Thu nhập; 13. Tổ chức sản xuất và phát triển kinh tế nông thôn" in page


def test_the_triệu_sơn_seed_facts() -> None:
    goal = NtmGoal.objects.get(unit__name="Triệu Sơn", year=2022)
    assert (goal.level, goal.count) == (NtmLevel.ADVANCED, 8)
    meeting = Visit.objects.get(kind=VisitKind.NTM_ASSIGNMENT, date=D(2022, 1, 15))
    names = {a.unit.name for a in meeting.ntm_assignments.select_related("unit")}
    assert names == {"Tiến Nông", "Xuân Thịnh", "Hợp Thành"}
    assert all(a.level == NtmLevel.ADVANCED for a in meeting.ntm_assignments.all())


# --- assessments -------------------------------------------------------------------------------


def answers_for(criteria_set: CriteriaSet, met: bool) -> dict:
    return {
        i.pk: services.IndicatorAnswer(met=met, value=None, note="")
        for i in Indicator.objects.filter(criterion__criteria_set=criteria_set)
    }


def test_both_columns_are_kept() -> None:
    criteria_set = CriteriaSet.objects.get(code=BASIC)
    commune = unit("30055")
    services.save_assessment(
        commune, criteria_set, 2022, by=user("myqui"), side="self",
        answers=answers_for(criteria_set, True),
    )  # fmt: skip
    assessment = services.save_assessment(
        commune, criteria_set, 2022, by=user("vanphong"), side="appraised",
        answers=answers_for(criteria_set, False),
    )  # fmt: skip
    results = list(assessment.results.all())
    assert len(results) == 19
    assert all(r.self_met is True and r.appraised_met is False for r in results)
    assert assessment.self_by == user("myqui") and assessment.appraised_by == user("vanphong")


def test_a_commune_cannot_appraise_itself_nor_assess_another() -> None:
    criteria_set = CriteriaSet.objects.get(code=BASIC)
    with pytest.raises(PermissionDenied):
        services.save_assessment(
            unit("30055"), criteria_set, 2022, by=user("myqui"), side="appraised", answers={}
        )
    with pytest.raises(PermissionDenied):
        services.save_assessment(
            unit("30067"), criteria_set, 2022, by=user("myqui"), side="self", answers={}
        )


def test_criteria_set_versions_do_not_mix() -> None:
    basic = CriteriaSet.objects.get(code=BASIC)
    advanced = CriteriaSet.objects.get(code=ADVANCED)
    with pytest.raises(ValidationError):
        services.save_assessment(
            unit("30055"), basic, 2022, by=user("vanphong"), side="self",
            answers=answers_for(advanced, True),
        )  # fmt: skip
    assert not Assessment.objects.filter(unit=unit("30055"), criteria_set=basic).exists()
    with pytest.raises(ValidationError):  # outside the set's years
        services.save_assessment(
            unit("30055", 2023), CriteriaSet.objects.get(code="qd51-2026-2030-xa-ntm"), 2023,
            by=user("vanphong"), side="self", answers={},
        )  # fmt: skip
    with pytest.raises(ValidationError):  # an assignment names a set of its level
        services.assign_ntm(
            unit("30061"), by=user("vanphong"), year=2022, level=NtmLevel.ADVANCED,
            criteria_set=basic,
        )  # fmt: skip


# --- ratings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", RatingLevel.FAILED),
        ("49.9", RatingLevel.FAILED),
        ("50", RatingLevel.DONE),
        ("69.9", RatingLevel.DONE),
        ("70", RatingLevel.GOOD),
        ("89.9", RatingLevel.GOOD),
        ("90", RatingLevel.EXCELLENT),
        ("100", RatingLevel.EXCELLENT),
    ],
)
def test_the_level_follows_the_score_at_the_boundaries(score: str, level: str) -> None:
    assert level_for_score(Decimal(score)) == level
    rating = services.save_rating(
        Rating(unit=unit("30061"), organisation="Chi bộ thử", year=2022, score=Decimal(score)),
        by=user("vanphong"),
    )
    assert Rating.objects.get(pk=rating.pk).level == level


def test_the_rating_form_derives_the_level_and_refuses_nonsense(login) -> None:
    client = login("vanphong")
    data = {"unit": unit("30061").pk, "organisation": "Chi bộ ấp 5", "year": 2022}
    assert client.post("/ntm/ratings/new/", data | {"score": "89,9"}).status_code == 302
    assert Rating.objects.get(organisation="Chi bộ ấp 5").level == RatingLevel.GOOD
    for bad in ({"score": "101"}, {"score": "-1"}, {}, {"quarter": "5", "level": "good"}):
        response = client.post("/ntm/ratings/new/", data | {"organisation": "Chi bộ ấp 6"} | bad)
        assert response.status_code == 400, bad
    assert not Rating.objects.filter(organisation="Chi bộ ấp 6").exists()
    duplicate = client.post("/ntm/ratings/new/", data | {"level": "done"})
    assert duplicate.status_code == 400


def test_the_no_failed_organisation_check(login) -> None:
    response = login("vanphong").get("/ntm/ratings/", {"year": 2022})
    clean = {u.name: ok for u, _rows, ok in response.context["units"]}
    assert clean["Thạnh Lợi"] is False  # its hamlet cell failed
    assert clean["Mỹ Quý"] is True


# --- pages ---------------------------------------------------------------------------------------


def urls() -> dict[str, str]:
    mỹ_quí = unit("30055")
    rating = Rating.objects.get(unit=mỹ_quí, organisation="Đảng bộ xã", year=2022)
    return {
        "board": "/ntm/?year=2022",
        "unit": f"/ntm/units/{mỹ_quí.pk}/?year=2022",
        "self": f"/ntm/units/{mỹ_quí.pk}/assess/?year=2022&set={ADVANCED}&side=self",
        "appraise": f"/ntm/units/{mỹ_quí.pk}/assess/?year=2022&set={ADVANCED}&side=appraised",
        "assign": f"/ntm/units/{mỹ_quí.pk}/assign/",
        "recognize": f"/ntm/units/{mỹ_quí.pk}/recognize/",
        "goal": "/ntm/goals/new/",
        "ratings": "/ntm/ratings/?year=2022",
        "rating-new": "/ntm/ratings/new/",
        "rating-edit": f"/ntm/ratings/{rating.pk}/edit/",
    }


MATRIX = {
    "board": {"vanphong": 200, "lanhdao": 200, "kiemtra": 200, "myqui": 403, "phudien": 403},
    "unit": {"vanphong": 200, "lanhdao": 200, "kiemtra": 200, "myqui": 200, "phudien": 404},
    "self": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 200, "phudien": 404},
    "appraise": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 404},
    "assign": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 404},
    "recognize": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 404},
    "goal": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 403},
    "ratings": {"vanphong": 200, "lanhdao": 200, "kiemtra": 200, "myqui": 200, "phudien": 200},
    "rating-new": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 403},
    "rating-edit": {"vanphong": 200, "lanhdao": 403, "kiemtra": 403, "myqui": 403, "phudien": 404},
}


@pytest.mark.parametrize("username", ["vanphong", "lanhdao", "kiemtra", "myqui", "phudien"])
def test_permission_matrix(login, username: str) -> None:
    client = login(username)
    for name, url in urls().items():
        assert client.get(url).status_code == MATRIX[name][username], (name, username)


def test_a_commune_sees_only_its_own_ratings(login) -> None:
    response = login("myqui").get("/ntm/ratings/", {"year": 2022})
    assert {u.name for u, _rows, _ok in response.context["units"]} == {"Mỹ Quý"}


def test_the_commune_enters_its_column_in_the_browser_form(login) -> None:
    client = login("myqui")
    url = urls()["self"]
    indicators = list(Indicator.objects.filter(criterion__criteria_set__code=ADVANCED))
    data = {f"met-{i.pk}": "1" for i in indicators} | {f"note-{i.pk}": "" for i in indicators}
    data[f"met-{indicators[9].pk}"] = "0"
    data[f"note-{indicators[9].pk}"] = "Thu nhập 62 triệu đồng, chưa đạt"
    assert client.post(url, data).status_code == 302
    result = IndicatorResult.objects.get(
        assessment__unit=unit("30055"), assessment__year=2022, indicator=indicators[9]
    )
    assert result.self_met is False and result.self_note.startswith("Thu nhập 62")
    assert result.appraised_met is False  # the district's column is untouched
    bad = client.post(url, data | {f"met-{indicators[0].pk}": "có lẽ"})
    assert bad.status_code == 400


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


# session, user, then: board (assessments by set, units, sets, assignments, recognitions,
# criteria, indicators, assessments, results, goals); commune page (unit, assessments,
# assignments, criteria, indicators, results, roadmap, plan targets, ratings, recognitions,
# sets, the shown assessment's evidence files); ratings (years, ratings)
QUERIES = {"board": 12, "unit": 14, "ratings": 4, "self": 9}


def test_query_counts_stay_fixed_as_communes_grow(client) -> None:
    office = make_user(unit("872"), role=Role.DISTRICT_STAFF)
    client.force_login(office)
    choose_year(client, 2022)
    pages = {name: url for name, url in urls().items() if name in QUERIES}
    before = {name: count(client, url) for name, url in pages.items()}
    advanced = CriteriaSet.objects.get(code=ADVANCED)
    indicators = list(Indicator.objects.filter(criterion__criteria_set=advanced))
    for n in range(6):
        commune = make_unit(unit("872"), name=f"Xã mới {n}")
        NtmAssignment.objects.create(
            unit=commune, year=2022, level=NtmLevel.ADVANCED, criteria_set=advanced
        )
        assessment = Assessment.objects.create(unit=commune, criteria_set=advanced, year=2022)
        IndicatorResult.objects.bulk_create(
            IndicatorResult(assessment=assessment, indicator=i, self_met=n % 2 == 0)
            for i in indicators
        )
        Rating.objects.create(unit=commune, year=2022, level=RatingLevel.GOOD)
    after = {name: count(client, url) for name, url in pages.items()}
    assert before == after == QUERIES
    board = client.get(pages["board"]).context
    assert len(board["rows"]) == 19 and len(board["assigned_rows"]) == 9


def test_the_admin_import_is_all_or_nothing(login) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    criteria_set = new_set("quan-tri")
    url = f"/admin/ntm/criteriaset/{criteria_set.pk}/import/"
    client = login("admin")
    bad = ",".join(HEADER) + "\nI,Quy hoạch,1,Quy hoạch,1.1,x,,đạt,,\nI,Quy hoạch,x,y,1.2,z,,,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("bo.csv", bad.encode())})
    assert response.status_code == 200
    assert "Dòng 3" in response.content.decode()
    assert not criteria_set.criteria.exists()
    good = ",".join(HEADER) + "\nI,Quy hoạch,1,Quy hoạch,1.1,x,,đạt,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("bo.csv", good.encode())})
    assert response.status_code == 302
    assert criteria_set.criteria.count() == 1
    assert login("vanphong").get(url).status_code in (302, 403)


def test_the_criteria_of_a_set_in_use_are_read_only_in_the_admin(login) -> None:
    """The demo's assessments were made against the advanced set: its criteria, indicators
    and groups are their record. An unused set stays editable."""
    used = CriteriaSet.objects.get(code=ADVANCED)
    assert used.in_use()
    client = login("admin")
    indicator = Indicator.objects.filter(criterion__criteria_set=used).first()
    criterion, group = indicator.criterion, indicator.criterion.group
    for name, obj in (
        ("indicator", indicator),
        ("criterion", criterion),
        ("criteriongroup", group),
    ):
        page = client.get(f"/admin/ntm/{name}/{obj.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), name
        assert client.post(f"/admin/ntm/{name}/{obj.pk}/change/", {}).status_code == 403, name
        assert (
            client.post(f"/admin/ntm/{name}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        )
    # a new indicator naming the set is refused by the model itself, in Vietnamese
    extra = Indicator(criterion=criterion, code="99.9", name="Thêm", comparison=Comparison.MET)
    with pytest.raises(ValidationError, match="đã được dùng để đánh giá"):
        extra.full_clean()
    # an assessment is written by its service only
    assessment = Assessment.objects.filter(criteria_set=used).first()
    assert client.post(f"/admin/ntm/assessment/{assessment.pk}/change/", {}).status_code == 403
    unused = new_set("chua-dung")
    services.import_criteria(
        unused, [HEADER, ["I", "Quy hoạch", "1", "Quy hoạch", "1.1", "x", "", "đạt", "", ""]]
    )
    fresh = Indicator.objects.get(criterion__criteria_set=unused)
    page = client.get(f"/admin/ntm/indicator/{fresh.pk}/change/")
    assert 'name="_save"' in page.content.decode()


def test_the_commune_sets_its_roadmap(login) -> None:
    mỹ_quí = unit("30055")
    advanced = CriteriaSet.objects.get(code=ADVANCED)
    income = advanced.criteria.get(number=10)
    url = f"/ntm/units/{mỹ_quí.pk}/roadmap/?set={ADVANCED}"
    client = login("myqui")
    data = {f"year-{c.pk}": "" for c in advanced.criteria.all()} | {f"year-{income.pk}": "2024"}
    assert client.post(url, data).status_code == 302
    from ntm.models import CriterionTarget

    assert CriterionTarget.objects.get(unit=mỹ_quí, criterion=income).year == 2024
    assert not CriterionTarget.objects.filter(unit=mỹ_quí, criterion__number=13).exists()
    assert client.post(url, data | {f"year-{income.pk}": "năm sau"}).status_code == 400
    assert login("phudien").get(url).status_code == 404
    assert login("lanhdao").get(url).status_code == 403


def test_a_service_refusal_naming_any_field_never_breaks_a_form(login, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise ValidationError({"not_a_form_field": ["Không hợp lệ."]})

    client = login("vanphong")
    monkeypatch.setattr(services, "save_rating", refuse)
    data = {"unit": unit("30061").pk, "year": 2022, "level": "good", "organisation": "Chi bộ 9"}
    response = client.post("/ntm/ratings/new/", data)
    assert response.status_code == 400 and "Không hợp lệ." in response.content.decode()
    monkeypatch.setattr(services, "save_assessment", refuse)
    response = client.post(urls()["appraise"], {})
    assert response.status_code == 400 and "Không hợp lệ." in response.content.decode()


def test_goals_recognitions_and_ratings_keep_who_changed_what() -> None:
    office = user("vanphong")
    district = unit("872")
    goal = services.set_ntm_goal(
        district, by=office, year=2024, level=NtmLevel.ADVANCED, count=2, source="CTr 1"
    )
    services.set_ntm_goal(
        district, by=office, year=2024, level=NtmLevel.ADVANCED, count=4, source="CTr 1"
    )
    latest, before = goal.history.order_by("-history_id")[:2]
    assert latest.history_user == office
    assert [(c.field, c.old, c.new) for c in latest.diff_against(before).changes] == [
        ("count", 2, 4)
    ]
    commune = unit("30055", 2024)
    recognition = services.record_recognition(
        commune, by=office, level=NtmLevel.ADVANCED, year=2024, decision="QĐ 1"
    )
    assert recognition.history.get().history_user == office
    rating = Rating(unit=commune, organisation="Đảng ủy xã", year=2024, score=Decimal(91))
    services.save_rating(rating, by=office)
    rating.score = Decimal(60)
    services.save_rating(rating, by=office)
    latest, before = rating.history.order_by("-history_id")[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(before).changes}
    assert changes["score"] == (Decimal(91), Decimal(60))
    assert changes["level"] == (RatingLevel.EXCELLENT, RatingLevel.DONE)
    assert latest.history_user == office
