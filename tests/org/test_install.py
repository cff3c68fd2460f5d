"""Installing without the demo: the first administrator, the unit tree, accounts in bulk."""

from __future__ import annotations

import datetime
import os
import stat

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from org.models import Role, Unit, UnitKind, User
from org.services import (
    ACCOUNT_COLUMNS,
    UNIT_COLUMNS,
    ImportRefused,
    import_accounts,
    import_units,
    read_csv_text,
)

pytestmark = pytest.mark.django_db
REFORM = datetime.date(2025, 7, 1)
TODAY = datetime.date(2026, 3, 1)


def units(text: str) -> list:
    return read_csv_text("code,kind,name,parent\n" + text, UNIT_COLUMNS)


def accounts(text: str) -> list:
    return read_csv_text(",".join(ACCOUNT_COLUMNS) + "\n" + text, ACCOUNT_COLUMNS)


def test_the_shipped_tree_has_34_provinces_and_3321_communes() -> None:
    call_command("import_units")
    current = Unit.objects.filter(valid_from=REFORM)
    assert current.filter(parent__isnull=True).count() == 34
    assert current.planning().count() == 3321
    assert current.filter(kind=UnitKind.CITY).count() == 6
    my_qui = current.get(code="30055")
    assert my_qui.parent.code == "82"
    assert my_qui.other_names == "Mỹ Quý"  # the demo's spelling survives the import
    assert current.get(code="01").full_name == "Thành phố Hà Nội"


