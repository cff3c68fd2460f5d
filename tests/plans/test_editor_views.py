"""The plan editor and workflow pages: who may use them, what they accept, what they refuse."""

from __future__ import annotations

import pytest
from django.test import Client

from org.models import Role, User
from plans.models import CommunePlan, ItemKind, PlanItem, PlanStatus, PlanStatusChange
from tests.builders import make_user
from tests.conftest import demo_plan
from tests.plans.editor_payload import add_row, editor_payload

pytestmark = pytest.mark.django_db

NEW_TARGET = {
    "text": "Tỷ lệ hộ sử dụng nước sạch đạt 99%.",
    "measure_unit": "%",
    "direction": "increase",
    "baseline": "97,5",
    "value": "99",
    "accumulation": "point",
}


@pytest.fixture
def draft() -> CommunePlan:
    return demo_plan("Mỹ Hòa", 2023)


@pytest.fixture
def my_hoa(client: Client, draft: CommunePlan) -> Client:
    client.force_login(make_user(draft.unit, role=Role.COMMUNE_STAFF, username="myhoa"))
    return client


def edit_url(plan: CommunePlan) -> str:
    return f"/plans/{plan.pk}/edit/"


def snapshot(plan: CommunePlan) -> list[tuple]:
    return list(
        plan.items.order_by("pk").values_list("pk", "kind", "order", "text", "target_value")
    )


def test_commune_staff_add_a_target_to_their_draft(my_hoa: Client, draft: CommunePlan) -> None:
    data = add_row(editor_payload(my_hoa.get(edit_url(draft))), "target", **NEW_TARGET)
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 302, response.context and response.context["editor"].kinds
    added = draft.items.get(text=NEW_TARGET["text"])
    assert (added.baseline, added.target_value) == (97.5, 99)
    assert added.order == draft.items.filter(kind=ItemKind.TARGET).count()
    assert CommunePlan.objects.get(pk=draft.pk).version == draft.version + 1


def test_an_unchanged_save_keeps_every_item(my_hoa: Client, draft: CommunePlan) -> None:
    before = snapshot(draft)
    response = my_hoa.post(edit_url(draft), editor_payload(my_hoa.get(edit_url(draft))))
    assert response.status_code == 302
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "   "}, "This field is required|Trường này là bắt buộc"),
        ({"value": "-3"}, "Không nhập số âm"),
        ({"value": "1e30"}, "Số quá lớn|Nhập một số|không lớn hơn"),
        ({"value": "abc"}, "Nhập một số"),
        (
            {"direction": "decrease", "baseline": "3", "value": "4"},
            "Chỉ tiêu giảm không được cao hơn",
        ),
        ({"deadline": "2024-03-01"}, "Thời hạn phải nằm trong năm kế hoạch 2023"),
        ({"value": "120"}, "Tỷ lệ phần trăm không vượt quá 100"),
        ({"direction": "zero", "value": "2"}, "không để xảy ra"),
    ],
)
def test_bad_rows_are_refused_in_vietnamese_and_nothing_is_saved(
    my_hoa: Client, draft: CommunePlan, row: dict, message: str
) -> None:
    before = snapshot(draft)
    data = add_row(editor_payload(my_hoa.get(edit_url(draft))), "target", **(NEW_TARGET | row))
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 400
    import re

    assert re.search(message, response.content.decode()), message
    assert snapshot(draft) == before
    # What the user typed is still on the page.
    assert NEW_TARGET["measure_unit"] in response.content.decode()


def test_two_rows_saying_the_same_thing_are_refused(my_hoa: Client, draft: CommunePlan) -> None:
    data = editor_payload(my_hoa.get(edit_url(draft)))
    existing = data["key_task-0-text"]
    add_row(data, "key_task", text=existing.upper().replace("Đ", "đ"))
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 400
    assert "Nội dung trùng với dòng 1" in response.content.decode()


def test_adding_a_row_saves_nothing(my_hoa: Client, draft: CommunePlan) -> None:
    before = snapshot(draft)
    data = editor_payload(my_hoa.get(edit_url(draft))) | {"add-row": "solution"}
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 200
    solutions = response.context["editor"].kinds[3].formset
    assert len(solutions.forms) == draft.items.filter(kind=ItemKind.SOLUTION).count() + 1
    assert snapshot(draft) == before


