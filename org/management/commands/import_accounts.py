"""`manage.py import_accounts FILE`: office, leader, inspector and commune accounts from a CSV."""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from org.management.tables import import_file
from org.services import ACCOUNT_COLUMNS, import_accounts


class Command(BaseCommand):
    help = (
        "Tạo tài khoản hàng loạt từ tệp CSV: username, last_name, first_name, email, role, "
        "unit (mã đơn vị), job_title. Mỗi tài khoản có một mật khẩu ngẫu nhiên, in ra một lần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp CSV (UTF-8)")
        parser.add_argument(
            "--passwords-out",
            type=Path,
            help="ghi tên đăng nhập và mật khẩu vào tệp này (chỉ chủ sở hữu đọc được) "
            "thay vì in ra màn hình",
        )
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            help="mã đơn vị hiểu theo đơn vị hiệu lực ngày này (YYYY-MM-DD), mặc định hôm nay",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        out: Path | None = options["passwords_out"]
        if out is not None and out.exists():
            raise CommandError(f"Tệp {out} đã có; chọn tên khác để không ghi đè mật khẩu cũ.")
        on = options["on"] or timezone.localdate()
        result = import_file(
            self,
            path,
            ACCOUNT_COLUMNS,
            lambda rows: import_accounts(rows, on=on),
            "Không tạo tài khoản nào",
        )

        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(["username", "password", "role", "unit"])
        for user, password in result.accounts:
            writer.writerow(
                [user.username, password, user.role, user.unit.code if user.unit else ""]
            )
        if out is None:
            self.stdout.write(table.getvalue(), ending="")
        else:
            # Created readable by its owner only: it holds passwords.
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(table.getvalue())
        self.stderr.write(
            self.style.SUCCESS(f"Đã tạo {len(result.accounts)} tài khoản.")
            + (f" Mật khẩu ở {out}." if out else "")
        )
