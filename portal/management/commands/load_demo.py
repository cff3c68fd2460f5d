"""`manage.py load_demo`: build the demo data set from `data/demo/` (idempotent)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ntm.services import load_shipped_sets
from plans.services import create_periods
from portal.demo.inspections import load_inspections
from portal.demo.ntm import load_ntm
from portal.demo.plans import load_plans, load_programmes, load_progress
from portal.demo.reference import DEMO_PASSWORD, load_reference

DEMO_DIR = Path(settings.BASE_DIR) / "data" / "demo"
CRITERIA_DIR = Path(settings.BASE_DIR) / "data" / "ntm"
DEMO_YEARS = (2022, 2023)


def read(name: str) -> dict[str, Any]:
    with (DEMO_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Tháp Mười, Cao Lãnh, Triệu Sơn, Thường Xuân) và tài khoản demo."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demo accounts share a published password: they must never exist in production.
            raise CommandError(
                "PORTAL_DEPLOYMENT=production: không nạp dữ liệu mẫu (tài khoản demo có mật "
                "khẩu công khai). Xem README, mục Production, để cài đặt không có dữ liệu mẫu."
            )
        users = load_reference(read("reference.toml"))
        for year in DEMO_YEARS:
            create_periods(year)
        load_programmes(read("programmes.toml")["programme"])
        for year in DEMO_YEARS:
            load_plans(read(f"plans_{year}.toml")["plan"])
        load_progress(read("progress.toml"))
        load_shipped_sets(CRITERIA_DIR)
        load_ntm(read("ntm.toml"))
        load_inspections(read("inspections.toml"))

        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu. Tài khoản demo:"))
        for user in users:
            unit = user.unit.full_name if user.unit else "—"
            self.stdout.write(f"  {user.username:<10} {user.get_role_display()} · {unit}")
        self.stdout.write(f"  Mật khẩu chung / password: {DEMO_PASSWORD}")
