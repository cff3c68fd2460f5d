"""Search ignores diacritics and case on both databases, and stays inside the user's scope."""

from __future__ import annotations

import unicodedata

import pytest

from org.search import fold

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Mỹ Quí", "my qui"),
        ("NÔNG THÔN MỚI", "nong thon moi"),
        ("Đảng ủy", "dang uy"),
        ("Đảng uỷ", "dang uy"),
        (unicodedata.normalize("NFD", "Hưng Thạnh"), "hung thanh"),
        ("  nhiều   khoảng  trắng ", "nhieu khoang trang"),
    ],
)
def test_fold_removes_diacritics_case_and_tone_placement(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def results(response, group: str) -> list:
    return response.context.get(group) or []


def test_my_qui_finds_mỹ_quí(login) -> None:
    response = login("vanphong").get("/search/", {"q": "my qui"})
    assert [unit.name for unit in results(response, "units")] == ["Mỹ Quý"]
    assert any(plan.unit.name == "Mỹ Quý" for plan in results(response, "plans"))


def test_nong_thon_moi_finds_nông_thôn_mới(login) -> None:
    response = login("vanphong").get("/search/", {"q": "nong thon moi"})
    items = results(response, "items")
    assert items
    assert all(
        "nông thôn mới" in fold(item.text) or "nong thon moi" in fold(item.text) for item in items
    )
    assert results(response, "programme_items")


def test_upper_case_and_accents_in_the_query_do_not_matter(login) -> None:
    client = login("vanphong")
    plain = {item.pk for item in results(client.get("/search/", {"q": "phuoc tien"}), "items")}
    accented = {item.pk for item in results(client.get("/search/", {"q": "PHƯỚC TIẾN"}), "items")}
    assert plain and plain == accented


def test_every_word_must_match(login) -> None:
    response = login("vanphong").get("/search/", {"q": "phuoc tien khongcotu"})
    assert not response.context["found"]
    assert "Không tìm thấy kết quả" in response.content.decode()


def test_commune_staff_find_only_their_own_commune(login) -> None:
    response = login("myqui").get("/search/", {"q": "lua"})
    units = {item.plan.unit.name for item in results(response, "items")}
    assert units == {"Mỹ Quý"}


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "<script>", "\x00", "a" * 500])
def test_odd_queries_answer_calmly(login, query: str) -> None:
    response = login("vanphong").get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split('value="')[0]


def test_directives_visits_findings_programmes_and_reports_are_found_too(login) -> None:
    from plans.models import ProgressReport

    report = ProgressReport.objects.filter(plan__unit__code="30055").first()
    report.results = "Hoàn thành nạo vét kênh Ba Răng."
    report.save(update_fields=["results"])
    client = login("vanphong")

    def found(query: str, group: str) -> list:
        return results(client.get("/search/", {"q": query}), group)

    assert any("sâu sát công tác" in d.text for d in found("sau sat cong tac", "directives"))
    assert any(v.host.name == "Mỹ Quý" for v in found("nhiem vu chinh tri my qui", "visits"))
    assert found("chua cu the, chua sat", "findings") or found("chung chung", "findings")
    assert found("chuong trinh hanh dong", "programmes")
    assert [r.pk for r in found("nao vet kenh ba rang", "reports")] == [report.pk]
    page = client.get("/search/", {"q": "nao vet kenh"}).content.decode()
    assert "Báo cáo tiến độ" in page and report.get_absolute_url() in page


def test_commune_staff_find_only_their_own_directives_and_visits(login) -> None:
    response = login("myqui").get("/search/", {"q": "ubnd xa"})  # every commune's directives
    directives = results(response, "directives")
    assert directives and all(d.unit.code == "30055" for d in directives)
    response = login("myqui").get("/search/", {"q": "lam viec"})
    assert {v.host.code for v in results(response, "visits")} <= {"30055"}
