"""A large report rendered in parallel parts is still one tagged PDF (PDF/UA): one structure
tree over every page, ParentTree entries for every page, bookmarks from every part, and the
page numbers right across the document, stamped as artifacts."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pdfplumber
import pikepdf
import pytest

from plans.report_pdf import report_html_to_pdf
from plans.reports import render_report_html, update_comparison
from tests.plans.factories_reports import edit_progress, first_row, issue, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_html(world: Any) -> str:
    plan = make_plan(world, objectives=3, tasks=2, rows=2)
    issue(plan)
    edit_progress(first_row(plan), "Meetings held and reviewed by the Compact Board")
    return render_report_html(update_comparison(issue(plan)), for_pdf=True)


def _kinds(pdf: pikepdf.Pdf) -> Counter[str]:
    kinds: Counter[str] = Counter()
    stack = list(pdf.Root.StructTreeRoot.K)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            kinds[str(element.S)] += 1
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return kinds


def test_parallel_parts_join_into_one_tagged_document(report_html: str) -> None:
    single, _ = report_html_to_pdf(report_html, parallel=False)
    joined, stats = report_html_to_pdf(report_html, parallel=True, workers=2)
    assert stats.parallel and stats.sections == 3

    pdf = pikepdf.open(io.BytesIO(joined))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang).startswith("en")
    assert root.ViewerPreferences.DisplayDocTitle is True
    structure = root.StructTreeRoot
    assert len(list(structure.K)) == 1, "one structure tree, under one Document element"

    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    nums = list(structure.ParentTree.Nums)
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(pdf.pages):
        key = int(page.obj.StructParents)
        assert key in parent_tree, f"page {number + 1} has no ParentTree entry"
        elements = [e for e in parent_tree[key] if isinstance(e, pikepdf.Dictionary)]
        assert elements and all(pages[e.Pg.objgen] == number for e in elements if "/Pg" in e)
    assert int(structure.ParentTreeNextKey) > max(parent_tree)

    # Every part's headings, tables and paragraphs are in the tree, as in one pass.
    joined_kinds = _kinds(pdf)
    single_kinds = _kinds(pikepdf.open(io.BytesIO(single)))
    for kind in ("/H2", "/Table", "/TR", "/TH", "/TD"):
        assert joined_kinds[kind] == single_kinds[kind], kind

    def outline_of(document: pikepdf.Pdf) -> list[tuple[str, list[str]]]:
        with document.open_outline() as outline:
            return [(str(i.title), [str(c.title) for c in i.children]) for i in outline.root]

    # The same bookmarks as one pass: the sections under the report's title.
    assert outline_of(pdf) == outline_of(pikepdf.open(io.BytesIO(single)))
    assert sum("Objective" in title for title in outline_of(pdf)[0][1]) == 3

    with pdfplumber.open(io.BytesIO(joined)) as plumber:
        texts = [page.extract_text() or "" for page in plumber.pages]
    total = len(texts)
    assert f"Page 1 of {total}" in texts[0] and f"Page {total} of {total}" in texts[-1]
