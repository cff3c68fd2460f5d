"""`manage.py import_units`: the administrative unit tree from a CSV, by default the shipped one."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from org.management.tables import import_file
from org.services import UNIT_COLUMNS, import_units

SHIPPED = Path(settings.BASE_DIR) / "data" / "units" / "units-2025-07-01.csv"
REFORM_DAY = datetime.date(2025, 7, 1)


class Command(BaseCommand):
    help = (
        "Nhập cây đơn vị hành chính (34 tỉnh, thành phố và 3 321 đơn vị cấp xã từ 1/7/2025) "
        "từ tệp CSV: code, kind, name, parent. Chạy lại nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=SHIPPED, help="tệp CSV (UTF-8)")
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            default=REFORM_DAY,
            help="ngày các đơn vị bắt đầu hiệu lực (YYYY-MM-DD), mặc định 2025-07-01",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = import_file(
            self,
            options["file"],
            UNIT_COLUMNS,
            lambda rows: import_units(rows, valid_from=options["valid_from"]),
            "Không nhập gì",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )
