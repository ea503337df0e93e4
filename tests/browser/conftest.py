"""Browser tests: Playwright drives the system Chromium against Django's live server."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = (Path(__file__).parent / "axe.min.js").read_text()
TEST_PASSWORD = "not-the-demo-password"


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def click_and_load(page: Any, locator: Any, wait_until: str = "domcontentloaded") -> None:
    """Click a link or button that loads another page, and wait for that page. A load-state
    wait after the click alone may return at once: the page still shown is already loaded.
    Not for an htmx link or form (no navigation): wait for the swapped-in content instead."""
    with page.expect_navigation(wait_until=wait_until):
        locator.click()


@pytest.fixture
def login(live_server: Any) -> Any:
    """login(page, user) signs the user in through the real login form."""

    def sign_in(page: Any, user: Any, password: str = TEST_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        click_and_load(page, page.get_by_role("button", name="Sign in"))

    return sign_in


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the page (evaluated through DevTools, so our CSP still applies to the
    page itself) and return violations of the given impacts."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    found = [v for v in result["violations"] if v.get("impact") in impacts]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2)


def follow_menu(page: Any, name: str) -> None:
    """Click a main-menu link, first opening the drop-down section that holds it."""
    menu = page.get_by_role("navigation", name="Main")
    link = menu.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        section = menu.locator(".dropdown").filter(
            has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
        )
        section.get_by_role("button").click()
    # Wait for the new page: a check right after (is_visible does not wait) must not read
    # the old one, as it once did in CI under load.
    with page.expect_navigation():
        link.click()
