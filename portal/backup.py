"""Backup and restore of the whole portal: the database and the uploaded files, one archive.

An archive is a plain `.tar` named by its date and time (`portal-20261204-1930.tar`):

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a
  copy made through SQLite's online backup API, consistent while the portal writes);
- `files/<storage>/<name>`: every file of every uploaded-files storage of `STORAGES` (the
  evidence files and the Excel files awaiting an import), read through Django's storage
  API, so a directory and an S3 bucket are backed up alike;
- `manifest.json`: when, the database vendor and versions, the applied migrations, the rows
  of every table, and the size and sha256 of every other member.

The archive is written under a temporary name and renamed when complete. Restoring checks
every member against the manifest before it writes anything, refuses a database that
already holds the portal's tables (unless forced), and compares the restored row counts
with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# collectstatic rebuilds the static files from the repository; every other storage holds
# what users uploaded.
NOT_BACKED_UP = {"staticfiles"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Result:
    archive: Path
    tables: int
    rows: int
    files: int
    size: int


# --- what is backed up -------------------------------------------------------------------


def backed_up_storages() -> dict[str, Storage]:
    return {alias: storages[alias] for alias in settings.STORAGES if alias not in NOT_BACKED_UP}


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, names = storage.listdir(folder)
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def stored_files(alias: str, all_storages: dict[str, Storage]) -> Iterator[str]:
    """The names of the files in one storage, leaving out those that live in the directory
    of another storage nested inside it (EVIDENCE_ROOT defaults to MEDIA_ROOT/evidence)."""
    storage = all_storages[alias]
    if isinstance(storage, FileSystemStorage) and not Path(storage.location).exists():
        return
    nested = [
        Path(other.location).resolve()
        for name, other in all_storages.items()
        if name != alias
        and isinstance(storage, FileSystemStorage)
        and isinstance(other, FileSystemStorage)
        and Path(other.location).resolve().is_relative_to(Path(storage.location).resolve())
        and Path(other.location).resolve() != Path(storage.location).resolve()
    ]
    for name in _walk(storage):
        if nested and any(Path(storage.path(name)).resolve().is_relative_to(n) for n in nested):
            continue
        yield name


def table_rows(cursor: Any) -> dict[str, int]:
    quote = connection.ops.quote_name
    rows = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a table name
        rows[table] = cursor.fetchone()[0]
    return rows


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- the database ------------------------------------------------------------------------


def _pg_command(program: str, options: list[str]) -> tuple[list[str], dict[str, str]]:
    """`pg_dump` / `pg_restore` with the connection's host, port, user and database (and its
    password, service and SSL settings in the environment), as Django's `dbshell` does."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    # psql's arguments end with the database name; pg_restore takes it as --dbname.
    *connect, dbname = args[1:]
    return [program, *options, *connect, f"--dbname={dbname}"], {**os.environ, **(env or {})}


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"Không tìm thấy {args[0]}: cài gói postgresql-client của Debian "
            "(cùng phiên bản chính với máy chủ PostgreSQL)."
        )
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{args[0]} thất bại (mã {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _client_major(program: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", _run([program, "--version"]))
    return int(found.group(1)) if found else 0


def _check_client_version(program: str) -> str:
    """pg_dump refuses a newer server, and pg_restore cannot read a newer pg_dump's file:
    one of the same major version as the server is the safe choice."""
    client = _client_major(program)
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(
            f"{program} {client} cũ hơn máy chủ PostgreSQL {server}: "
            f"cài postgresql-client-{server}."
        )
    return f"{client}"


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    """pg_dump in the snapshot the row counts are read in, so both describe one moment."""
    version = _check_client_version("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        args, env = _pg_command(
            "pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
        )
        _run(args, env)
        rows = table_rows(cursor)
    return rows, {"server_version": connection.pg_version, "pg_dump": version}


def _sqlite_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not name:
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return name


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    """A copy through the online backup API: consistent even while the portal writes (a file
    copy of a live database in WAL mode can miss the pages still in the -wal file)."""
    source = sqlite3.connect(_sqlite_path(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        rows = {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for (table,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        }
    finally:
        copy.close()
        source.close()
    return rows, {"sqlite_version": sqlite3.sqlite_version}


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    return connection.vendor


# --- backup ------------------------------------------------------------------------------


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.datetime.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, stream)


def backup(output: Path, *, now: datetime.datetime | None = None) -> Result:
    """Write one archive of the database and the uploaded files into `output`."""
    if connection.in_atomic_block:
        raise BackupError("Không sao lưu được giữa một giao dịch đang mở.")
    vendor = _vendor()
    now = now or datetime.datetime.now(datetime.UTC)
    output.mkdir(parents=True, exist_ok=True)
    archive = output / f"portal-{now:%Y%m%d-%H%M%S}.tar"
    partial = output / f".{archive.name}.part"
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": now.isoformat()}
    members: dict[str, dict[str, Any]] = {}
    try:
        with (
            tempfile.TemporaryDirectory(dir=output, prefix=".portal-") as work,
            tarfile.open(partial, "w") as tar,
        ):
            dump = Path(work) / DUMPS[vendor]
            if vendor == "postgresql":
                rows, versions = _dump_postgresql(dump)
            else:
                rows, versions = _dump_sqlite(dump)
            with dump.open("rb") as stream:
                sha, size = _sha256(stream)
                stream.seek(0)
                _add(tar, dump.name, stream, size)
            members[dump.name] = {"sha256": sha, "size": size}
            all_storages = backed_up_storages()
            for alias, storage in all_storages.items():
                for name in stored_files(alias, all_storages):
                    with storage.open(name, "rb") as stream:
                        sha, size = _sha256(stream)
                        stream.seek(0)
                        member = f"files/{alias}/{name}"
                        _add(tar, member, stream, size)
                    members[member] = {"sha256": sha, "size": size}
            manifest |= {
                "database": {"vendor": vendor, "file": dump.name, **versions},
                "migrations": applied_migrations(),
                "tables": rows,
                "files": members,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(tar, MANIFEST, io.BytesIO(text), len(text))
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        # Password hashes and every commune's data: readable by the portal's account only.
        partial.chmod(0o600)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    return Result(
        archive=archive,
        tables=len(rows),
        rows=sum(rows.values()),
        files=len(members) - 1,
        size=archive.stat().st_size,
    )


# --- restore -----------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        stream = tar.extractfile(MANIFEST)
        manifest = json.load(stream) if stream else None
    except (KeyError, ValueError) as error:
        raise BackupError("Tệp không phải bản sao lưu của cổng: thiếu manifest.json.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json không đúng định dạng bản sao lưu của cổng.")
    return manifest


def verify(tar: tarfile.TarFile, manifest: dict[str, Any]) -> list[str]:
    """What is wrong with the archive's members against its manifest, in Vietnamese."""
    problems = []
    present = {member.name: member for member in tar.getmembers() if member.isfile()}
    for name, expected in manifest["files"].items():
        member = present.get(name)
        if member is None:
            problems.append(f"Thiếu tệp {name}.")
            continue
        stream = tar.extractfile(member)
        sha, size = _sha256(stream) if stream else ("", 0)
        if size != expected["size"] or sha != expected["sha256"]:
            problems.append(f"Tệp {name} bị hỏng hoặc bị sửa: mã sha256 không khớp với manifest.")
    for name in sorted(set(present) - set(manifest["files"]) - {MANIFEST}):
        problems.append(f"Tệp {name} không có trong manifest.")
    return problems


def _check_storages(manifest: dict[str, Any]) -> None:
    known = backed_up_storages()
    for member in manifest["files"]:
        if member.startswith("files/"):
            alias = member.split("/", 2)[1]
            if alias not in known:
                raise BackupError(f"Bản sao lưu có tệp của kho “{alias}” mà STORAGES không có.")
            name = member.split("/", 2)[2]
            if name.startswith("/") or ".." in name.split("/"):
                raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {member}.")


def _existing_tables(manifest: dict[str, Any]) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(set(connection.introspection.table_names(cursor)) & set(manifest["tables"]))


def _restore_postgresql(dump: Path, *, force: bool) -> None:
    _check_client_version("pg_restore")
    options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    if force:
        options += ["--clean", "--if-exists"]
    args, env = _pg_command("pg_restore", options)
    connection.close()
    _run([*args, str(dump)], env)


def _restore_sqlite(dump: Path) -> None:
    target_path = _sqlite_path()
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


@contextmanager
def _open(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không đọc được {archive}: {error}") from error
    with tar:
        yield tar


def restore(archive: Path, *, force: bool = False) -> Result:
    """Restore an archive into the configured database and storages, after checking it."""
    vendor = _vendor()
    with _open(archive) as tar:
        manifest = read_manifest(tar)
        if problems := verify(tar, manifest):
            raise BackupError(
                "Bản sao lưu không khớp manifest, không khôi phục:\n" + "\n".join(problems)
            )
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"Bản sao lưu là của {manifest['database']['vendor']}, cơ sở dữ liệu đang cấu hình "
                f"là {vendor}: chỉ khôi phục được vào cùng loại."
            )
        _check_storages(manifest)
        if not force and (existing := _existing_tables(manifest)):
            raise BackupError(
                f"Cơ sở dữ liệu {connection.settings_dict['NAME']} đã có {len(existing)} bảng của "
                "cổng (ví dụ " + ", ".join(existing[:3]) + "): chỉ khôi phục vào cơ sở dữ liệu "
                "trống, hoặc thêm --force để ghi đè."
            )
        files = _clashing_files(manifest, force=force)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / manifest["database"]["file"]
            with dump.open("wb") as out:
                shutil.copyfileobj(tar.extractfile(manifest["database"]["file"]), out, CHUNK)
            if vendor == "postgresql":
                _restore_postgresql(dump, force=force)
            else:
                _restore_sqlite(dump)
        for member in files:
            _restore_file(tar, member)
    with connection.cursor() as cursor:
        rows = table_rows(cursor)
    if differences := _row_differences(manifest["tables"], rows):
        raise BackupError("Số dòng sau khi khôi phục khác manifest:\n" + "\n".join(differences))
    return Result(
        archive=archive,
        tables=len(rows),
        rows=sum(rows.values()),
        files=len(files),
        size=archive.stat().st_size,
    )


def _clashing_files(manifest: dict[str, Any], *, force: bool) -> list[str]:
    """The archive's files, after refusing (or, forced, deleting) those already stored."""
    files = [member for member in manifest["files"] if member.startswith("files/")]
    clashes = []
    for member in files:
        _files, alias, name = member.split("/", 2)
        if storages[alias].exists(name):
            clashes.append(member)
    if clashes and not force:
        raise BackupError(
            f"Kho tệp đã có {len(clashes)} tệp trùng tên với bản sao lưu (ví dụ {clashes[0]}): "
            "khôi phục vào kho trống, hoặc thêm --force để ghi đè."
        )
    for member in clashes:
        _files, alias, name = member.split("/", 2)
        storages[alias].delete(name)
    return files


def _restore_file(tar: tarfile.TarFile, member: str) -> None:
    _files, alias, name = member.split("/", 2)
    stream = tar.extractfile(member)
    saved = storages[alias].save(name, File(stream, name=name))
    if saved != name:
        raise BackupError(f"Tệp {name} được lưu thành {saved}: kho tệp đổi tên nó.")


def _row_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{table}: manifest {count} dòng, cơ sở dữ liệu {found.get(table, 'không có bảng')}"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
