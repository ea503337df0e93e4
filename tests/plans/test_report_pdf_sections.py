"""Incremental PDFs (issue 18): a large report's sections are kept by a key of their HTML, so
the next update's PDF, or the draft's, renders only the objectives whose HTML changed, and the
joined document is the same as a full render: text, pages, "Page X of Y", running header,
bookmarks and structure tree. A folder that cannot be written, or a corrupt kept section, costs
a warning and a full render, never a broken PDF."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from compact.platform.pdf.sections import MAGIC, SUFFIX
from plans.models import ImplementationPlan, Outcome, PlanUpdate
from plans.report_pdf import RenderStats, report_html_to_pdf
from plans.reports import render_report_html, update_comparison
from plans.selectors.reports import plan_comparison
from tests.plans.factories import edit_progress, issue, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_SECTION_CACHE_DIR = str(tmp_path / "sections")
    return tmp_path / "sections"


def row_of(plan: ImplementationPlan, objective: int) -> Outcome:
    """The first row of the plan's objective number ``objective`` (counting from 1)."""
    chosen = plan.objectives.order_by("order")[objective - 1]
    return Outcome.objects.filter(task__objective=chosen).order_by("task__order", "order")[0]


def update_pdf(update: PlanUpdate) -> tuple[bytes, RenderStats]:
    html = render_report_html(update_comparison(update), for_pdf=True)
    return report_html_to_pdf(html, parallel=True, workers=2)


def draft_pdf(plan: ImplementationPlan, since: PlanUpdate) -> tuple[bytes, RenderStats]:
    html = render_report_html(plan_comparison(plan=plan, since=since, until=None), for_pdf=True)
    return report_html_to_pdf(html, parallel=True, workers=2)


def full_render(settings: Any, update: PlanUpdate) -> bytes:
    """The same report with nothing kept: every section rendered now."""
    kept_in = settings.PDF_SECTION_CACHE_DIR
    settings.PDF_SECTION_CACHE_DIR = ""
    try:
        pdf, stats = update_pdf(update)
    finally:
        settings.PDF_SECTION_CACHE_DIR = kept_in
    assert stats.reused == 0 and stats.rendered == stats.sections
    return pdf


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        return [page.extract_text() or "" for page in plumber.pages]


