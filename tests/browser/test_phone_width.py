"""No page scrolls sideways on a phone (390 x 844): every GET page each role may see, taken from
the access table with the data its cases build, is loaded in Chromium and measured.

Wide tables scroll inside their own labelled, focusable region (templates/includes/
wide_table.html); everything else must fit. A failure names the page and its widest elements.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import ANONYMOUS, all_cases
from tests.browser.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
ROLES = ("anonymous", "representative", "board", "officer", "administrator", "contributor")

# Long unbroken text, as people paste it (a link, a reference), put into the pages' data so
# that wrapping is tested too.
LONG_URL = "https://www.example.org/" + "consultation-response-documents/" * 4 + "annex.pdf"

# The elements that stick out past the window although their parent does not (the cause, not
# every ancestor), and text that runs out of its box: tag, id, classes, right edge and a little
# text. What is inside a scrolling box does not count, unless it is absolutely placed and so
# escapes a box that is not positioned.
OFFENDERS_JS = """() => {
  const limit = window.innerWidth + 0.5;
  const sticksOut = (el) => el.getBoundingClientRect().right > limit;
  const scrolledAway = (el) => {
    const position = getComputedStyle(el).position;
    if (position === 'absolute' || position === 'fixed') return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const describe = (el, right) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' right=' + Math.round(right) + ' "' +
    (el.innerText || '').replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!sticksOut(el) || scrolledAway(el)) continue;
    const parent = el.parentElement;
    if (parent !== document.body && sticksOut(parent) && !scrolledAway(parent)) continue;
    found.push(describe(el, el.getBoundingClientRect().right));
  }
  // Text that does not wrap runs out of its element's box without widening the box.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || scrolledAway(el)) continue;
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > limit && !sticksOut(el)) found.push('text in ' + describe(el, right));
  }
  return found.slice(0, 3);
}"""

# Every box that scrolls sideways must be reachable and named: a focusable region with a label
# (WCAG 2.1.1 Keyboard, 4.1.2 Name), as {% widetable %} makes it.
UNREACHABLE_JS = """() => [...document.querySelectorAll('body *')].filter((el) => {
  const overflow = getComputedStyle(el).overflowX;
  if (!['auto', 'scroll'].includes(overflow) || el.scrollWidth <= el.clientWidth + 1) return false;
  return !(el.getAttribute('role') === 'region' && el.getAttribute('aria-label')
           && el.tabIndex === 0);
}).map((el) => el.tagName.toLowerCase() + '.' + el.className)"""

# The pages the field test named, which a Board member must reach on a phone.
BOARD_PAGES = {
    "home",
    "plans:update_report",
    "plans:update_changes",
    "compact:meeting_detail",
    "compact:code_list",
    "disputes:list",
}

# Free text the pages show, in headings, lists, descriptions and table cells.
LONG_TEXT_FIELDS = (
    ("compact.Meeting", "venue"),
    ("compact.AgendaItem", "title"),
    ("compact.Paper", "text"),
    ("compact.Decision", "text"),
    ("compact.ItemMinutes", "discussion"),
    ("compact.CodeOfPractice", "title"),
    ("plans.Objective", "statement"),
    ("plans.Task", "description"),
    ("plans.Outcome", "progress"),
    ("plans.PlanUpdate", "summary"),
    ("disputes.Dispute", "subject"),
    ("disputes.Dispute", "what_happened"),
)


def _add_long_text() -> None:
    """Put a long unbroken URL where people type free text that the pages show."""
    from django.apps import apps

    for model, field in LONG_TEXT_FIELDS:
        apps.get_model(model).objects.update(**{field: f"See {LONG_URL}"})


def _pages_for(role: str, urls: dict[str, str], world: Any) -> list[tuple[str, str]]:
    """The GET pages (HTML, 200) this role may see, asked through the test client first so the
    browser never starts a download."""
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    pages = []
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((name, url))
    return pages


def _check_changes_stay_marked(page: Any) -> None:
    """In the update report's box the new words are still blue and underlined, and the box
    scrolls with the arrow keys once focused."""
    box = page.get_by_role("region", name="Tasks of objective 1")
    inserted = box.locator("ins").first
    assert inserted.is_visible()
    style = inserted.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).textDecorationLine]"
    )
    assert style == ["rgb(11, 79, 168)", "underline"], style
    box.focus()
    page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait for the box to move.
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle(), timeout=5000)


def test_no_page_scrolls_sideways_at_390px(world: Any, browser: Any, live_server: Any) -> None:
    cases = all_cases()
    urls = {}
    for name, case in sorted(cases.items()):
        if case.method != "get":
            continue
        kwargs, _ = case.build(world)
        urls[name] = reverse(name, kwargs=kwargs) + case.query
    _add_long_text()

    failures: dict[str, list[str]] = {}
    checked: dict[str, int] = {}
    board_pages: list[tuple[str, str]] = []
    for role in ROLES:
        pages = _pages_for(role, urls, world)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if role != ANONYMOUS:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(world.users[role].get_username())
            page.get_by_label("Password").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
        checked[role] = len(pages)
        if role == "board":
            board_pages = pages
        for name, url in pages:
            page.goto(live_server.url + url, wait_until="load")
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if wide > 0:
                offenders = page.evaluate(OFFENDERS_JS)
                failures.setdefault(role, []).append(
                    f"{name} {url} is {wide}px too wide; widest: {offenders}"
                )
            if unreachable := page.evaluate(UNREACHABLE_JS):
                failures.setdefault(role, []).append(
                    f"{name} {url} scrolls sideways in a box that is not a named, focusable "
                    f"region: {unreachable[:3]}"
                )
            if role == "board" and name == "plans:update_changes":
                _check_changes_stay_marked(page)
        context.close()

    assert all(checked[role] for role in ROLES if role != ANONYMOUS), checked
    assert {name for name, _ in board_pages} >= BOARD_PAGES, "the walk missed a Board page"
    report = "\n".join(
        f"{role}: {len(found)} failures on {checked[role]} pages\n  " + "\n  ".join(found)
        for role, found in failures.items()
    )
    assert not failures, report
