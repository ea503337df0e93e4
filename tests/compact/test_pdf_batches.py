"""Documents rendered in one batch (compact.platform.pdf._write_pdf_parts): each part is the
PDF its document makes on its own (pages, text, tags, named destinations), and what cannot be
batched is rendered alone."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from compact.platform.pdf import PART_ANCHOR, _write_pdf, _write_pdf_parts, batches, htmls_to_pdfs
from compact.platform.pdf import limits as pdf_limits

HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parts</title>'
    '<link rel="stylesheet" href="/static/css/pdf.css">'
    # Unnumbered, as the report's sections are (their join is numbered by stamping).
    '<link rel="stylesheet" href="/static/css/plans-pdf-stamped.css"></head>'
    '<body class="landscape">'
)
TAIL = "</body></html>"
# The second part runs over several pages: a part's pages must stay together.
BODIES = [
    '<h1 id="one">First</h1><table><caption>Rows</caption><tr><td>a &amp; b</td></tr></table>',
    '<h2 id="two">Second</h2>' + "".join(f"<p>Line {n} of the long part.</p>" for n in range(90)),
    '<h2 id="three">Third</h2><ul><li>one</li><li>two</li></ul>',
]
DOCUMENTS = [HEAD + body + TAIL for body in BODIES]


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_limits, "_guarded", True)  # as inside the time-limited child


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def structure(pdf: bytes) -> list[str]:
    document = pikepdf.open(io.BytesIO(pdf))
    found: list[str] = []
    stack = list(document.Root.StructTreeRoot.K)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            found.append(str(element.S))
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return sorted(found)


def destinations(pdf: bytes) -> set[str]:
    document = pikepdf.open(io.BytesIO(pdf))  # held: its objects live as long as it does
    names = document.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return set()
    return {str(name) for name in pikepdf.NameTree(names.Dests)}


def test_each_part_of_a_batch_is_its_document_alone(guarded: Any) -> None:
    parts = _write_pdf_parts(DOCUMENTS)
    alone = [_write_pdf(html) for html in DOCUMENTS]
    assert len(parts) == 3
    assert [len(texts(part)) for part in parts] == [len(texts(pdf)) for pdf in alone]
    assert len(texts(parts[1])) > 1
    assert destinations(alone[1]) == {"two"}  # the check below compares something
    for part, single in zip(parts, alone, strict=True):
        assert texts(part) == texts(single)
        assert structure(part) == structure(single)  # no trace of the part markers
        assert destinations(part) == destinations(single)
        assert not any(PART_ANCHOR in name for name in destinations(part))
        assert pikepdf.open(io.BytesIO(part)).Root.MarkInfo.Marked  # still tagged


def test_documents_with_another_frame_are_not_batched_with_the_rest(guarded: Any) -> None:
    titled = DOCUMENTS[0].replace("<title>Parts</title>", "<title>Cover</title>")
    documents = [titled, *DOCUMENTS[1:], *DOCUMENTS]
    assert batches(documents, workers=2) == [[0], [1, 2, 3], [4, 5]]
    assert batches(DOCUMENTS * 4, workers=2) == [list(range(6)), list(range(6, 12))]
    assert batches(["<p>no frame</p>", "<p>no frame</p>"], workers=1) == [[0], [1]]
    # A mixed call gives every document its own PDF, in order.
    mixed = _write_pdf_parts([titled, DOCUMENTS[1]])
    assert [texts(pdf) for pdf in mixed] == [
        texts(_write_pdf(titled)),
        texts(_write_pdf(DOCUMENTS[1])),
    ]


def test_parts_that_cannot_be_told_apart_are_rendered_alone(
    guarded: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A body that already holds a marker's name (our own templates never do): the batch's page
    # map is ambiguous, so each document is rendered on its own, with a warning.
    confusing = HEAD + f'<p id="{PART_ANCHOR}2">Too early</p>' + TAIL
    documents = [confusing, DOCUMENTS[1], DOCUMENTS[2]]
    parts = _write_pdf_parts(documents)
    assert [texts(part) for part in parts] == [texts(_write_pdf(html)) for html in documents]
    assert "could not be told apart" in caplog.text


def test_the_pool_renders_batches_in_order_and_only_when_asked() -> None:
    pdfs = htmls_to_pdfs(DOCUMENTS * 3, workers=2, together=True)
    assert [texts(pdf)[0].split()[0] for pdf in pdfs] == ["First", "Second", "Third"] * 3
    # By default each document alone: one that numbers its pages counts only its own.
    numbered = [html.replace("plans-pdf-stamped.css", "pdf.css") for html in DOCUMENTS]
    pdfs = htmls_to_pdfs(numbered, workers=2)
    assert texts(pdfs[2])[0].endswith("Page 1 of 1")


def test_a_long_join_is_numbered_in_chunks_rendered_while_it_joins(
    settings: Any, tmp_path: Any
) -> None:
    from compact.platform.pdf.merge import STAMP_PAGES_PER_CHUNK, number_chunks
    from compact.platform.pdf.sections import sectioned_pdf

    assert number_chunks(10, 2) == [range(10)]  # too few pages to share out
    assert number_chunks(2 * STAMP_PAGES_PER_CHUNK + 1, 2) == [range(41), range(41, 81)]
    assert number_chunks(0, 2) == [range(0)]
    settings.PDF_SECTION_CACHE_DIR = str(tmp_path / "kept")
    total = 2 * STAMP_PAGES_PER_CHUNK + 5
    documents = [HEAD + f"<p>Part {number}</p>" + TAIL for number in range(1, total + 1)]
    made = sectioned_pdf(documents, workers=2, header_html="Running &amp; head")
    pages = texts(made.pdf)
    assert made.pages == len(pages) == total
    for number, text in enumerate(pages, 1):
        assert f"Part {number}\n" in text + "\n"
        assert f"Page {number} of {total}" in text
        assert "Running & head" in text
    # Again: every part and both chunks of stamps come from the kept ones.
    again = sectioned_pdf(documents, workers=2, header_html="Running &amp; head")
    assert (again.stats.rendered, again.stats.reused, again.stats.stamps_reused) == (0, total, 3)
    assert texts(again.pdf) == pages
