"""Steps every browser journey shares (the journeys live with the app they walk through)."""

from __future__ import annotations


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login/")
