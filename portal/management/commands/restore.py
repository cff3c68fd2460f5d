"""`manage.py restore ARCHIVE [--force]`: restore a `manage.py backup` archive into the
configured database and storages, which should be empty (README: Backup and restore)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu và kho tệp đang cấu hình (phải trống), "
        "sau khi kiểm tra mã sha256 của từng tệp; so số dòng của từng bảng với manifest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="tệp portal-….tar do manage.py backup ghi")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cơ sở dữ liệu và các tệp đã có (xóa các bảng và tệp trùng tên trước)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = restore(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục {result.archive}: {result.tables} bảng, {result.rows} dòng khớp "
            f"manifest, {result.files} tệp ({time.monotonic() - started:.1f} s)."
        )
        executor = MigrationExecutor(connection)
        if plan := executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # An archive of an older version of the portal: its tables follow once migrated.
            self.stdout.write(f"Còn {len(plan)} migration chưa áp dụng: chạy manage.py migrate.")
