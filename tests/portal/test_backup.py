"""Backup and restore: `manage.py backup` then `manage.py restore` into an empty database and
empty storages finds every row and every file; a damaged archive, a database that already
holds the portal and a restore that lost rows are refused in Vietnamese.

The round trip runs on whichever database the suite runs on: on SQLite it restores into a
new file, on PostgreSQL (pg_dump / pg_restore) into a database created for the test on the
same server. Files in an S3 store (moto on loopback) go through the storage API the same
way. pg_dump reads committed data only, so these tests commit (transaction=True).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from psycopg import sql

from org.models import Attachment, Role, User
from org.services import attach_file
from plans.models import CommunePlan
from tests.conftest import demo_plan
from tests.evidence_files import PDF, XLSX, upload
from tests.portal import test_s3_storage as s3

QUIET = io.StringIO
# The S3 API server on loopback and its bucket, as the S3 storage tests set them up.
s3_endpoint = s3.s3_endpoint
bucket = s3.bucket


def point_storages(settings, root: Path) -> dict[str, Path]:
    """The default and evidence storages keep their files under `root`, the evidence
    directory nested in the media one as in the default settings."""
    dirs = {"default": root / "media", "evidence": root / "media" / "evidence"}
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            alias: {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": path},
            }
            for alias, path in dirs.items()
        },
    }
    return dirs


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def rows_per_table() -> dict[str, int]:
    """Counted through the models, not through the backup module's own table listing."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _reconnect(name: str) -> None:
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()
    connection.settings_dict["NAME"] = name


@contextmanager
def database_named(name: str) -> Iterator[None]:
    """Django's connection opens database `name` (as DATABASE_URL would name it) in the block."""
    original = connection.settings_dict["NAME"]
    _reconnect(name)
    try:
        yield
    finally:
        _reconnect(original)


def _server() -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The name of an empty database beside the test database: a new SQLite file, or a
    PostgreSQL database created on the same server and dropped afterwards."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with _server() as server:
        server.execute(drop)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with _server() as server:
            server.execute(drop)


@pytest.fixture
def demo() -> None:
    """The demo, committed: an earlier test in a flushed database may have removed it."""
    if not User.objects.filter(username="myqui").exists():
        call_command("load_demo", stdout=QUIET())


def only_archive(folder: Path) -> Path:
    (archive,) = folder.iterdir()
    return archive


