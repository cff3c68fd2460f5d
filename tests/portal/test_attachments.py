"""Evidence files: who attaches and downloads them, what is refused (and then nothing is
stored), the list, the removal and its history, and the pinned query counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import Directive
from ntm.models import Assessment
from org.models import Attachment, Role, User
from plans.models import ItemKind, Period, Programme, ProgressReport
from tests.builders import make_unit, make_user
from tests.conftest import demo_plan
from tests.evidence_files import DOCX, EXE, PDF, XLSX, ooxml, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path: Path) -> Path:
    """Every file these tests store goes to a temporary directory."""
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def half_2023() -> Period:
    return Period.objects.get(kind="half", year=2023, index=1)


@pytest.fixture
def report(login) -> ProgressReport:
    """Mỹ Quý's half-year 2023 report, saved as a draft by its commune."""
    plan = demo_plan("Mỹ Quý", 2023)
    data = {"version": "0", "results": "Kết quả 6 tháng", "save": "1"}
    for item in plan.items.all():
        if item.kind == ItemKind.TARGET:
            data[f"value_{item.pk}"] = "12"
        elif item.kind in ("key_task", "breakthrough"):
            data[f"state_{item.pk}"] = "in_progress"
    response = login("myqui").post(f"/plans/{plan.pk}/reports/{half_2023().pk}/", data)
    assert response.status_code == 302
    return ProgressReport.objects.get(plan=plan, period=half_2023())


def upload_url(key: str, pk: int) -> str:
    return f"/attachments/{key}/{pk}/new/"


def progress_url(report: ProgressReport) -> str:
    return f"/plans/{report.plan_id}/progress/?period={report.period_id}"


def attach(client: Client, report: ProgressReport, name: str = "bien-ban.pdf", **data):
    return client.post(
        upload_url("report", report.pk), {"file": upload(name, PDF), **data}, follow=False
    )


# --- upload and download -----------------------------------------------------------------


def test_the_commune_attaches_a_file_to_its_report_and_downloads_it(
    login, report, evidence_root
) -> None:
    client = login("myqui")
    response = attach(client, report, "Biên bản họp.pdf", description="Biên bản")
    assert response.status_code == 302
    assert response["Location"] == progress_url(report)
    attachment = Attachment.objects.get()
    assert attachment.target == report
    assert attachment.name == "Biên bản họp.pdf"
    assert attachment.uploaded_by.username == "myqui"
    assert attachment.media_type == "application/pdf" and attachment.size == len(PDF)
    # stored under a random name, never the sender's
    [stored] = stored_files(evidence_root)
    assert stored.name == attachment.stored_name
    assert "Biên" not in stored.name and len(stored.stem) == 32
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"
        in (download["Content-Disposition"])
    )
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("username", ["vanphong", "lanhdao", "admin"])
def test_people_over_the_commune_download_its_file(login, report, username: str) -> None:
    attach(login("myqui"), report)
    attachment = Attachment.objects.get()
    assert login(username).get(attachment.get_absolute_url()).status_code == 200


def test_the_office_over_the_commune_attaches_too(login, report) -> None:
    assert attach(login("vanphong"), report).status_code == 302
    assert Attachment.objects.get().uploaded_by.username == "vanphong"


def test_another_commune_gets_404_and_nothing_changes(login, report, evidence_root) -> None:
    attach(login("myqui"), report)
    attachment = Attachment.objects.get()
    client = login("phudien")
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(upload_url("report", report.pk)).status_code == 404
    assert attach(client, report).status_code == 404
    assert client.get(f"/attachments/{attachment.pk}/remove/").status_code == 404
    assert client.post(f"/attachments/{attachment.pk}/remove/").status_code == 404
    attachment.refresh_from_db()
    assert attachment.removed_at is None
    assert Attachment.objects.count() == 1 and len(stored_files(evidence_root)) == 1
    assert attachment.history.count() == 1


