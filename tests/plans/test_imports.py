"""Excel imports: the round trip, the preview, each refusal writing nothing, conflicts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from org.models import User
from plans import services
from plans.models import CommunePlan, ItemKind, PlanItem, ProgressReport
from tests.sheets import content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(my_qui_2023) -> CommunePlan:
    """Mỹ Quý's 2024 plan, a draft copied from 2023."""
    myqui = User.objects.get(username="myqui")
    return services.create_plan(
        my_qui_2023.unit, 2024, by=myqui, title="Kế hoạch năm 2024", copy_previous_year=True
    )


def _book(response) -> openpyxl.Workbook:
    """A template (a download, or its bytes) opened for editing."""
    data = response if isinstance(response, bytes) else content(response)
    return openpyxl.load_workbook(io.BytesIO(data))


def _header_row(sheet) -> int:
    return int(sheet.freeze_panes[1:]) - 1


def _rows(book) -> dict[str, int]:
    """code → row number on the first sheet."""
    sheet = book.worksheets[0]
    first = _header_row(sheet) + 1
    return {
        sheet.cell(row=n, column=1).value: n
        for n in range(first, sheet.max_row + 1)
        if sheet.cell(row=n, column=1).value
    }


def _file(book, name: str = "ke-hoach.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _snapshot(plan: CommunePlan) -> list[tuple]:
    return list(plan.items.order_by("pk").values_list("code", "text", "target_value", "order"))


def test_a_plan_goes_out_to_excel_and_comes_back_with_the_edits(login, draft) -> None:
    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    assert f'href="{url}"'.encode() in client.get(f"/plans/{draft.pk}/").content
    book = _book(client.get(f"{url}template.xlsx"))
    sheet, rows = book.worksheets[0], _rows(book)
    assert len(rows) == draft.items.count()
    sheet.cell(row=rows["CT02"], column=7).value = 58000  # Giá trị chỉ tiêu
    sheet.cell(row=rows["NV01"], column=4).value = "Nhiệm vụ đã sửa trong Excel"
    new = sheet.max_row + 1
    for column, value in enumerate(
        ["", "Chỉ tiêu chủ yếu", "", "Tỷ lệ hộ dùng nước sạch", "%", 90, 95,
         "Tăng", "Tại thời điểm", None, "UBND xã", None],
        start=1,
    ):  # fmt: skip
        sheet.cell(row=new, column=column).value = value
    before = _snapshot(draft)

    preview = client.post(url, {"file": _file(book)})
    assert preview.status_code == 200
    assert _snapshot(draft) == before  # nothing written yet
    page = preview.content.decode()
    assert "thêm mới" in page and "58.000" in page and "Nhiệm vụ đã sửa trong Excel" in page
    token = preview.context["token"]
    assert preview.context["preview"].changed == 3

    done = client.post(url, {"token": token, "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == f"/plans/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.items.get(code="CT02").target_value == Decimal(58000)
    assert draft.items.get(code="NV01").text == "Nhiệm vụ đã sửa trong Excel"
    added = draft.items.get(text="Tỷ lệ hộ dùng nước sạch")
    assert added.code == "CT14" and added.kind == ItemKind.TARGET
    reasons = set(
        PlanItem.history.filter(plan_id=draft.pk).values_list("history_change_reason", flat=True)
    )
    assert "Nhập từ tệp Excel: ke-hoach.xlsx" in reasons

    # Out again: the same values, and a second import of that file changes nothing.
    again = _book(client.get(f"{url}template.xlsx"))
    rows = _rows(again)
    assert again.worksheets[0].cell(row=rows["CT02"], column=7).value == 58000
    assert client.post(url, {"file": _file(again)}).context["preview"].changed == 0


def _refused(client, url, upload, draft, status=400) -> str:
    before = _snapshot(draft)
    response = client.post(url, {"file": upload})
    assert response.status_code == status
    assert _snapshot(draft) == before
    assert "token" not in response.context or not response.context["token"]
    return response.content.decode()


def test_every_refusal_writes_nothing(login, draft, settings) -> None:
    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    template = content(client.get(f"{url}template.xlsx"))

    def edited(change) -> SimpleUploadedFile:
        book = _book(template)
        change(book.worksheets[0], _rows(book))
        return _file(book)

    def bad_header(sheet, rows):
        sheet.cell(row=_header_row(sheet), column=4).value = "Nội dung công việc"

    assert "Dòng tiêu đề không đúng mẫu" in _refused(client, url, edited(bad_header), draft)

    def unknown_code(sheet, rows):
        sheet.cell(row=rows["CT02"], column=1).value = "CT99"

    page = _refused(client, url, edited(unknown_code), draft)
    assert re.search(r"Dòng \d+, cột A \(Mã\): không có nội dung nào mang mã “CT99”", page)

    def text_in_number(sheet, rows):
        sheet.cell(row=rows["CT02"], column=7).value = "khoảng chín nghìn"

    page = _refused(client, url, edited(text_in_number), draft)
    assert f"Dòng {_rows(_book(template))['CT02']}, cột G (Giá trị chỉ tiêu)" in page

    def duplicate(sheet, rows):
        sheet.cell(row=rows["CT03"], column=1).value = "CT02"

    assert "trùng với dòng" in _refused(client, url, edited(duplicate), draft)

    def bad_choice(sheet, rows):
        sheet.cell(row=rows["CT02"], column=8).value = "Lên"

    assert "không phải một lựa chọn" in _refused(client, url, edited(bad_choice), draft)

    def unfilled_formula(sheet, rows):
        sheet.cell(row=rows["CT02"], column=7).value = "=F5*2"

    assert "công thức nhưng chưa có giá trị" in _refused(
        client, url, edited(unfilled_formula), draft
    )

    executable = SimpleUploadedFile("ke-hoach.xlsx", b"MZ\x90\x00" + b"\0" * 200)
    assert "không phải là một tệp Excel" in _refused(client, url, executable, draft)
    csv = SimpleUploadedFile("ke-hoach.csv", b"Ma,Loai\n")
    assert "Chỉ nhận tệp Excel .xlsx" in _refused(client, url, csv, draft)
    settings.IMPORT_MAX_BYTES = 1000
    assert "lớn hơn giới hạn" in _refused(
        client, url, SimpleUploadedFile("ke-hoach.xlsx", template), draft
    )
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    assert "Hãy chọn một tệp" in client.post(url, {}).content.decode()


def test_a_formula_is_read_as_the_value_excel_saved(login, draft) -> None:
    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    row = _rows(book)["CT02"]
    book.worksheets[0].cell(row=row, column=7).value = "=29000*2"
    raw = io.BytesIO()
    book.save(raw)
    # What Excel writes: the formula with the value it computed.
    patched = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(patched, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>29000*2</f><v></v>", b"<f>29000*2</f><v>58000</v>")
                data = data.replace(b"<f>29000*2</f><v />", b"<f>29000*2</f><v>58000</v>")
                assert b"<v>58000</v>" in data
            target.writestr(entry, data)
    preview = client.post(url, {"file": SimpleUploadedFile("ke-hoach.xlsx", patched.getvalue())})
    assert preview.status_code == 200
    (change,) = [c for c in preview.context["preview"].rows if c.code == "CT02"]
    assert change.changes[0][2] == "58.000"


def test_a_plan_saved_after_the_download_is_a_conflict(login, draft) -> None:
    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    book.worksheets[0].cell(row=_rows(book)["CT02"], column=7).value = 58000
    services.save_plan(
        draft,
        by=User.objects.get(username="myqui"),
        expected_version=draft.version,
        header={"title": "Đã sửa trên trang"},
        changes=[],
    )
    page = _refused(client, url, _file(book), draft, status=409)
    assert "đã được sửa sau khi tải mẫu" in page


def test_the_confirmation_checks_again(login, draft) -> None:
    """A plan saved between the preview and the confirmation is not overwritten."""
    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    book.worksheets[0].cell(row=_rows(book)["CT02"], column=7).value = 58000
    token = client.post(url, {"file": _file(book)}).context["token"]
    draft.refresh_from_db()
    services.save_plan(
        draft,
        by=User.objects.get(username="myqui"),
        expected_version=draft.version,
        header={"title": "Đã sửa trên trang"},
        changes=[],
    )
    before = _snapshot(draft)
    assert client.post(url, {"token": token, "confirm": "1"}).status_code == 409
    assert _snapshot(draft) == before
    assert client.post(url, {"token": token, "confirm": "1"}).status_code == 400  # gone


def test_another_plans_template_is_refused(login, draft, phu_dien_2022) -> None:
    client = login("vanphong")
    other = content(client.get(f"/plans/{phu_dien_2022.pk}/import/template.xlsx"))
    page = _refused(
        client,
        f"/plans/{draft.pk}/import/",
        SimpleUploadedFile("x.xlsx", other),
        draft,
    )
    assert "mẫu của kế hoạch khác" in page


@pytest.mark.parametrize(("username", "status"), [("phudien", 404), ("lanhdao", 403)])
def test_only_who_may_edit_the_plan_imports(login, draft, username, status) -> None:
    client = login(username)
    assert client.get(f"/plans/{draft.pk}/import/").status_code == status
    assert client.get(f"/plans/{draft.pk}/import/template.xlsx").status_code == status


def test_an_approved_plan_is_not_imported_into(login, my_qui_2023) -> None:
    client = login("myqui")
    page = client.get(f"/plans/{my_qui_2023.pk}/import/")
    assert page.status_code == 200 and "không thể nhập" in page.content.decode()
    template = content(client.get(f"/plans/{my_qui_2023.pk}/import/template.xlsx"))
    upload = SimpleUploadedFile("x.xlsx", template)
    assert client.post(f"/plans/{my_qui_2023.pk}/import/", {"file": upload}).status_code == 400


def test_a_report_comes_in_from_its_template_as_a_draft(login, my_qui_2023) -> None:
    from plans.models import Period

    client = login("myqui")
    reported = set(my_qui_2023.reports.values_list("period", flat=True))
    period = (
        Period.objects.filter(year=2023, kind="month").exclude(pk__in=reported).order_by("start")
    ).first()
    url = f"/plans/{my_qui_2023.pk}/reports/{period.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    sheet, rows = book.worksheets[0], _rows(book)
    sheet.cell(row=rows["CT02"], column=6).value = 812.5
    sheet.cell(row=rows["NV01"], column=7).value = "Đang thực hiện"
    results_row = max(rows.values()) + 1
    assert sheet.cell(row=results_row, column=2).value == "Kết quả đạt được"
    sheet.cell(row=results_row, column=3).value = "Gieo trồng đúng lịch."
    preview = client.post(url, {"file": _file(book, "bao-cao.xlsx")})
    assert preview.status_code == 200, preview.context.get("refusal")
    assert not ProgressReport.objects.filter(plan=my_qui_2023, period=period).exists()
    done = client.post(url, {"token": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302
    report = ProgressReport.objects.get(plan=my_qui_2023, period=period)
    assert report.status == "draft" and report.results == "Gieo trồng đúng lịch."
    assert report.target_results.get(item__code="CT02").value == Decimal("812.5")
    assert report.task_progress.get(item__code="NV01").state == "in_progress"
    # Out again: the values are in the template.
    again = _book(client.get(f"{url}template.xlsx"))
    assert again.worksheets[0].cell(row=_rows(again)["CT02"], column=6).value == 812.5


def test_a_report_refuses_text_in_a_value(login, my_qui_2023) -> None:
    from plans.models import Period

    client = login("myqui")
    period = Period.objects.filter(year=2023, kind="month").order_by("-start").first()
    url = f"/plans/{my_qui_2023.pk}/reports/{period.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    book.worksheets[0].cell(row=_rows(book)["CT02"], column=6).value = "tám trăm"
    before = ProgressReport.objects.filter(plan=my_qui_2023).count()
    response = client.post(url, {"file": _file(book)})
    assert response.status_code in (400, 409)
    assert ProgressReport.objects.filter(plan=my_qui_2023).count() == before


def _district_target_2023():
    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=2023, kind="party")
    return next(
        item
        for item in programme.items.filter(kind=ItemKind.TARGET)
        if item.derived_items.filter(plan__status="approved", plan__year=2023).count() >= 3
    )


def test_the_office_fills_one_target_for_many_communes_from_excel(login) -> None:
    from plans.models import Period, TargetResult

    item = _district_target_2023()
    april = Period.objects.get(kind="month", year=2023, index=4)
    client = login("vanphong")
    query = {"item": item.pk, "period": april.pk}
    entry = client.get("/plans/progress/entry/", query)
    assert b"/plans/progress/entry/import/?item=" in entry.content
    book = _book(client.get("/plans/progress/entry/import/template.xlsx", query))
    sheet = book.worksheets[0]
    first = _header_row(sheet) + 1
    codes = [sheet.cell(row=n, column=1).value for n in range(first, sheet.max_row + 1)]
    assert len(codes) == len(entry.context["rows"]) >= 3
    assert all(code and code.isdigit() for code in codes)  # official unit codes, not ids
    for n in range(first, sheet.max_row + 1):
        sheet.cell(row=n, column=7).value = 5
    preview = client.post("/plans/progress/entry/import/", query | {"file": _file(book)})
    assert preview.status_code == 200, preview.context.get("refusal")
    assert not TargetResult.objects.filter(report__period=april).exists()
    done = client.post("/plans/progress/entry/import/", query | {"token": preview.context["token"]})
    assert done.status_code == 302
    assert TargetResult.objects.filter(report__period=april, value=5).count() == len(codes)
    reasons = set(TargetResult.history.values_list("history_change_reason", flat=True))
    assert "Nhập từ tệp Excel: ke-hoach.xlsx" in reasons


def test_the_office_table_refuses_an_unknown_commune_and_writes_nothing(login) -> None:
    from plans.models import Period

    item = _district_target_2023()
    april = Period.objects.get(kind="month", year=2023, index=4)
    client = login("vanphong")
    query = {"item": item.pk, "period": april.pk}
    book = _book(client.get("/plans/progress/entry/import/template.xlsx", query))
    sheet = book.worksheets[0]
    first = _header_row(sheet) + 1
    sheet.cell(row=first, column=1).value = "99999"
    sheet.cell(row=first + 1, column=7).value = 5
    response = client.post("/plans/progress/entry/import/", query | {"file": _file(book)})
    assert response.status_code == 400
    assert "không có xã mã “99999”" in response.content.decode()
    assert not ProgressReport.objects.filter(period=april).exists()
    assert login("myqui").get("/plans/progress/entry/import/", query).status_code == 403


def test_files_nobody_confirmed_are_swept_after_a_day(login, draft, settings) -> None:
    import datetime
    import os

    from django.core.management import call_command

    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    book.worksheets[0].cell(row=_rows(book)["CT02"], column=7).value = 58000
    fresh = client.post(url, {"file": _file(book)}).context["token"]
    stale = client.post(url, {"file": _file(book)}).context["token"]
    waiting = settings.MEDIA_ROOT / "imports"
    old = (datetime.datetime.now() - datetime.timedelta(hours=30)).timestamp()
    os.utime(waiting / f"{stale}.xlsx", (old, old))
    call_command("sweep_imports")
    assert sorted(path.name for path in waiting.iterdir()) == [f"{fresh}.xlsx"]
    # the stale one's confirmation now says so, and writes nothing
    assert client.post(url, {"token": stale}).status_code == 400
    assert client.post(url, {"token": fresh}).status_code == 302


def test_a_full_disk_while_the_file_waits_is_a_clear_refusal(login, draft, settings) -> None:
    import errno
    from unittest import mock

    from django.core.files.storage import FileSystemStorage

    client = login("myqui")
    url = f"/plans/{draft.pk}/import/"
    book = _book(client.get(f"{url}template.xlsx"))
    book.worksheets[0].cell(row=_rows(book)["CT02"], column=7).value = 58000
    full = OSError(errno.ENOSPC, "No space left on device")
    before = _snapshot(draft)
    with mock.patch.object(FileSystemStorage, "_save", side_effect=full):
        response = client.post(url, {"file": _file(book)})
    assert response.status_code == 503
    assert "kho lưu tệp của máy chủ đã đầy" in response.content.decode()
    assert not response.context.get("token")
    assert _snapshot(draft) == before
    waiting = settings.MEDIA_ROOT / "imports"
    assert not waiting.exists() or not list(waiting.iterdir())
