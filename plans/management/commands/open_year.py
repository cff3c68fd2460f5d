"""`manage.py open_year YEAR [--unit CODE]`: a year's reporting periods and deadlines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from org.models import FIRST_YEAR, LAST_YEAR, Unit
from plans.services import open_year


class Command(BaseCommand):
    help = (
        "Mở năm báo cáo: tạo 19 kỳ báo cáo (12 tháng, 4 quý, 2 kỳ 6 tháng, năm) với thời gian "
        "chốt số liệu theo Nghị định 09/2019/NĐ-CP; với --unit, đặt hạn báo cáo của đơn vị đó "
        "N ngày làm việc sau ngày chốt số liệu (mặc định 2). Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--unit", help="mã đơn vị cấp trên (tỉnh, thành phố) đang hiệu lực")
        parser.add_argument(
            "--working-days", type=int, default=None, help="số ngày làm việc sau ngày chốt (1–30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"Năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.")
        unit = None
        if options["unit"]:
            unit = (
                Unit.objects.valid_on(timezone.localdate())
                .filter(code=options["unit"])
                .supervising()
                .first()
            )
            if unit is None:
                raise CommandError(f"Không có đơn vị cấp trên đang hiệu lực mã {options['unit']}.")
        try:
            opening = open_year(year, by=None, unit=unit, working_days=options["working_days"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Năm {year}: {opening.created} kỳ mới ({len(opening.periods)} kỳ), "
                f"{opening.holidays} ngày nghỉ được thêm"
                + (f", {opening.deadlines_set} hạn báo cáo của {unit.full_name}." if unit else ".")
            )
        )
