"""`manage.py sweep_imports [--hours N]`: delete the Excel files left waiting for an import's
confirmation (a closed tab, an expired session), for cron beside run_reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from org.xlsx_import import sweep


class Command(BaseCommand):
    help = "Xóa các tệp Excel đã tải lên để nhập nhưng không được xác nhận hay hủy."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--hours", type=int, default=24, help="chỉ xóa tệp chờ lâu hơn số giờ này (24)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gone = sweep(datetime.timedelta(hours=options["hours"]))
        self.stdout.write(f"Đã xóa {gone} tệp chờ nhập.")
