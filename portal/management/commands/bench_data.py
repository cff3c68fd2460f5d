"""Write the benchmark's national-scale data set (PostgreSQL, an empty portal database)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from org.models import Unit
from portal.bench import Sizes, generate


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu thử tải quy mô toàn quốc (PostgreSQL, cơ sở dữ liệu trống)."

    def add_arguments(self, parser) -> None:
        defaults = Sizes()
        parser.add_argument("--provinces", type=int, default=defaults.provinces)
        parser.add_argument("--communes", type=int, default=defaults.communes)
        parser.add_argument("--targets", type=int, default=defaults.targets)
        parser.add_argument("--months", type=int, default=defaults.months)
        parser.add_argument("--year", type=int, default=defaults.year)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Bộ dữ liệu thử tải chỉ ghi vào PostgreSQL (đặt DATABASE_URL).")
        if Unit.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có đơn vị: hãy dùng một cơ sở dữ liệu trống dành riêng cho "
                "thử tải (make bench tự tạo portal_bench)."
            )
        if not 1 <= options["provinces"] <= options["communes"]:
            raise CommandError("Cần ít nhất một tỉnh và mỗi tỉnh ít nhất một xã.")
        if not 1 <= options["months"] <= 12:
            raise CommandError("Số tháng báo cáo từ 1 đến 12.")
        sizes = Sizes(
            provinces=options["provinces"],
            communes=options["communes"],
            targets=options["targets"],
            months=options["months"],
            year=options["year"],
        )
        started = time.monotonic()
        counts = generate(sizes, seed=options["seed"], log=self.stdout.write)
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:<32} {n:>10}")
        self.stdout.write(f"generate_seconds {time.monotonic() - started:.1f}")