def test_signed_out_users_are_sent_to_login(client, login, report) -> None:
    attach(login("myqui"), report)
    attachment = Attachment.objects.get()
    client.logout()
    for url in (
        attachment.get_absolute_url(),
        upload_url("report", report.pk),
        f"/attachments/{attachment.pk}/remove/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("username", ["lanhdao", "kiemtra"])
def test_readers_may_not_attach(login, report, username: str) -> None:
    client = login(username)
    assert client.get(upload_url("report", report.pk)).status_code == 403
    assert attach(client, report).status_code == 403
    assert not Attachment.objects.exists()


def test_an_unknown_kind_or_object_is_not_found(login, report) -> None:
    client = login("myqui")
    assert client.get(upload_url("nothing", report.pk)).status_code == 404
    assert client.get(upload_url("report", 10**9)).status_code == 404
    assert client.get("/attachments/999999999/").status_code == 404
    huge = "9" * 20  # past 2^63
    assert client.get(f"/attachments/{huge}/").status_code == 404
    assert client.get(upload_url("report", huge)).status_code == 404
    assert client.post(f"/attachments/{huge}/remove/").status_code == 404


def test_a_download_answers_only_safe_methods(login, report) -> None:
    client = login("myqui")
    attach(client, report)
    attachment = Attachment.objects.get()
    assert client.post(attachment.get_absolute_url()).status_code == 405
    assert client.put(upload_url("report", report.pk)).status_code == 405
    assert client.delete(f"/attachments/{attachment.pk}/remove/").status_code == 405
    assert client.head(attachment.get_absolute_url()).status_code == 200


def test_the_upload_needs_the_form_token(report) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="myqui"))
    assert attach(client, report).status_code == 403
    assert not Attachment.objects.exists()


