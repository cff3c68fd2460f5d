"""The conclusion notice in the form of its issuer, and the visit form around it."""

from __future__ import annotations

import datetime

import pytest

from inspections import notice
from inspections.models import Directive, FindingKind, Issuer, Visit, VisitKind
from org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def visit_of(code: str) -> Visit:
    return Visit.objects.get(
        host__code=code, kind__in=[VisitKind.PLAN_INSPECTION, "working_session"]
    )


def my_qui_2023() -> Visit:
    return Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))


@pytest.mark.parametrize(
    ("kind", "title", "name", "party", "state"),
    [
        (
            UnitKind.DISTRICT,
            "",
            "Tháp Mười",
            "Huyện ủy Tháp Mười",
            "Ủy ban nhân dân huyện Tháp Mười",
        ),
        (UnitKind.PROVINCE, "", "Đồng Tháp", "Tỉnh ủy Đồng Tháp", "Ủy ban nhân dân tỉnh Đồng Tháp"),
        (
            UnitKind.DISTRICT,
            "Thị xã",
            "Hồng Ngự",
            "Thị ủy Hồng Ngự",
            "Ủy ban nhân dân thị xã Hồng Ngự",
        ),
        (UnitKind.COMMUNE, "", "Mỹ Quý", "Đảng ủy xã Mỹ Quý", "Ủy ban nhân dân xã Mỹ Quý"),
        (
            UnitKind.TOWNSHIP,
            "",
            "Mỹ An",
            "Đảng ủy thị trấn Mỹ An",
            "Ủy ban nhân dân thị trấn Mỹ An",
        ),
    ],
)
def test_a_unit_names_its_committees(kind, title, name, party, state) -> None:
    unit = Unit(kind=kind, title=title, name=name)
    assert unit.party_committee == party
    assert unit.peoples_committee == state


def test_a_party_notice_is_headed_by_the_committee_beside_the_party(login) -> None:
    visit = my_qui_2023()
    page = login("kiemtra").get(f"{visit.get_absolute_url()}notice/").content.decode()
    assert "HUYỆN ỦY THÁP MƯỜI" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in page
    assert "T/M ĐOÀN CÔNG TÁC" in page
    assert "<strong>Nguyễn Văn Vũ Minh</strong>" in page  # the signer's name, when given
    assert "In thông báo" in page and "js/notice" in page


def test_a_state_notice_takes_the_peoples_committee_form(login) -> None:
    visit = Visit.objects.get(host__code="30088")  # Phong Mỹ: UBND huyện Cao Lãnh
    assert visit.issuer == Issuer.STATE
    page = login("admin").get(f"{visit.get_absolute_url()}notice/").content.decode()
    assert "<strong>HUYỆN CAO LÃNH</strong>" in page
    assert "ỦY BAN NHÂN DÂN" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Độc lập - Tự do - Hạnh phúc" in page
    assert "TM. ỦY BAN NHÂN DÂN" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in page
    assert "- Lưu VT." in page and "- Lưu VT," not in page


def test_a_party_committee_without_a_delegation_signs_for_its_standing_committee() -> None:
    header = notice.header(Visit.objects.get(kind=VisitKind.CLUSTER_CONFERENCE))
    assert header.issuer == ("HUYỆN ỦY THƯỜNG XUÂN",)
    assert header.on_behalf == "T/M BAN THƯỜNG VỤ"


def test_the_notice_punctuates_what_people_typed() -> None:
    directive = Directive(
        text="Rà soát chỉ tiêu.  ",
        lead="UBND xã;",
        cooperating="Hội Nông dân,",
        deadline=datetime.date(2023, 3, 31),
    )
    assert notice.directive_sentence(directive, with_unit=False) == (
        "Rà soát chỉ tiêu (chủ trì: UBND xã; phối hợp: Hội Nông dân; thời hạn: 31/03/2023)."
    )
    visit = Visit(recipients="Như trên;\n\n Thường trực Huyện ủy,\nLưu VP.")
    assert notice.recipients(visit) == ["- Như trên,", "- Thường trực Huyện ủy,", "- Lưu VP."]
    assert notice.recipients(Visit(recipients="")) == []


@pytest.mark.usefixtures("during_campaign_2023")
def test_the_visit_form_prefills_the_chair_and_drops_cluster_fields_of_other_kinds(login) -> None:
    from inspections.models import Delegation
    from org.models import Cluster

    client = login("kiemtra")
    mỹ_quí = Unit.objects.get(code="30055", valid_to__isnull=False)
    page = client.get(f"/inspections/visits/new/?host={mỹ_quí.pk}").content.decode()
    assert 'value="Tỉnh ủy viên, Bí thư Huyện ủy, Trưởng đoàn"' in page
    assert 'data-for-kind="cluster_conference"' in page
    delegation = Delegation.objects.get(campaign__year=2023, name="Đoàn số 1")
    cluster = Cluster.objects.filter(members=mỹ_quí).first()
    response = client.post(
        "/inspections/visits/new/",
        {
            "kind": "plan_inspection",
            "host": mỹ_quí.pk,
            "delegation": delegation.pk,
            "date": "2023-03-02",
            "part_of_day": "morning",
            "chair_role": "Bí thư Huyện ủy",
            "topic": "Kiểm tra tiến độ quý I",
            # left in the hidden cluster fields: not this visit's
            "cluster": cluster.pk if cluster else "",
            "half": "1",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(topic="Kiểm tra tiến độ quý I")
    assert visit.cluster is None and visit.half is None
    assert visit.issuer == Issuer.PARTY


@pytest.mark.usefixtures("during_campaign_2023")
def test_findings_are_added_in_place_with_htmx(login) -> None:
    client = login("kiemtra")
    visit = my_qui_2023()
    url = f"{visit.get_absolute_url()}findings/"
    added = client.post(
        url,
        {"finding-kind": "shortcoming", "finding-text": "Chậm giải ngân vốn."},
        headers={"HX-Request": "true"},
    )
    assert added.status_code == 200  # no redirect: the page part is swapped in
    page = added.content.decode()
    assert "Chậm giải ngân vốn." in page and "Đã thêm nhận xét." in page
    assert visit.findings.filter(kind=FindingKind.SHORTCOMING, text="Chậm giải ngân vốn.").exists()
    assert '<option value="shortcoming" selected>' in page  # the kind stays for the next one
    empty = client.post(
        url, {"finding-kind": "shortcoming", "finding-text": "  "}, headers={"HX-Request": "true"}
    )
    assert empty.status_code == 400
    assert "form__row--error form__row--text" in empty.content.decode()
    # without htmx, the page reloads as before
    plain = client.post(url, {"finding-kind": "strength", "finding-text": "Tốt."})
    assert plain.status_code == 302


def test_the_printed_notice_writes_its_number_in_its_issuer_s_form(login) -> None:
    """The state's "Số: 05/TB-UBND", the Party's "Số 05-TB/ĐU", as the Word and PDF do."""
    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    client = login("vanphong")
    for issuer, number, expected in (
        (Issuer.PARTY, "05-TB/ĐU", "Số 05-TB/ĐU"),
        (Issuer.STATE, "05/TB-UBND", "Số: 05/TB-UBND"),
    ):
        Visit.objects.filter(pk=visit.pk).update(issuer=issuer, notice_number=number)
        page = client.get(f"/inspections/visits/{visit.pk}/notice/").content.decode()
        assert f"<p>{expected}</p>" in page
