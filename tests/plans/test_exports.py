"""The plans pages leave as Excel holding the page's own numbers, under the page's checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plans.models import ItemKind, Period, Programme
from tests.sheets import sheet, sheets

pytestmark = pytest.mark.django_db


def test_a_plan_leaves_with_every_item_and_its_numbers(
    login, my_qui_2023, django_assert_num_queries
) -> None:
    client = login("vanphong")
    page = client.get(f"/plans/{my_qui_2023.pk}/")
    assert f'href="/plans/{my_qui_2023.pk}/export.xlsx"'.encode() in page.content
    with django_assert_num_queries(5):
        response = client.get(f"/plans/{my_qui_2023.pk}/export.xlsx")
        table = sheet(response)
    assert table.header[:4] == ["Loại", "STT", "Lĩnh vực", "Nội dung"]
    assert f"Năm: {my_qui_2023.year}" in table.scope
    kinds = [row[0] for row in table.rows]
    assert kinds.count(ItemKind.KEY_TASK.label) == 5
    assert kinds.count(ItemKind.TARGET.label) == 13
    assert kinds.count(ItemKind.BREAKTHROUGH.label) == 5
    targets = {row[3]: row for row in table.rows if row[0] == ItemKind.TARGET.label}
    for item in my_qui_2023.items.filter(kind=ItemKind.TARGET):
        assert Decimal(str(targets[item.text][6])) == item.target_value.normalize()
    assert response["Content-Disposition"].endswith(f'-{my_qui_2023.year}.xlsx"')


def test_the_query_count_does_not_grow_with_items(
    login, my_qui_2023, django_assert_num_queries
) -> None:
    item = my_qui_2023.items.filter(kind=ItemKind.TARGET).first()
    for n in range(5):
        item.pk, item.code, item.order = None, "", 100 + n
        item.save()
    client = login("vanphong")
    with django_assert_num_queries(5):
        assert sheet(client.get(f"/plans/{my_qui_2023.pk}/export.xlsx")).rows


def test_another_communes_plan_is_not_found(login, phu_dien_2022) -> None:
    assert login("myqui").get(f"/plans/{phu_dien_2022.pk}/export.xlsx").status_code == 404


def test_a_report_leaves_with_its_targets_tasks_and_four_sections(login, my_qui_2023) -> None:
    client = login("vanphong")
    half = my_qui_2023.reports.exclude(submitted_at=None).order_by("-period__end")[0].period
    url = f"/plans/{my_qui_2023.pk}/progress/"
    page = client.get(url, {"period": half.pk})
    assert f'href="{url}export.xlsx?period={half.pk}"'.encode() in page.content
    targets, tasks, sections = sheets(client.get(f"{url}export.xlsx", {"period": half.pk}))
    lines = page.context["lines"]
    assert len(targets.rows) == len(lines) == 13
    for row, (line, _last) in zip(targets.rows, lines, strict=True):
        assert row[1] == line.item.text
        assert row[4] == (None if line.value is None else pytest.approx(float(line.value)))
        assert row[7] == line.status_label
    assert len(tasks.rows) == len(page.context["tasks"])
    assert [row[0] for row in sections.rows] == [
        "Kết quả đạt được",
        "Tồn tại, hạn chế",
        "Nguyên nhân",
        "Nhiệm vụ, giải pháp kỳ tới",
    ]
    report = page.context["report"]
    assert sections.rows[0][1] == (report.results or None)


def test_the_commune_list_leaves_with_each_communes_report_state(login) -> None:
    client = login("vanphong")
    half = Period.objects.get(kind="half", year=2023, index=1)
    page = client.get("/plans/progress/", {"period": half.pk})
    assert f'href="/plans/progress/export.xlsx?period={half.pk}"'.encode() in page.content
    table = sheet(client.get("/plans/progress/export.xlsx", {"period": half.pk}))
    rows = page.context["rows"]
    assert [row[0] for row in table.rows] == [entry["unit"].code for entry in rows]
    states = {row[3] for row in table.rows}
    assert states <= {"chưa báo cáo", "đúng hạn", "trễ hạn", "chưa có kế hoạch được duyệt"}
    for row, entry in zip(table.rows, rows, strict=True):
        summary = entry["summary"]
        if summary is not None and summary.submitted_at is not None:
            assert row[5:10] == [
                summary.targets_achieved,
                summary.targets_on_track,
                summary.targets_at_risk,
                summary.targets_behind,
                summary.targets_no_data,
            ]
    assert login("myqui").get("/plans/progress/export.xlsx").status_code == 403


def test_the_rollup_leaves_with_its_district_and_commune_lines(login) -> None:
    programme = Programme.objects.get(unit__code="872", year=2022, kind="government")
    half = Period.objects.get(kind="half", year=2022, index=1)
    client = login("lanhdao")
    url = f"/plans/programmes/{programme.pk}/rollup/"
    page = client.get(url, {"period": half.pk})
    totals, communes = sheets(client.get(f"{url}export.xlsx", {"period": half.pk}))
    lines = page.context["lines"]
    assert lines and len(totals.rows) == len(lines)
    for row, line in zip(totals.rows, lines, strict=True):
        assert row[1] == line.item.text
        for value, expected in ((row[5], line.planned), (row[6], line.reported)):
            assert value == (None if expected is None else pytest.approx(float(expected)))
        assert row[8] == len(line.communes)
    assert len(communes.rows) == sum(len(line.communes) for line in lines)


def test_the_coverage_leaves_with_each_item_and_its_communes(login) -> None:
    client = login("vanphong")
    page = client.get("/plans/coverage/", {"year": 2023})
    items, unplanned, unlinked = sheets(client.get("/plans/coverage/export.xlsx", {"year": 2023}))
    expected = [
        (item.text, len(item.communes))
        for programme in page.context["programmes"]
        for section in programme.sections
        for group in section.groups
        for item in group.items
    ]
    assert expected and [(row[3], row[4]) for row in items.rows] == expected
    assert len(unplanned.rows) == len(page.context["unplanned"])
    assert len(unlinked.rows) == len(page.context["unlinked"])
    assert login("myqui").get("/plans/coverage/export.xlsx").status_code == 403
