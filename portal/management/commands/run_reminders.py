"""`manage.py run_reminders [--today YYYY-MM-DD]`: one đôn đốc pass, for cron or a timer."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.reminders import run_pass


def day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ngày không hợp lệ: {value} (cần YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Nhắc việc và đôn đốc: gửi lời nhắc theo lịch của từng đơn vị cấp trên, thư tổng hợp "
        "trong ngày và các thư còn chờ gửi. Chạy lại trong ngày không gửi trùng."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", type=day, help="Chạy như vào ngày này (YYYY-MM-DD); mặc định hôm nay."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        result = run_pass(today)
        self.stdout.write(
            f"{today:%d/%m/%Y}: {result.reminders.deadlines} hạn đang theo dõi, "
            f"{result.reminders.reminders} lời nhắc, {result.reminders.escalations} báo lãnh đạo, "
            f"{result.digests} thư tổng hợp, {result.requeued} thư đưa lại hàng đợi "
            f"({result.seconds:.1f} s)."
        )