def test_a_sent_report_takes_no_more_files(login, report) -> None:
    ProgressReport.objects.filter(pk=report.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    assert attach(login("myqui"), report).status_code == 403


def test_the_report_form_lists_the_files_and_the_upload_comes_back_to_it(login, report) -> None:
    client = login("myqui")
    form_url = f"/plans/{report.plan_id}/reports/{report.period_id}/"
    response = attach(client, report, "bang-ke.pdf", next=form_url)
    assert response.status_code == 302 and response["Location"] == form_url
    page = client.get(form_url).content.decode()
    assert "bang-ke.pdf" in page and "hãy lưu nháp báo cáo trước" in page


def test_the_upload_form_shows_the_limits_and_works_without_javascript(login, report) -> None:
    client = login("myqui")
    html = client.get(progress_url(report)).content.decode()
    assert "PDF, PNG, JPG, JPEG, DOCX, XLSX, PPTX, DOC, XLS · tối đa 10,0" in html
    assert '<label for="id_evidence_file">' in html and 'accept=".pdf,.png,' in html
    page = client.get(upload_url("report", report.pk))
    assert page.status_code == 200 and "tối đa 10,0" in page.content.decode()


def test_a_report_not_saved_yet_asks_to_be_saved_first(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    html = login("myqui").get(f"/plans/{plan.pk}/reports/{half_2023().pk}/").content.decode()
    assert "Lưu nháp báo cáo để đính kèm tài liệu minh chứng." in html
    assert "id_evidence_file" not in html


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_upload_never_sends_the_user_off_the_portal(login, report, elsewhere: str) -> None:
    response = attach(login("myqui"), report, next=elsewhere)
    assert response.status_code == 302 and response["Location"] == progress_url(report)


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", EXE, "Nội dung tệp không đúng là tệp PDF"),  # a renamed program
        ("chuong-trinh.exe", EXE, "Không nhận loại tệp này"),
        ("ghi-chu.txt", b"plain text", "Không nhận loại tệp này"),
        ("van-ban.docx", ooxml("docProps/core.xml"), "Nội dung tệp không đúng là tệp DOCX"),
        ("van-ban.docx", ooxml("word/document.xml", content_types=False), "DOCX"),
        ("bang-so-lieu.xlsx", DOCX, "Nội dung tệp không đúng là tệp XLSX"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    login, report, evidence_root, name: str, content: bytes, message: str
) -> None:
    response = login("myqui").post(
        upload_url("report", report.pk),
        {"file": upload(name, content), "description": "Biên bản kiểm tra"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Biên bản kiểm tra"' in page  # what was typed is kept
    assert not Attachment.objects.exists() and not Attachment.history.exists()
    assert stored_files(evidence_root) == []


def test_a_file_over_the_size_limit_is_refused(login, report, evidence_root, settings) -> None:
    settings.EVIDENCE_MAX_BYTES = len(XLSX) - 1
    response = login("myqui").post(
        upload_url("report", report.pk), {"file": upload("bang.xlsx", XLSX)}
    )
    assert response.status_code == 400
    assert "Tệp lớn hơn giới hạn" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(evidence_root) == []


def test_a_type_taken_out_of_the_settings_is_refused(login, report, settings) -> None:
    settings.EVIDENCE_TYPES = ["png", "jpg"]
    response = attach(login("myqui"), report)
    assert response.status_code == 400 and "PNG, JPG" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_senders_path_and_control_characters_are_not_kept(login, report) -> None:
    attach(login("myqui"), report, 'C:\\Tai lieu\\bao "cao"\n.pdf')
    attachment = Attachment.objects.get()
    assert attachment.name == 'bao "cao".pdf'
    disposition = login("myqui").get(attachment.get_absolute_url())["Content-Disposition"]
    assert "\n" not in disposition and "Tai lieu" not in disposition


# --- the list, per target row, removal and history --------------------------------------


def test_the_progress_page_lists_each_file_with_its_uploader_and_time(login, report) -> None:
    client = login("myqui")
    target = report.plan.items.filter(kind=ItemKind.TARGET).order_by("order").first()
    attach(client, report, "toan-bao-cao.pdf")
    attach(client, report, "chi-tieu.pdf", part=f"item:{target.pk}")
    page = client.get(progress_url(report))
    html = page.content.decode()
    whole, of_target = Attachment.objects.order_by("pk")
    assert of_target.part == f"item:{target.pk}"
    assert "toan-bao-cao.pdf" in html and "chi-tieu.pdf" in html
    when = timezone.localtime(whole.created_at).strftime("%H:%M %d/%m/%Y")
    assert f"{whole.uploaded_by} tải lên lúc {when}" in html
    assert page.context["evidence"].of_part(f"item:{target.pk}") == [of_target]
    assert page.context["evidence"].whole == [whole]
    assert 'enctype="multipart/form-data"' in html


def test_a_part_that_is_not_a_target_of_the_report_is_refused(login, report) -> None:
    response = attach(login("myqui"), report, part="item:999999")
    assert response.status_code == 400 and not Attachment.objects.exists()


def test_the_uploader_removes_a_file_after_confirming_and_history_keeps_both_steps(
    login, report, evidence_root
) -> None:
    client = login("myqui")
    attach(client, report)
    attachment = Attachment.objects.get()
    url = f"/attachments/{attachment.pk}/remove/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Xác nhận gỡ" in confirm.content.decode()
    attachment.refresh_from_db()
    assert attachment.removed_at is None  # the confirmation page changes nothing
    assert client.post(url).status_code == 302
    attachment.refresh_from_db()
    assert attachment.removed_by.username == "myqui" and attachment.removed_at is not None
    steps = list(attachment.history.order_by("history_date"))
    assert [s.history_type for s in steps] == ["+", "~"]
    assert [s.history_user.username for s in steps] == ["myqui", "myqui"]
    assert steps[1].removed_at is not None
    assert "bien-ban.pdf" not in client.get(progress_url(report)).content.decode()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert len(stored_files(evidence_root)) == 1  # the content stays for the record


def test_only_the_uploader_or_the_office_removes_a_file(login, report) -> None:
    attach(login("myqui"), report)
    attachment = Attachment.objects.get()
    url = f"/attachments/{attachment.pk}/remove/"
    colleague = make_user(report.plan.unit, role=Role.COMMUNE_STAFF)
    other = Client()
    other.force_login(colleague)
    assert other.get(url).status_code == 403
    assert other.post(url).status_code == 403
    assert login("vanphong").get(url).status_code == 200
    assert login("lanhdao").post(url).status_code == 403
    assert login("vanphong").post(url).status_code == 302


def test_a_file_of_a_sent_report_is_not_removed(login, report) -> None:
    attach(login("myqui"), report)
    attachment = Attachment.objects.get()
    ProgressReport.objects.filter(pk=report.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    assert login("myqui").post(f"/attachments/{attachment.pk}/remove/").status_code == 403
    attachment.refresh_from_db()
    assert attachment.removed_at is None


# --- directives ------------------------------------------------------------------------


def open_directive() -> Directive:
    return Directive.objects.filter(unit__code="30055", completed_on__isnull=True).first()


def test_the_commune_attaches_evidence_to_a_directive_it_answers(login, evidence_root) -> None:
    directive = open_directive()
    client = login("myqui")
    response = client.post(
        upload_url("directive", directive.pk), {"file": upload("ket-qua.docx", DOCX)}
    )
    assert response.status_code == 302 and response["Location"] == directive.get_absolute_url()
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "ket-qua.docx" in page and "tải lên lúc" in page
    attachment = Attachment.objects.get()
    assert login("vanphong").get(attachment.get_absolute_url()).status_code == 200
    assert login("phudien").get(attachment.get_absolute_url()).status_code == 404
    assert login("phudien").get(upload_url("directive", directive.pk)).status_code == 404


def test_a_closed_directive_takes_no_files(login) -> None:
    closed = Directive.objects.filter(unit__code="30055", completed_on__isnull=False).first()
    response = login("myqui").post(
        upload_url("directive", closed.pk), {"file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 403 and not Attachment.objects.exists()


# --- NTM assessments ----------------------------------------------------------------------


def my_qui_assessment() -> Assessment:
    return Assessment.objects.filter(unit__code="30055", year=2022).select_related("criteria_set")[
        0
    ]


def assessment_page(assessment: Assessment) -> str:
    return f"/ntm/units/{assessment.unit_id}/?year=2022&set={assessment.criteria_set.code}"


def test_the_commune_attaches_evidence_to_its_assessment(login, evidence_root) -> None:
    assessment = my_qui_assessment()
    client = login("myqui")
    response = client.post(
        upload_url("assessment", assessment.pk), {"file": upload("so-lieu.xlsx", XLSX)}
    )
    assert response.status_code == 302 and response["Location"] == assessment_page(assessment)
    page = client.get(assessment_page(assessment))
    assert page.context["evidence"].obj == assessment
    assert "so-lieu.xlsx" in page.content.decode()
    attachment = Attachment.objects.get()
    assert login("vanphong").get(attachment.get_absolute_url()).status_code == 200
    assert login("phudien").get(attachment.get_absolute_url()).status_code == 404
    assert login("phudien").get(upload_url("assessment", assessment.pk)).status_code == 404
    assert login("lanhdao").get(upload_url("assessment", assessment.pk)).status_code == 403


# --- plans and programmes: their signed scans --------------------------------------------


def district_programme() -> Programme:
    return Programme.objects.get(unit__code="872", year=2023, kind="party")


def test_the_office_attaches_the_signed_programme_and_communes_below_read_it(login) -> None:
    programme = district_programme()
    response = login("vanphong").post(
        upload_url("programme", programme.pk), {"file": upload("01-CTr-HU.pdf", PDF)}
    )
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    attachment = Attachment.objects.get()
    page = login("myqui").get(programme.get_absolute_url()).content.decode()
    assert "01-CTr-HU.pdf" in page and "Văn bản đã ký" in page
    assert login("myqui").get(attachment.get_absolute_url()).status_code == 200
    # a commune may read its district's programme but not attach to it
    assert login("myqui").get(upload_url("programme", programme.pk)).status_code == 403
    elsewhere = Client()
    elsewhere.force_login(make_user(make_unit(None)))
    assert elsewhere.get(attachment.get_absolute_url()).status_code == 404
    assert elsewhere.get(upload_url("programme", programme.pk)).status_code == 404


def test_the_commune_attaches_the_scan_of_its_signed_plan(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    response = login("myqui").post(
        upload_url("plan", plan.pk), {"file": upload("ke-hoach-da-ky.pdf", PDF)}
    )
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    attachment = Attachment.objects.get()
    assert "ke-hoach-da-ky.pdf" in login("vanphong").get(plan.get_absolute_url()).content.decode()
    assert login("phudien").get(attachment.get_absolute_url()).status_code == 404
    assert login("phudien").get(plan.get_absolute_url()).status_code == 404
    assert login("lanhdao").get(upload_url("plan", plan.pk)).status_code == 403


# --- query counts ---------------------------------------------------------------------------


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def settled_count(client: Client, url: str) -> int:
    """The page's queries once the session has taken in its choices (the year shown)."""
    client.get(url)
    return count(client, url)


def test_page_queries_stay_fixed_as_files_are_added(login, report) -> None:
    client = login("vanphong")
    directive = open_directive()
    assessment = my_qui_assessment()
    target = report.plan.items.filter(kind=ItemKind.TARGET).first()
    plan, programme = demo_plan("Mỹ Quý", 2023), district_programme()
    pages = [
        (progress_url(report), "report", report.pk, {"part": f"item:{target.pk}"}),
        (f"/plans/{report.plan_id}/reports/{report.period_id}/", "report", report.pk, {}),
        (plan.get_absolute_url(), "plan", plan.pk, {}),
        (programme.get_absolute_url(), "programme", programme.pk, {}),
        (directive.get_absolute_url(), "directive", directive.pk, {}),
        (assessment_page(assessment), "assessment", assessment.pk, {}),
    ]
    for url, key, pk, part in pages:
        before = settled_count(client, url)
        for n in range(4):
            data = {"file": upload(f"{n}.pdf", PDF), **(part if n % 2 else {})}
            assert client.post(upload_url(key, pk), data).status_code == 302
        assert settled_count(client, url) == before, url
    assert Attachment.objects.count() == 4 * len(pages)


def test_the_admin_reads_removed_files_but_changes_none(login, report) -> None:
    attach(login("myqui"), report, "da-go.pdf")
    attachment = Attachment.objects.get()
    login("myqui").post(f"/attachments/{attachment.pk}/remove/")
    admin = login("admin")
    listing = admin.get("/admin/org/attachment/")
    assert listing.status_code == 200 and "da-go.pdf" in listing.content.decode()
    assert admin.get("/admin/org/attachment/add/").status_code == 403
    assert admin.post(f"/admin/org/attachment/{attachment.pk}/delete/").status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_full_disk_is_a_clear_refusal_and_leaves_nothing(login, report, evidence_root) -> None:
    """The store fails mid-write (ENOSPC): the user is told, no row, no partial file."""
    import errno
    from unittest import mock

    from django.core.files.storage import FileSystemStorage

    def half_written(self, name, content):
        (evidence_root / name).parent.mkdir(parents=True, exist_ok=True)
        (evidence_root / name).write_bytes(PDF[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    with mock.patch.object(FileSystemStorage, "_save", half_written):
        response = attach(login("myqui"), report)
    assert response.status_code == 400
    assert "kho lưu tệp của máy chủ đã đầy" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Attachment.history.exists()
    assert stored_files(evidence_root) == []