def rewritten(archive: Path, target: Path, **replace: bytes) -> Path:
    """A copy of `archive` with the named members' contents replaced."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source.getmembers():
            content = replace.get(member.name) or source.extractfile(member).read()
            member.size = len(content)
            copy.addfile(member, io.BytesIO(content))
    return target


# --- the round trip ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row_and_every_file(
    demo, settings, tmp_path: Path, empty_database: str
) -> None:
    source = point_storages(settings, tmp_path / "source")
    plan = demo_plan("Mỹ Quý", 2023)
    attachment = attach_file(
        plan, upload("ke-hoach-da-ky.pdf", PDF), by=User.objects.get(username="vanphong")
    )
    storages["evidence"].save("bao-cao/nested.png", ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(8)))
    storages["default"].save("imports/waiting.xlsx", ContentFile(XLSX))
    rows = rows_per_table()
    plan_rows = list(plan.items.order_by("pk").values_list("pk", "kind", "code", "text"))
    myqui = User.objects.filter(username="myqui").values("pk", "password", "email").get()
    files = {alias: files_under(path) for alias, path in source.items()}

    call_command("backup", output=tmp_path / "backups", stdout=QUIET())

    archive = only_archive(tmp_path / "backups")
    assert archive.name.startswith("portal-") and archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o777 == 0o600
    restored = point_storages(settings, tmp_path / "restored")
    with database_named(empty_database):
        call_command("restore", archive, stdout=QUIET())
        assert rows_per_table() == rows
        again = CommunePlan.objects.get(pk=plan.pk)
        assert list(again.items.order_by("pk").values_list("pk", "kind", "code", "text")) == (
            plan_rows
        )
        assert User.objects.filter(pk=myqui["pk"]).values("pk", "password", "email").get() == (
            myqui
        )
        assert Attachment.objects.get(pk=attachment.pk).sha256 == attachment.sha256
        # The sequences came back too: a new row takes an id after the restored ones.
        highest = User.objects.aggregate(highest=Max("pk"))["highest"]
        assert User.objects.create(username="sau-khoi-phuc", role=Role.ADMIN).pk > highest
    assert {alias: files_under(path) for alias, path in restored.items()} == files
    assert hashlib.sha256(files["evidence"][attachment.stored_name]).hexdigest() == (
        attachment.sha256
    )


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_finds_other_row_counts_than_the_manifest_fails_loudly(
    settings, tmp_path: Path, empty_database: str
) -> None:
    point_storages(settings, tmp_path / "source")
    call_command("backup", output=tmp_path / "backups", stdout=QUIET())
    archive = only_archive(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    manifest["tables"]["org_unit"] += 1
    doctored = rewritten(archive, tmp_path / "doctored.tar", **{"manifest.json": as_json(manifest)})
    point_storages(settings, tmp_path / "restored")

    with database_named(empty_database), pytest.raises(CommandError) as refused:
        call_command("restore", doctored, stdout=QUIET())

    assert "Số dòng sau khi khôi phục khác manifest" in str(refused.value)
    assert f"org_unit: manifest {manifest['tables']['org_unit']} dòng" in str(refused.value)


# --- refused before anything is written --------------------------------------------------


def as_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def sha256(content: bytes) -> dict[str, object]:
    return {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}


def hand_made(target: Path, members: dict[str, bytes], *, listed: dict[str, bytes], **manifest):
    """An archive holding `members`, its manifest listing `listed` (name → the content the
    manifest vouches for)."""
    text = as_json(
        {
            "format": 1,
            "created_at": "2026-12-04T07:00:00+07:00",
            "database": {"vendor": connection.vendor, "file": dump_name()},
            "migrations": {},
            "tables": {"org_unit": 1},
            "files": {name: sha256(content) for name, content in listed.items()},
        }
        | manifest
    )
    with tarfile.open(target, "w") as tar:
        for name, content in {**members, "manifest.json": text}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


def dump_name() -> str:
    return "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"


@pytest.mark.django_db
def test_an_archive_that_does_not_match_its_manifest_is_refused_and_nothing_is_written(
    settings, tmp_path: Path
) -> None:
    storage_dirs = point_storages(settings, tmp_path / "restored")
    members = {dump_name(): b"database", "files/evidence/a.pdf": PDF + b"changed"}
    listed = {
        dump_name(): b"database",
        "files/evidence/a.pdf": PDF,
        "files/evidence/missing.pdf": PDF,
    }
    archive = hand_made(
        tmp_path / "damaged.tar", {**members, "files/evidence/extra.pdf": PDF}, listed=listed
    )
    rows = rows_per_table()

    with pytest.raises(CommandError) as refused:
        call_command("restore", archive, stdout=QUIET())

    assert str(refused.value).splitlines() == [
        "Bản sao lưu không khớp manifest, không khôi phục:",
        "Tệp files/evidence/a.pdf bị hỏng hoặc bị sửa: mã sha256 không khớp với manifest.",
        "Thiếu tệp files/evidence/missing.pdf.",
        "Tệp files/evidence/extra.pdf không có trong manifest.",
    ]
    assert not any(path.exists() for path in storage_dirs.values())
    assert rows_per_table() == rows


@pytest.mark.django_db
def test_a_database_that_holds_the_portal_is_not_restored_over(settings, tmp_path: Path) -> None:
    storage_dirs = point_storages(settings, tmp_path / "restored")
    members = {dump_name(): b"database", "files/evidence/a.pdf": PDF}
    archive = hand_made(tmp_path / "good.tar", members, listed=members)

    with pytest.raises(CommandError) as refused:
        call_command("restore", archive, stdout=QUIET())

    assert "đã có 1 bảng của cổng (ví dụ org_unit)" in str(refused.value)
    assert "--force" in str(refused.value)
    assert not any(path.exists() for path in storage_dirs.values())


@pytest.mark.django_db
def test_an_archive_of_the_other_database_is_refused(settings, tmp_path: Path) -> None:
    point_storages(settings, tmp_path / "restored")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    members = {dump_name(): b"database"}
    archive = hand_made(
        tmp_path / "other.tar",
        members,
        listed=members,
        database={"vendor": other, "file": dump_name()},
    )

    with pytest.raises(CommandError, match=f"Bản sao lưu là của {other}"):
        call_command("restore", archive, stdout=QUIET())


@pytest.mark.django_db
def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.tar").write_text("không phải tệp tar")

    with pytest.raises(CommandError, match="Không đọc được"):
        call_command("restore", tmp_path / "notes.tar", stdout=QUIET())


@pytest.mark.django_db(transaction=True)
def test_files_in_an_s3_store_are_backed_up_and_restored_through_the_storage_api(
    bucket, tmp_path: Path, empty_database: str
) -> None:
    storages["evidence"].save("bien-ban.pdf", ContentFile(PDF))
    storages["default"].save("imports/waiting.xlsx", ContentFile(XLSX))

    call_command("backup", output=tmp_path / "backups", stdout=QUIET())

    archive = only_archive(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        assert tar.extractfile("files/evidence/bien-ban.pdf").read() == PDF
        assert tar.extractfile("files/default/imports/waiting.xlsx").read() == XLSX
    for key in s3._keys(bucket):
        bucket.delete_object(Bucket=s3.BUCKET, Key=key)
    with database_named(empty_database):
        call_command("restore", archive, stdout=QUIET())
    assert sorted(s3._keys(bucket)) == ["evidence/bien-ban.pdf", "uploads/imports/waiting.xlsx"]
    assert bucket.get_object(Bucket=s3.BUCKET, Key="evidence/bien-ban.pdf")["Body"].read() == PDF
