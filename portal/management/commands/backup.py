"""`manage.py backup [--output DIR]`: one archive of the database and the uploaded files,
for cron (README: Backup and restore)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (pg_dump hoặc bản sao SQLite) và các tệp đã tải lên vào một "
        "tệp .tar có manifest.json."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="thư mục ghi bản sao lưu (mặc định backups/ cạnh manage.py)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã sao lưu vào {result.archive}: {result.tables} bảng, {result.rows} dòng, "
            f"{result.files} tệp, {result.size / 1e6:.1f} MB ({time.monotonic() - started:.1f} s)."
        )
