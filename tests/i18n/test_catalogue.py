"""Guards for the Welsh catalogue: every string in the code has Welsh (none empty, none fuzzy),
and the pages read in Welsh show (almost) no interface text left in English."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from tests.access import ANONYMOUS, all_cases

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Reviewed: strings that are the same in both languages (names, codes, formats). Keep short.
SAME_IN_BOTH = {
    "Compact",
    "Compact Tracker",
    "Agenda",
    "Protocol",
    "PDF",
    "CSV",
    "Excel",
    "Word (.docx)",
    "SHA-256",
    "slug",
    "sector",
    "compact",
    "English",
    "Cymraeg",
    "OK",
    "RAG",
    "ID",
}
ENGLISH_AT_MOST = 0.03
# Most able role first: the page with most on it.
ROLE_ORDER = ("officer", "administrator", "board", "representative", "superuser", ANONYMOUS)


def test_every_string_in_the_code_has_welsh_none_fuzzy_none_empty() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/welsh_catalogue.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_compiled_catalogue_matches_the_source() -> None:
    def translated(entries: Any) -> dict[tuple[str | None, str], Any]:
        return {
            (e.msgctxt, e.msgid): e.msgstr or sorted(e.msgstr_plural.items())
            for e in entries
            if e.msgstr or any(e.msgstr_plural.values())
        }

    source = translated(polib.pofile(str(CATALOGUE)))
    assert translated(polib.mofile(str(CATALOGUE.with_suffix(".mo")))) == source


@cache
def _english_only() -> frozenset[str]:
    """Interface strings whose Welsh differs: seeing one on a Welsh page is a gap."""
    found = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if "%" in entry.msgid or "{" in entry.msgid or "<" in entry.msgid:
            continue  # shown filled in; cannot be matched literally
        text = " ".join(entry.msgid.split())
        if text not in SAME_IN_BOTH and text != " ".join(entry.msgstr.split()):
            found.add(text)
    return frozenset(found)


class _Text(HTMLParser):
    """The visible text nodes of a page (not scripts, styles or user text in inputs)."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "textarea", "title"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "placeholder", "alt"} and value:
                self.nodes.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "textarea", "title"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip and re.search(r"[A-Za-z]", text):
            self.nodes.append(text)


def _pages(world: Any) -> list[tuple[str, str, str]]:
    pages = []
    for name, case in sorted(all_cases().items()):
        if case.method != "get" or case.query:
            continue
        role = next((r for r in ROLE_ORDER if r in case.allowed), None)
        if role is None:
            continue
        try:
            kwargs, _data = case.build(world)
        except Exception as error:  # a case whose fixture clashes in one shared world
            pages.append((name, role, f"not built: {error}"))
            continue
        pages.append((name, role, reverse(name, kwargs=kwargs)))
    return pages


@pytest.mark.django_db
def test_pages_read_in_welsh_show_almost_no_english_interface_text(
    world: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    english = _english_only()
    shown = left = 0
    worst: dict[str, list[str]] = {}
    pages = _pages(world)
    unbuilt = [(name, url) for name, _role, url in pages if url.startswith("not built")]
    pages = [page for page in pages if not page[2].startswith("not built")]
    assert len(pages) > 100 and len(unbuilt) < 10, f"the walk should reach most pages: {unbuilt}"
    for name, role, url in pages:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(world.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"  # logout() clears cookies
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        shown += len(parser.nodes)
        missed = [node for node in parser.nodes if node in english]
        left += len(missed)
        if missed:
            worst[name] = missed[:5]
    translation.activate("en")
    assert shown > 1000
    share = left / shown
    print(f"Welsh walk: {len(pages)} pages, {shown} text nodes, {left} English ({share:.2%})")
    assert share <= ENGLISH_AT_MOST, (
        f"{share:.1%} of interface text is still English; e.g. {dict(list(worst.items())[:15])}"
    )
