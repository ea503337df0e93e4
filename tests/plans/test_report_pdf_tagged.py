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
from tests.plans.factories import edit_progress, first_row, issue, make_plan

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


def _unembedded_fonts(pdf: pikepdf.Pdf) -> list[str]:
    missing = []
    for obj in pdf.objects:
        is_descriptor = (
            isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor
        )
        if is_descriptor and not any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(obj.get("/FontName")))
        if (
            isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Type") == pikepdf.Name.Font
            and obj.get("/Subtype") in (pikepdf.Name.Type1, pikepdf.Name.TrueType)
            and "/FontDescriptor" not in obj
        ):
            missing.append(str(obj.get("/BaseFont")))
    return missing


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

    assert not _unembedded_fonts(pdf), "PDF/UA: every font embedded, artifacts included"

    with pdfplumber.open(io.BytesIO(joined)) as plumber:
        texts = [page.extract_text() or "" for page in plumber.pages]
    total = len(texts)
    assert f"Page 1 of {total}" in texts[0] and f"Page {total} of {total}" in texts[-1]


def test_a_board_pack_of_our_papers_and_an_upload_stays_one_tagged_document(
    world: Any, settings: Any, tmp_path: Any
) -> None:
    from compact.papers.boardpack import build_pack_pdf, pack_contents
    from compact.services.meetings import agenda_item_add, paper_upload, paper_write
    from tests.compact.factories import make_meeting, pdf_upload, tiny_pdf

    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(world.board)
    written = agenda_item_add(meeting=meeting, title="Written paper")
    paper_write(item=written, title="Written", text="A paper the officer wrote.")
    uploaded = agenda_item_add(meeting=meeting, title="Uploaded paper")
    paper_upload(item=uploaded, upload=pdf_upload("p.pdf", tiny_pdf("Uploaded", 2)))

    built = build_pack_pdf(pack_contents(meeting))
    pdf = pikepdf.open(io.BytesIO(built.pdf))
    assert pdf.Root.MarkInfo.Marked is True and len(list(pdf.Root.StructTreeRoot.K)) == 1
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    tagged = [page for page in pdf.pages if "/StructParents" in page.obj]
    # Every page we rendered is in the one tree (an untagged upload would bring pages only).
    assert len(tagged) >= len(pdf.pages) - 2 and len(pdf.pages) == built.pages
    assert all(int(page.obj.StructParents) in keys for page in tagged)
    with pdf.open_outline() as outline:
        titles = [str(item.title) for item in outline.root]
    assert titles[:2] == ["Cover", "Agenda"]
    assert not _unembedded_fonts(pdf)
    with pdfplumber.open(io.BytesIO(built.pdf)) as plumber:
        last = plumber.pages[-1].extract_text() or ""
    assert f"Page {built.pages} of {built.pages}" in last


def test_an_untagged_upload_brings_its_pages_and_nothing_else(report_html: str) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject

    from compact.platform.pdf.merge import merge_tagged

    tagged, _ = report_html_to_pdf(report_html, parallel=False)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.pages[0][NameObject("/StructParents")] = NumberObject(0)  # a stray, treeless number
    blank = io.BytesIO()
    writer.write(blank)

    merged = merge_tagged([tagged, blank.getvalue()])
    assert len(merged.pages) == len(pikepdf.open(io.BytesIO(tagged)).pages) + 1
    assert "/StructParents" not in merged.pages[-1].obj  # pointed into no tree of ours
    assert merged.Root.MarkInfo.Marked is True


def test_a_saved_join_packs_its_objects_and_reads_back_whole(report_html: str) -> None:
    from compact.platform.pdf.merge import merge_tagged, saved

    parts = [report_html_to_pdf(report_html, parallel=False)[0] for _ in range(3)]
    # Parts given as documents already opened join as parts given as bytes.
    from_bytes = merge_tagged(parts)
    from_documents = merge_tagged([pikepdf.open(io.BytesIO(part)) for part in parts])
    assert len(from_documents.pages) == len(from_bytes.pages) == 3 * len(pikepdf.open(
        io.BytesIO(parts[0])).pages)  # fmt: skip
    assert _kinds(from_documents) == _kinds(from_bytes)

    packed = saved(from_bytes)
    kept_as_they_were = io.BytesIO()
    from_bytes.save(kept_as_they_were)
    assert b"/ObjStm" in packed
    assert len(packed) < len(kept_as_they_were.getvalue())
    again = pikepdf.open(io.BytesIO(packed))
    assert again.check_pdf_syntax() == []
    assert len(again.pages) == len(from_bytes.pages)
    assert _kinds(again) == _kinds(from_bytes)
    assert again.Root.MarkInfo.Marked is True