def bookmarks(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    document = pikepdf.open(io.BytesIO(pdf))
    pages = {page.obj.objgen: index for index, page in enumerate(document.pages)}
    found: list[tuple[int, str, int]] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            found.append((depth, str(item.title), pages[item.destination[0].objgen]))
            walk(item.children, depth + 1)

    with document.open_outline() as outline:
        walk(outline.root, 0)
    return found


def structure_kinds(pdf: bytes) -> dict[str, int]:
    document = pikepdf.open(io.BytesIO(pdf))
    kinds: dict[str, int] = {}
    stack = list(document.Root.StructTreeRoot.K)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            kinds[str(element.S)] = kinds.get(str(element.S), 0) + 1
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return kinds


def assert_same_document(incremental: bytes, full: bytes, heading: str) -> None:
    texts, full_texts = page_texts(incremental), page_texts(full)
    assert texts == full_texts
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert heading in text  # the running header, stamped on every page
    assert bookmarks(incremental) == bookmarks(full)
    assert structure_kinds(incremental) == structure_kinds(full)
    document = pikepdf.open(io.BytesIO(incremental))
    assert document.Root.MarkInfo.Marked is True
    assert len(list(document.Root.StructTreeRoot.K)) == 1


@pytest.fixture
def plan_with_pdf(world: Any, kept: Path) -> tuple[ImplementationPlan, PlanUpdate]:
    """Four objectives; Update 2 changed a row of objective 2; its PDF is made (and kept)."""
    plan = make_plan(world, objectives=4, tasks=1, rows=2)
    issue(plan)
    edit_progress(row_of(plan, 2), "Meetings held and reviewed by the Compact Board")
    two = issue(plan)
    _pdf, stats = update_pdf(two)
    assert (stats.rendered, stats.reused, stats.sections) == (4, 0, 4)
    return plan, two


def test_next_update_renders_only_changed_sections_and_equals_a_full_render(
    plan_with_pdf: tuple[ImplementationPlan, PlanUpdate], settings: Any
) -> None:
    plan, _two = plan_with_pdf
    edit_progress(row_of(plan, 4), "Funding agreed for the second year")
    three = issue(plan)

    pdf, stats = update_pdf(three)
    # Objective 1 carries the cover (new update), objective 2 loses its marks, objective 4
    # gains some: rendered; objective 3 is unchanged in both updates: kept.
    assert (stats.rendered, stats.reused) == (3, 1)
    assert_same_document(pdf, full_render(settings, three), "Update 3 - dated")
    assert "Funding agreed for the second year" in "".join(page_texts(pdf))


def test_draft_pdf_reuses_sections_and_the_issued_update_reuses_the_drafts(
    plan_with_pdf: tuple[ImplementationPlan, PlanUpdate], settings: Any
) -> None:
    plan, two = plan_with_pdf
    edit_progress(row_of(plan, 4), "Funding agreed for the second year")

    _draft, stats = draft_pdf(plan, two)
    assert (stats.rendered, stats.reused) == (3, 1)  # heading, objective 2 and 4 differ

    three = issue(plan)
    pdf, stats = update_pdf(three)
    # What the officers checked in the draft is what the update shows: only the cover's section
    # is new.
    assert (stats.rendered, stats.reused) == (1, 3)
    assert_same_document(pdf, full_render(settings, three), "Update 3 - dated")


def test_same_report_again_renders_nothing_but_keeps_the_welsh_apart(
    plan_with_pdf: tuple[ImplementationPlan, PlanUpdate],
) -> None:
    from django.utils import translation

    _plan, two = plan_with_pdf
    _pdf, stats = update_pdf(two)
    assert (stats.rendered, stats.reused) == (0, 4)
    with translation.override("cy"):
        _pdf, stats = update_pdf(two)
    assert (stats.rendered, stats.reused) == (4, 0)


def test_unwritable_folder_renders_in_full_with_a_warning(
    world: Any, settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PDF_SECTION_CACHE_DIR = str(blocker / "sections")  # cannot be created
    plan = make_plan(world, objectives=3, tasks=1, rows=1)
    issue(plan)
    two = issue(plan)

    with caplog.at_level(logging.WARNING, logger="compact.platform.pdf.sections"):
        pdf, stats = update_pdf(two)
    assert stats.rendered == 3
    warnings = [r for r in caplog.records if "cannot be kept" in r.getMessage()]
    assert len(warnings) == 1  # once per PDF, not once per section
    assert_same_document(pdf, full_render(settings, two), "Update 2 - dated")


def kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*" + SUFFIX))


def test_truncated_kept_section_is_rendered_again_with_a_warning(
    plan_with_pdf: tuple[ImplementationPlan, PlanUpdate],
    kept: Path,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _plan, two = plan_with_pdf
    files = kept_files(kept)
    assert files
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    with caplog.at_level(logging.WARNING, logger="compact.platform.pdf.sections"):
        pdf, stats = update_pdf(two)
    assert stats.reused == 0 and stats.rendered == 4
    corrupt = [r for r in caplog.records if "is corrupt" in r.getMessage()]
    assert len(corrupt) == len(files)  # each section, and the stamps, checked and deleted
    assert_same_document(pdf, full_render(settings, two), "Update 2 - dated")
    # Rendered again and kept whole: the next PDF reuses every section.
    caplog.clear()
    _pdf, stats = update_pdf(two)
    assert (stats.rendered, stats.reused) == (0, 4)
    assert "is corrupt" not in caplog.text


def test_kept_section_with_wrong_bytes_falls_back_to_a_full_render(
    plan_with_pdf: tuple[ImplementationPlan, PlanUpdate],
    kept: Path,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bytes that pass the file's own check (written so) but are no PDF: the join fails and
    the whole document is rendered afresh."""
    _plan, two = plan_with_pdf
    bogus = b"%PDF-1.7\nthis is not a PDF at all\n%%EOF\n"
    for path in kept_files(kept):
        path.write_bytes(MAGIC + hashlib.sha256(bogus).digest() + bogus)

    with caplog.at_level(logging.WARNING, logger="compact.platform.pdf.sections"):
        pdf, stats = update_pdf(two)
    assert stats.rendered == 4 and stats.reused == 0
    assert any("rendering the whole document afresh" in r.getMessage() for r in caplog.records)
    assert_same_document(pdf, full_render(settings, two), "Update 2 - dated")
