"""Steps every browser journey shares (the journeys live with the app they walk through)."""

from __future__ import annotations

from pathlib import Path


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login/")


AXE = Path(__file__).parent / "vendor" / "axe-4.10.2.min.js"


def axe_violations(page, impacts: tuple[str, ...] = ("critical", "serious")) -> list[str]:
    """axe-core's violations of those impacts on the page as it stands, one line per rule.

    The page's CSP refuses an injected <script>, so axe runs through Playwright's evaluate,
    outside the page's policy."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['impact']} {rule['id']}: {[node['target'] for node in rule['nodes']][:3]}"
        for rule in result["violations"]
        if rule["impact"] in impacts
    ]


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