def test_deleting_rows_asks_for_confirmation_first(my_hoa: Client, draft: CommunePlan) -> None:
    data = editor_payload(my_hoa.get(edit_url(draft))) | {"solution-0-DELETE": "on"}
    count = draft.items.count()
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 200
    assert "Các dòng sau sẽ bị xóa" in response.content.decode()
    assert draft.items.count() == count
    response = my_hoa.post(edit_url(draft), data | {"confirm-delete": "1"})
    assert response.status_code == 302
    assert draft.items.count() == count - 1


def test_a_stale_editor_gets_the_conflict_page_and_saves_nothing(
    my_hoa: Client, draft: CommunePlan
) -> None:
    stale = editor_payload(my_hoa.get(edit_url(draft)))
    fresh = editor_payload(my_hoa.get(edit_url(draft)))
    fresh["title"] = "Bản của người lưu trước"
    assert my_hoa.post(edit_url(draft), fresh).status_code == 302
    stale["key_task-0-text"] = "Bản của người lưu sau"
    response = my_hoa.post(edit_url(draft), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác lưu" in page
    assert "Bản của người lưu sau" in page
    assert not draft.items.filter(text="Bản của người lưu sau").exists()
    assert CommunePlan.objects.get(pk=draft.pk).title == "Bản của người lưu trước"


def test_an_item_id_of_another_plan_is_a_404(my_hoa: Client, draft: CommunePlan) -> None:
    foreign = demo_plan("Mỹ Quý", 2023).items.filter(kind="key_task").first()
    data = editor_payload(my_hoa.get(edit_url(draft)))
    data["key_task-0-id"] = str(foreign.pk)
    data["key_task-0-text"] = "chiếm quyền"
    assert my_hoa.post(edit_url(draft), data).status_code == 404
    assert PlanItem.objects.get(pk=foreign.pk).text != "chiếm quyền"


# --- the permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "edit/"),
        ("post", "edit/"),
        ("post", "submit/"),
        ("get", "approve/"),
        ("post", "approve/"),
        ("get", "return/"),
        ("post", "return/"),
        ("get", "revise/"),
        ("post", "revise/"),
        ("get", "history/"),
    ],
)
def test_another_communes_staff_get_404_and_change_nothing(login, method: str, path: str) -> None:
    plan = demo_plan("Phú Điền", 2022)
    before = (plan.status, plan.version, snapshot(plan), plan.history.count())
    response = getattr(login("myqui"), method)(f"/plans/{plan.pk}/{path}", {"reason": "x"})
    assert response.status_code == 404
    plan.refresh_from_db()
    assert (plan.status, plan.version, snapshot(plan), plan.history.count()) == before


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("lanhdao", "edit/"),
        ("kiemtra", "edit/"),
        ("myqui", "approve/"),
        ("myqui", "return/"),
        ("lanhdao", "approve/"),
        ("lanhdao", "revise/"),
    ],
)
def test_the_wrong_role_gets_403(login, username: str, path: str) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    assert login(username).get(f"/plans/{plan.pk}/{path}").status_code == 403


def test_submit_refuses_get(login, draft: CommunePlan) -> None:
    assert login("vanphong").get(f"/plans/{draft.pk}/submit/").status_code == 405


def test_the_whole_workflow_through_the_pages(my_hoa: Client, draft: CommunePlan, login) -> None:
    assert my_hoa.post(f"/plans/{draft.pk}/submit/").status_code == 302
    office = Client()
    office.force_login(User.objects.get(username="vanphong"))
    response = office.post(f"/plans/{draft.pk}/return/", {"reason": ""})
    assert response.status_code == 400
    assert (
        office.post(f"/plans/{draft.pk}/return/", {"reason": "Bổ sung chỉ tiêu"}).status_code == 302
    )
    assert my_hoa.get(edit_url(draft)).status_code == 200
    assert my_hoa.post(f"/plans/{draft.pk}/submit/").status_code == 302
    assert office.post(f"/plans/{draft.pk}/approve/", {"note": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED
    response = my_hoa.get(edit_url(draft))
    assert response.status_code == 302  # approved plans are read-only
    history = my_hoa.get(f"/plans/{draft.pk}/history/").content.decode()
    assert "Bổ sung chỉ tiêu" in history
    assert PlanStatusChange.objects.filter(plan=draft).count() == 4


def test_approving_twice_says_why_it_cannot(login, draft: CommunePlan) -> None:
    office = login("vanphong")
    response = office.post(f"/plans/{draft.pk}/approve/", {"note": ""}, follow=True)
    assert "Không thể chuyển kế hoạch" in response.content.decode()


def test_creating_a_plan_from_last_years(login) -> None:
    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    client = login("vanphong")
    assert client.get(f"/plans/new/{thanh_loi.pk}/2023/").status_code == 200
    response = client.post(
        f"/plans/new/{thanh_loi.pk}/2023/",
        {"title": "Kế hoạch năm 2023", "copy_previous_year": "on"},
    )
    plan = CommunePlan.objects.get(unit=thanh_loi, year=2023)
    assert response["Location"] == edit_url(plan)
    assert plan.items.count() == demo_plan("Thạnh Lợi", 2022).items.count()


def test_commune_staff_cannot_create_for_another_commune(login) -> None:
    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    assert (
        login("myqui").post(f"/plans/new/{thanh_loi.pk}/2023/", {"title": "x"}).status_code == 404
    )
    assert not CommunePlan.objects.filter(unit=thanh_loi, year=2023).exists()


def test_a_revision_shows_approved_and_revised_values_side_by_side(login) -> None:
    approved = demo_plan("Mỹ Quý", 2023)
    client = login("myqui")
    response = client.post(
        f"/plans/{approved.pk}/revise/",
        {"reason": "Theo kết luận của Đoàn công tác", "decision": "Công văn 45-CV/HU"},
    )
    revision = CommunePlan.objects.get(revises=approved)
    assert response["Location"] == edit_url(revision)
    target = revision.items.filter(kind="target").first()
    target.target_value = target.target_value + 1
    target.save()
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "Đã duyệt" in page and "Điều chỉnh" in page
    assert 'class="num nowrap changed"' in page


@pytest.mark.parametrize("year", [1999, 2101, 30000, 99999])
def test_a_plan_for_a_year_outside_2000_2100_is_404(login, year: int) -> None:
    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    client = login("vanphong")
    assert client.get(f"/plans/new/{thanh_loi.pk}/{year}/").status_code == 404
    assert client.post(f"/plans/new/{thanh_loi.pk}/{year}/", {"title": "x"}).status_code == 404
    assert not CommunePlan.objects.filter(unit=thanh_loi, title="x").exists()


def test_a_plan_for_a_unit_that_no_longer_exists_that_year_is_404(login) -> None:
    # Thạnh Lợi was merged away on 1/7/2025: it has no 2026 plan to write.
    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    assert thanh_loi.valid_to.year == 2025
    client = login("vanphong")
    assert client.get(f"/plans/new/{thanh_loi.pk}/2026/").status_code == 404
    assert client.post(f"/plans/new/{thanh_loi.pk}/2026/", {"title": "x"}).status_code == 404
    assert not CommunePlan.objects.filter(unit=thanh_loi, year=2026).exists()


def test_a_plan_for_a_unit_not_yet_created_that_year_is_404(login) -> None:
    from org.models import Unit

    thanh_loi = demo_plan("Thạnh Lợi", 2022).unit
    new_commune = Unit.objects.filter(parent__isnull=False, valid_from__year=2025).first()
    assert new_commune is not None
    admin = login("admin")
    assert admin.get(f"/plans/new/{new_commune.pk}/2023/").status_code == 404
    assert admin.get(f"/plans/new/{thanh_loi.pk}/2023/").status_code == 200


def test_a_refused_save_lists_every_error_with_a_link_to_its_field(
    my_hoa: Client, draft: CommunePlan
) -> None:
    data = editor_payload(my_hoa.get(edit_url(draft)))
    data["target-0-text"] = ""
    data["key_task-1-text"] = ""
    response = my_hoa.post(edit_url(draft), data)
    assert response.status_code == 400
    links = [(link.anchor, link.where) for link in response.context["error_links"]]
    assert links == [
        ("id_key_task-1-text", "Nhiệm vụ trọng tâm, dòng 2 – Nội dung"),
        ("id_target-0-text", "Chỉ tiêu chủ yếu, dòng 1 – Nội dung"),
    ]
    page = response.content.decode()
    assert page.index('id="error-summary"') < page.index('id="edit-key_task"')
    assert 'href="#id_target-0-text"' in page
    assert snapshot(draft) == snapshot(CommunePlan.objects.get(pk=draft.pk))


def test_a_target_below_its_baseline_is_refused_with_the_baseline_written_the_vietnamese_way(
    my_hoa: Client, draft: CommunePlan
) -> None:
    row = {**NEW_TARGET, "baseline": "1234,5", "value": "99"}
    response = my_hoa.post(
        edit_url(draft), add_row(editor_payload(my_hoa.get(edit_url(draft))), "target", **row)
    )
    assert response.status_code == 400
    assert "không được thấp hơn giá trị đầu kỳ (1.234,5)." in response.content.decode()
