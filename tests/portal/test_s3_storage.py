"""Uploaded files in an S3-compatible store (several app servers): an evidence file goes in,
comes out to who may see it and not to others, a refusal stores nothing, and an Excel import
waits there for its confirmation. Against a real S3 API server on loopback (moto)."""

from __future__ import annotations

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from org.models import Attachment
from plans.models import ItemKind, Period, ProgressReport
from tests.conftest import demo_plan
from tests.evidence_files import EXE, PDF, upload

pytestmark = pytest.mark.django_db
BUCKET = "portal-files"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint):
    """The settings `S3_BUCKET` gives, pointed at the loopback server, and its bucket."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "access_key": "portal",
        "secret_key": "portal-secret",
        "region_name": "us-east-1",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    backend = "storages.backends.s3.S3Storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": backend, "OPTIONS": options | {"location": "uploads"}},
        "evidence": {"BACKEND": backend, "OPTIONS": options | {"location": "evidence"}},
    }
    yield client
    for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.fixture
def report(login) -> ProgressReport:
    plan = demo_plan("Mỹ Quý", 2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    data = {"version": "0", "results": "Kết quả 6 tháng", "save": "1"}
    for item in plan.items.all():
        if item.kind == ItemKind.TARGET:
            data[f"value_{item.pk}"] = "12"
        elif item.kind in ("key_task", "breakthrough"):
            data[f"state_{item.pk}"] = "in_progress"
    assert login("myqui").post(f"/plans/{plan.pk}/reports/{half.pk}/", data).status_code == 302
    return ProgressReport.objects.get(plan=plan, period=half)


def test_an_evidence_file_lives_in_the_bucket_and_leaves_only_through_the_portal(
    login, bucket, report
) -> None:
    client = login("myqui")
    url = f"/attachments/report/{report.pk}/new/"
    assert client.post(url, {"file": upload("bien-ban.pdf", PDF)}).status_code == 302
    attachment = Attachment.objects.get()
    assert _keys(bucket) == [f"evidence/{attachment.stored_name}"]
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login("phudien").get(attachment.get_absolute_url()).status_code == 404
    # The bucket is private: no anonymous read.
    anonymous = boto3.client(
        "s3",
        endpoint_url=bucket.meta.endpoint_url,
        aws_access_key_id="someone",
        aws_secret_access_key="else",
        region_name="us-east-1",
    )
    acl = anonymous.get_object_acl(Bucket=BUCKET, Key=f"evidence/{attachment.stored_name}")
    assert all(
        grant["Grantee"].get("URI", "").endswith("AllUsers") is False for grant in acl["Grants"]
    )


def test_a_refused_file_stores_nothing_in_the_bucket(login, bucket, report) -> None:
    client = login("myqui")
    url = f"/attachments/report/{report.pk}/new/"
    assert client.post(url, {"file": upload("bien-ban.pdf", EXE)}).status_code == 400
    assert _keys(bucket) == [] and not Attachment.objects.exists()


def test_an_excel_import_waits_in_the_bucket_until_it_is_confirmed(login, bucket) -> None:
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.sheets import content

    plan = demo_plan("Mỹ Quý", 2023)
    reported = plan.reports.values_list("period", flat=True)
    period = (
        Period.objects.filter(year=2023, kind="month").exclude(pk__in=reported).order_by("start")
    ).first()
    client = login("myqui")
    url = f"/plans/{plan.pk}/reports/{period.pk}/import/"
    book = openpyxl.load_workbook(io.BytesIO(content(client.get(f"{url}template.xlsx"))))
    sheet = book.worksheets[0]
    first = int(sheet.freeze_panes[1:])
    row = next(n for n in range(first, sheet.max_row + 1) if sheet.cell(n, 1).value == "CT02")
    sheet.cell(row=row, column=6).value = 812
    buffer = io.BytesIO()
    book.save(buffer)
    preview = client.post(url, {"file": SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())})
    assert preview.status_code == 200
    [waiting] = _keys(bucket)
    assert waiting.startswith("uploads/imports/") and waiting.endswith(".xlsx")
    assert client.post(url, {"token": preview.context["token"]}).status_code == 302
    assert _keys(bucket) == []
    report = ProgressReport.objects.get(plan=plan, period=period)
    assert report.target_results.get(item__code="CT02").value == 812


def test_the_health_check_probes_the_bucket_and_leaves_nothing(client, bucket) -> None:
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["storage_default"]["status"] == checks["storage_evidence"]["status"] == "ok"
    assert _keys(bucket) == []


def test_the_health_check_fails_on_a_missing_bucket(client, bucket, settings) -> None:
    settings.STORAGES = {
        alias: {**config, "OPTIONS": {**config["OPTIONS"], "bucket_name": "no-such-bucket"}}
        if alias in {"default", "evidence"}
        else config
        for alias, config in settings.STORAGES.items()
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage_default", "storage_evidence"]
    assert "no-such-bucket" not in response.content.decode()
