"""`manage.py import_units`: the administrative unit tree from a CSV, by default the shipped
one in force since 1/7/2025; `--pre-2025` adds the tree before it and the successions."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from org.management.tables import import_file
from org.services import (
    SUCCESSION_COLUMNS,
    UNIT_COLUMNS,
    UNIT_OPTIONAL_COLUMNS,
    import_successions,
    import_units,
)

DATA = Path(settings.BASE_DIR) / "data" / "units"
SHIPPED = DATA / "units-2025-07-01.csv"
PRE_2025 = DATA / "units-pre-2025.csv"
SUCCESSIONS = DATA / "successions-2025-07-01.csv"
REFORM_DAY = datetime.date(2025, 7, 1)
# The source gives no founding dates: the pre-2025 units are taken as valid since 1/1/2004
# (the statistics office's code list of that year), until the reform.
PRE_2025_FROM = datetime.date(2004, 1, 1)
PRE_2025_TO = REFORM_DAY - datetime.timedelta(days=1)
REFORM_BASIS = (
    "Các nghị quyết của Quốc hội và Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính năm 2025"
)


class Command(BaseCommand):
    help = (
        "Nhập cây đơn vị hành chính (34 tỉnh, thành phố và 3 321 đơn vị cấp xã từ 1/7/2025) "
        "từ tệp CSV: code, kind, name, parent[, title]. --pre-2025: thêm 63 tỉnh, thành phố, "
        "các huyện và 10 035 xã trước 1/7/2025 cùng việc sắp xếp sang đơn vị mới. Chạy lại "
        "nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None, help="tệp CSV (UTF-8)")
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            default=None,
            help="ngày các đơn vị bắt đầu hiệu lực (YYYY-MM-DD), mặc định 2025-07-01",
        )
        parser.add_argument(
            "--valid-to",
            type=datetime.date.fromisoformat,
            default=None,
            help="ngày các đơn vị hết hiệu lực, cho một cây đã kết thúc",
        )
        parser.add_argument(
            "--pre-2025",
            action="store_true",
            help="nhập cây trước 1/7/2025 (tỉnh, huyện, xã) và việc sắp xếp sang cây mới",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pre_2025"]:
            self._pre_2025(options)
            return
        self._tree(
            options["file"] or SHIPPED,
            options["valid_from"] or REFORM_DAY,
            options["valid_to"],
        )

    def _tree(self, path: Path, valid_from: datetime.date, valid_to: datetime.date | None):
        result = import_file(
            self,
            path,
            UNIT_COLUMNS,
            lambda rows: import_units(rows, valid_from=valid_from, valid_to=valid_to),
            "Không nhập gì",
            optional=UNIT_OPTIONAL_COLUMNS,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )

    def _pre_2025(self, options: dict[str, Any]) -> None:
        # The successions name units of both trees: the current one first (unchanged if it
        # is there already).
        self._tree(SHIPPED, REFORM_DAY, None)
        self._tree(
            options["file"] or PRE_2025,
            options["valid_from"] or PRE_2025_FROM,
            options["valid_to"] or PRE_2025_TO,
        )
        result = import_file(
            self,
            SUCCESSIONS,
            SUCCESSION_COLUMNS,
            lambda rows: import_successions(
                rows, effective_on=REFORM_DAY, legal_basis=REFORM_BASIS
            ),
            "Không nhập việc sắp xếp nào",
        )
        self.stdout.write(
            self.style.SUCCESS(f"Sắp xếp đơn vị: {result.created} mới, {result.unchanged} đã có.")
        )
