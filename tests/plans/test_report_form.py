"""The report form as commune staff meet it: the period it opens on, what it starts from,
its labels and errors; the reporting record's chips."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest

from plans.due import due_row, period_rows
from plans.models import ItemKind, Period, ProgressReport, TargetResult, TaskState
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


def april(year: int = 2023) -> Period:
    return Period.objects.get(kind="month", year=year, index=4)


def test_the_commune_opens_on_the_report_it_owes(login, may_2023) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    page = login("myqui").get(f"/plans/{plan.pk}/progress/")
    assert page.context["period"].label == "Tháng 5/2023"
    assert "Nhập báo cáo" in page.text
    # The office reading the same plan opens on the latest report sent.
    page = login("vanphong").get(f"/plans/{plan.pk}/progress/")
    assert page.context["period"].label == "Quý I/2023"


def test_the_report_owed_is_the_nearest_deadline_else_the_oldest_overdue(may_2023) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    rows = period_rows(plan, datetime.date(2023, 5, 10))
    assert due_row(rows).period.label == "Tháng 5/2023"
    assert [row.period.label for row in rows if row.overdue] == ["Tháng 4/2023"]
    rows = period_rows(plan, datetime.date(2024, 1, 5))
    assert due_row(rows).period.label == "Tháng 4/2023"


def test_the_record_runs_in_time_order_and_tells_late_from_on_time(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    march = Period.objects.get(kind="month", year=2023, index=3)
    ProgressReport.objects.filter(plan=plan, period=march).update(
        submitted_at=datetime.datetime(2023, 4, 20, 3, tzinfo=datetime.UTC)
    )
    page = login("myqui").get(f"/plans/{plan.pk}/progress/?period={march.pk}").content.decode()
    chips = page[page.index('class="periods"') :]
    assert chips.index("Tháng 3/2023") < chips.index("Quý I/2023") < chips.index("Tháng 4/2023")
    assert re.search(r'class="[^"]*\bperiod--late\b', chips) and "gửi trễ hạn" in chips
    assert "quá hạn" in chips  # Tháng 4/2023 was never sent
    # A submitted report is read, not edited.
    assert "Xem báo cáo" in page and "sửa báo cáo" not in page


def test_the_form_shows_each_targets_previous_value(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    target = plan.items.filter(kind=ItemKind.TARGET, accumulation="point").order_by("order")[0]
    march = TargetResult.objects.get(
        item=target, report__period__kind="month", report__period__index=3
    )
    page = login("myqui").get(f"/plans/{plan.pk}/reports/{april().pk}/")
    previous = page.context["form"].previous[target.pk]
    assert previous.value == march.value
    from plans.templatetags.plan_format import quantity

    assert f"Kỳ trước: {quantity(march.value)} {target.measure_unit}" in page.text


def test_a_new_report_starts_from_the_last_reported_task_states(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    task = plan.items.filter(kind=ItemKind.KEY_TASK).order_by("order")[0]
    # Tháng 3 and Quý I both close on 14/3: the later of the two reports counts.
    closing_march = ProgressReport.objects.filter(plan=plan, period__end="2023-03-14")
    assert closing_march.count() == 2
    for report in closing_march:
        report.task_progress.filter(item=task).update(state=TaskState.DONE)
    form = login("myqui").get(f"/plans/{plan.pk}/reports/{april().pk}/").context["form"]
    assert form[f"state_{task.pk}"].value() == TaskState.DONE
    others = plan.items.filter(kind=ItemKind.KEY_TASK).exclude(pk=task.pk)
    assert {form[f"state_{item.pk}"].value() for item in others} == {TaskState.IN_PROGRESS}


class _Boxes(HTMLParser):
    """The ids of a page's visible form controls and of the labels pointing at them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: set[str] = set()
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "label" and attr.get("for"):
            self.labelled.add(attr["for"])
        hidden = attr.get("type") in ("hidden", "submit") or attr.get("tabindex") == "-1"
        if tag in ("input", "select", "textarea") and not hidden and attr.get("id"):
            self.controls.add(attr["id"])


def test_every_box_of_the_report_form_has_a_label(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    boxes = _Boxes()
    boxes.feed(login("myqui").get(f"/plans/{plan.pk}/reports/{april().pk}/").content.decode())
    assert len(boxes.controls) > 40
    assert boxes.controls <= boxes.labelled


def test_an_evidence_error_is_shown_beside_it_and_nothing_is_lost(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    target = plan.items.filter(kind=ItemKind.TARGET).order_by("order")[0]
    data = {
        "version": "0",
        "save": "1",
        f"value_{target.pk}": "1200",
        f"evidence_{target.pk}": "x" * 2001,
        "results": "Kết quả tháng 4",
    }
    page = login("myqui").post(f"/plans/{plan.pk}/reports/{april().pk}/", data)
    assert page.status_code == 400
    assert "tối đa 2000" in page.text or "2000" in page.text
    assert page.context["form"][f"evidence_{target.pk}"].errors
    assert 'value="1200"' in page.text and "Kết quả tháng 4" in page.text
    assert not ProgressReport.objects.filter(plan=plan, period=april()).exists()


def _april_form(plan, **values: str) -> dict[str, str]:
    data = {"version": "0", "submit": "1"}
    for item in plan.items.filter(kind__in=("key_task", "breakthrough")):
        data[f"state_{item.pk}"] = "not_started"
    return data | values


def test_sending_asks_for_confirmation_and_saves_nothing_until_confirmed(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    target = plan.items.filter(kind=ItemKind.TARGET).order_by("order")[0]
    url = f"/plans/{plan.pk}/reports/{april().pk}/"
    data = _april_form(plan, **{f"value_{target.pk}": "1520,5", "results": "Tháng 4"})
    page = login("myqui").post(url, data)
    assert page.status_code == 200
    assert "Gửi báo cáo Tháng 4/2023?" in page.text and "1/13 chỉ tiêu có giá trị" in page.text
    assert 'value="1520,5"' in page.text
    assert not ProgressReport.objects.filter(plan=plan, period=april()).exists()
    page = login("myqui").post(url, data | {"submit": "confirmed"})
    assert page.status_code == 302
    assert ProgressReport.objects.get(plan=plan, period=april()).status == "submitted"


def test_an_empty_report_is_refused_even_when_confirmed(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    url = f"/plans/{plan.pk}/reports/{april().pk}/"
    for submit in ("1", "confirmed"):
        page = login("myqui").post(url, _april_form(plan, submit=submit))
        assert page.status_code == 400
        assert "Báo cáo chưa có giá trị chỉ tiêu, tình hình nhiệm vụ hay nội dung nào" in page.text
    assert not ProgressReport.objects.filter(plan=plan, period=april(), status="submitted")


def test_an_implausible_value_needs_its_confirmation(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    rate = plan.items.filter(kind=ItemKind.TARGET, measure_unit="%").order_by("order")[0]
    rice = plan.items.filter(kind=ItemKind.TARGET, text__startswith="Giữ ổn định diện tích")[0]
    url = f"/plans/{plan.pk}/reports/{april().pk}/"
    data = _april_form(plan, **{f"value_{rate.pk}": "150", f"value_{rice.pk}": "89000"})
    page = login("myqui").post(url, data)
    warnings = page.context["confirm"]["warnings"]
    assert any("150 % vượt quá 100 %" in warning for warning in warnings)
    assert any("89.000 ha, cao hơn nhiều so với chỉ tiêu năm 8.900 ha" in w for w in warnings)
    assert "Hãy kiểm tra lại trước khi gửi" in page.text
    assert not ProgressReport.objects.filter(plan=plan, period=april()).exists()


def test_a_report_with_only_task_states_is_warned_about(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    task = plan.items.filter(kind=ItemKind.KEY_TASK)[0]
    url = f"/plans/{plan.pk}/reports/{april().pk}/"
    page = login("myqui").post(url, _april_form(plan, **{f"state_{task.pk}": "in_progress"}))
    assert page.context["confirm"]["warnings"] == [
        "Chưa nhập giá trị chỉ tiêu nào; báo cáo chỉ có tình hình nhiệm vụ."
    ]
