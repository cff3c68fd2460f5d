"""The policy fields (lĩnh vực) every installation starts with, so a fresh one can classify
its programme and plan items at once; an administrator edits them in the admin."""

from django.db import migrations

# (code, name, parent code): the sectors of a socio-economic plan and a Party programme.
FIELDS = [
    ("kinh-te", "Kinh tế", None),
    ("nong-nghiep", "Nông nghiệp, nông thôn", "kinh-te"),
    ("tai-chinh-ngan-sach", "Tài chính – ngân sách", "kinh-te"),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", None),
    ("giao-duc", "Giáo dục – đào tạo", "van-hoa-xa-hoi"),
    ("y-te", "Y tế", "van-hoa-xa-hoi"),
    ("lao-dong-an-sinh", "Lao động, việc làm và an sinh xã hội", "van-hoa-xa-hoi"),
    ("nong-thon-moi", "Nông thôn mới", None),
    ("tai-nguyen-moi-truong", "Tài nguyên và môi trường", None),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh", None),
    ("cai-cach-hanh-chinh", "Cải cách hành chính", None),
    ("xay-dung-dang", "Xây dựng Đảng và hệ thống chính trị", None),
    ("mat-tran-doan-the", "Mặt trận Tổ quốc và các đoàn thể", "xay-dung-dang"),
]


def create_fields(apps, schema_editor):
    Field = apps.get_model("org", "Field")
    created = {}
    for order, (code, name, parent) in enumerate(FIELDS, start=1):
        created[code], _new = Field.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "parent": created.get(parent)}
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_unaccent_extension")]

    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