def test_importing_the_tree_twice_changes_nothing(capsys) -> None:
    call_command("import_units")
    before = list(Unit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id"))
    capsys.readouterr()
    call_command("import_units")
    assert "0 mới, 0 cập nhật, 3355 không đổi" in capsys.readouterr().out
    assert list(Unit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id")) == (
        before
    )


def test_a_renamed_unit_is_updated_not_duplicated() -> None:
    import_units(units("99,province,Thử,\n99001,commune,Một,99\n"), valid_from=REFORM)
    result = import_units(units("99,province,Thử,\n99001,commune,Một Hai,99\n"), valid_from=REFORM)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Unit.objects.get(code="99001", valid_from=REFORM).name == "Một Hai"


def test_a_bad_row_imports_nothing_and_names_every_bad_line() -> None:
    count = Unit.objects.count()
    table = units(
        "98,province,Tỉnh Thử,\n"
        "98001,commune,Tốt,98\n"
        "9800,commune,Mã ngắn,98\n"
        "98003,village,Sai cấp,98\n"
        "98004,commune,Không có tỉnh,77\n"
        "98001,ward,Lặp mã,98\n"
        "98006,commune,,98\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_units(table, valid_from=REFORM)
    assert [line for line, _reason in refused.value.errors] == [4, 5, 6, 7, 8]
    reasons = dict(refused.value.errors)
    assert "5 chữ số" in reasons[4]
    assert "village" in reasons[5]
    assert "77" in reasons[6]
    assert "lặp lại" in reasons[7]
    assert Unit.objects.count() == count


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(ImportRefused) as refused:
        read_csv_text("ma,ten\n01,Hà Nội\n", UNIT_COLUMNS)
    assert "code" in refused.value.errors[0][1]


def test_the_command_reports_refused_rows_and_fails(tmp_path, capsys) -> None:
    path = tmp_path / "units.csv"
    path.write_text("code,kind,name,parent\n1,province,Sai,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_units", "--file", str(path))
    assert "dòng 2" in capsys.readouterr().err


def test_the_pre_2025_tree_and_its_successions_are_imported_on_request(capsys) -> None:
    """63 provinces, 696 districts and 10 035 communes until 30/6/2025, and where each went."""
    from org.models import UnitSuccession

    call_command("import_units", "--pre-2025")  # the current tree too, then the old one
    old = Unit.objects.valid_on(datetime.date(2025, 6, 30))
    assert old.filter(parent__isnull=True).count() == 63
    assert old.filter(kind=UnitKind.DISTRICT).count() == 696
    assert old.planning().exclude(code="15739").count() == 10035  # but the demo's Xuân Thịnh
    assert not old.filter(valid_to__isnull=True).exists()  # all ended with the reform
    tháp_mười = old.get(code="872")
    assert tháp_mười.full_name == "Huyện Tháp Mười" and tháp_mười.parent.code == "87"
    assert old.filter(parent=tháp_mười).count() == 13
    assert old.get(code="001").full_name == "Quận Ba Đình"  # its own level's name
    mỹ_quý = old.get(code="30055")
    (succession,) = mỹ_quý.successions.all()
    assert succession.successor == Unit.objects.get(code="30055", valid_from=REFORM)
    assert succession.effective_on == REFORM and not succession.partial
    assert old.get(code="87").successions.get().successor.code == "82"  # Đồng Tháp 87 → 82
    assert UnitSuccession.objects.filter(partial=True).exists()  # communes split between two
    capsys.readouterr()
    call_command("import_units", "--pre-2025")  # again: nothing new
    out = capsys.readouterr().out
    assert "0 mới, 0 cập nhật, 10794 không đổi" in out and "Sắp xếp đơn vị: 0 mới" in out


def test_a_three_level_tree_checks_each_level_s_parent() -> None:
    before = datetime.date(2004, 1, 1)
    table = read_csv_text(
        "code,kind,name,parent,title\n"
        "97,province,Thử,,\n"
        "970,district,Quận Một,97,Quận\n"
        "97001,ward,Một,970,\n"
        "971,district,Sai,97001,\n"
        "97002,commune,Không huyện,999,\n",
        UNIT_COLUMNS,
        ("title",),
    )
    with pytest.raises(ImportRefused) as refused:
        import_units(table, valid_from=before, valid_to=datetime.date(2025, 6, 30))
    assert [line for line, _reason in refused.value.errors] == [5, 6]
    import_units(table[:3], valid_from=before, valid_to=datetime.date(2025, 6, 30))
    assert Unit.objects.get(code="970").full_name == "Quận Quận Một"
    assert Unit.objects.get(code="97001").parent.code == "970"


def test_successions_name_units_of_both_trees() -> None:
    from org.services import SUCCESSION_COLUMNS, import_successions

    call_command("import_units")
    rows = read_csv_text(
        "predecessor,successor,partial\n30055,30055,0\n99999,30055,0\n", SUCCESSION_COLUMNS
    )
    with pytest.raises(ImportRefused) as refused:
        import_successions(rows, effective_on=REFORM)
    # 30055 before the reform is the demo's Mỹ Quý; 99999 is nobody
    assert [line for line, _reason in refused.value.errors] == [3]


def test_accounts_are_created_in_bulk_with_their_own_passwords(tmp_path) -> None:
    call_command("import_units")
    out = tmp_path / "passwords.csv"
    source = tmp_path / "accounts.csv"
    source.write_text(
        ",".join(ACCOUNT_COLUMNS)
        + "\nvp.dongthap,Nguyễn,Văn A,a@example.vn,district_staff,82,Chuyên viên\n"
        "xa.myqui,Trần,Thị B,,commune_staff,30055,\n"
        "ld.dongthap,Lê,C,,leader,82,Phó Chủ tịch\n",
        encoding="utf-8",
    )
    call_command("import_accounts", str(source), "--passwords-out", str(out), "--on", "2026-03-01")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "username,password,role,unit"
    passwords = {line.split(",")[0]: line.split(",")[1] for line in lines[1:]}
    assert set(passwords) == {"vp.dongthap", "xa.myqui", "ld.dongthap"}
    assert len(set(passwords.values())) == 3
    request = RequestFactory().post("/login/")
    staff = authenticate(request, username="xa.myqui", password=passwords["xa.myqui"])
    assert staff is not None and staff.role == Role.COMMUNE_STAFF
    assert staff.unit.code == "30055" and staff.unit.valid_from == REFORM
    assert User.objects.get(username="vp.dongthap").job_title == "Chuyên viên"


def test_a_bad_account_row_creates_no_account() -> None:
    call_command("import_units")
    count = User.objects.count()
    table = accounts(
        "tot,A,B,,commune_staff,30055,\n"
        "vanphong,A,B,,district_staff,82,\n"  # taken by the demo
        "sai.vai.tro,A,B,,mayor,82,\n"
        "khong.don.vi,A,B,,commune_staff,,\n"
        "sai.don.vi,A,B,,commune_staff,12345,\n"
        "TOT,A,B,,commune_staff,30055,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_accounts(table, on=TODAY)
    assert [line for line, _reason in refused.value.errors] == [3, 4, 5, 6, 7]
    assert "mayor" in dict(refused.value.errors)[4]
    assert User.objects.count() == count


def test_the_command_will_not_overwrite_an_earlier_password_file(tmp_path) -> None:
    out = tmp_path / "passwords.csv"
    out.write_text("old", encoding="utf-8")
    source = tmp_path / "accounts.csv"
    source.write_text(",".join(ACCOUNT_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_accounts", str(source), "--passwords-out", str(out))
    assert out.read_text(encoding="utf-8") == "old"


def test_createsuperuser_makes_an_administrator_without_a_unit(monkeypatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "một mật khẩu dài 2026")
    call_command(
        "createsuperuser", "--no-input", "--username", "quantri", "--email", "qt@example.vn"
    )
    admin = User.objects.get(username="quantri")
    assert admin.role == Role.ADMIN and admin.unit is None and admin.is_superuser


def test_load_demo_refuses_in_production(settings, monkeypatch) -> None:
    from portal.management.commands import load_demo

    loaded = []
    monkeypatch.setattr(load_demo, "load_reference", lambda data: loaded.append(data) or [])
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert loaded == []
