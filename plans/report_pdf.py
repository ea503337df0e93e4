"""PDF of a plan report: WeasyPrint (through compact.pdf's fenced fetcher), in parallel.

The report template marks its independent sections (one per objective) with
:data:`SECTION_MARK`. Small documents are rendered in one pass, with "Page X of Y" from CSS
counters. Large ones are split at the marks, each section is rendered by a child process
(they receive HTML strings and only run WeasyPrint: no database in the children), the parts are
merged with pypdf, and "Page X of Y" is stamped on the merged pages, because no child knows
how many pages the others will make. In that path each objective starts a page (it is a
document of its own); in one pass the objectives flow on.
"""

from __future__ import annotations

import io
import os
import resource
from dataclasses import dataclass

from django.templatetags.static import static

from compact.pdf import html_to_pdf, htmls_to_pdfs

SECTION_MARK = "<!--compact:section-->"
SECTIONS_END_MARK = "<!--compact:sections-end-->"
# In the parallel path the pages are numbered by stamping; this stylesheet hides the CSS one.
STAMPED_CSS = "css/plans-pdf-stamped.css"
# Below this many characters of HTML, forking costs more than it saves.
PARALLEL_MIN_CHARS = 120_000


@dataclass(frozen=True)
class RenderStats:
    pages: int
    sections: int
    parallel: bool
    workers: int
    child_peak_rss_mib: float  # largest child's resident set (getrusage RUSAGE_CHILDREN)


def split_sections(html: str) -> tuple[str, list[str], str]:
    """Split report HTML into the part before the sections, the sections, and the tail."""
    head, _, rest = html.partition(SECTION_MARK)
    if not rest:
        return html, [], ""
    body, _, tail = rest.partition(SECTIONS_END_MARK)
    sections = body.split(SECTION_MARK)
    return head, sections, tail


def _worker_count(sections: int) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(sections, available))


def _stamp_page_numbers(writer: object, label: str = "Page {page} of {pages}") -> None:
    """Write "Page X of Y" in the bottom-right margin of every page of a pypdf writer."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    pages = writer.pages  # type: ignore[attr-defined]
    total = len(pages)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    font_ref = writer._add_object(font)  # type: ignore[attr-defined]
    save = DecodedStreamObject()
    save.set_data(b"q\n")
    save_ref = writer._add_object(save)  # type: ignore[attr-defined]
    for number, page in enumerate(pages, start=1):
        width = float(page.mediabox.width)
        text = label.format(page=number, pages=total).encode("latin-1")
        # Helvetica digits and most letters are ~0.5em wide: right-align near the margin.
        text_width = len(text) * 8 * 0.5
        x = width - 34 - text_width
        stamp = DecodedStreamObject()
        stamp.set_data(
            b"Q q BT /CTPageNo 8 Tf 0.2 0.2 0.2 rg %.2f 20 Td (%s) Tj ET Q\n" % (x, text)
        )
        stamp_ref = writer._add_object(stamp)  # type: ignore[attr-defined]
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject("/CTPageNo")] = font_ref
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        parts = list(existing) if isinstance(existing, ArrayObject) else [contents]
        # q ... Q around the page's own drawing, so its transforms cannot move the stamp.
        page[NameObject("/Contents")] = ArrayObject([save_ref, *parts, stamp_ref])


def merge_and_number(parts: list[bytes]) -> tuple[bytes, int]:
    """Concatenate PDFs and number every page "Page X of Y"."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    _stamp_page_numbers(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), len(writer.pages)


def _count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def report_html_to_pdf(
    html: str, *, parallel: bool | None = None, workers: int | None = None
) -> tuple[bytes, RenderStats]:
    """Render a report's HTML to PDF, in parallel sections when it is big enough.

    ``parallel``: None decides by size; True/False forces a path (tests, benchmarks)."""
    head, sections, tail = split_sections(html)
    if parallel is None:
        parallel = len(sections) > 1 and len(html) >= PARALLEL_MIN_CHARS
    if not parallel or len(sections) < 2:
        pdf = html_to_pdf(html)
        return pdf, RenderStats(_count_pages(pdf), len(sections), False, 1, 0.0)
    stamped_link = f'<link rel="stylesheet" href="{static(STAMPED_CSS)}">'
    head = head.replace("</head>", stamped_link + "</head>", 1)
    documents = [head + section + tail for section in sections]
    count = workers or _worker_count(len(documents))
    # Forked workers inherit Django's settings (the fetcher needs the static finders) and
    # WeasyPrint already imported, and touch no database; all of them within one time limit.
    parts = htmls_to_pdfs(documents, workers=count)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pdf, pages = merge_and_number(parts)
    return pdf, RenderStats(pages, len(sections), True, count, round(peak_kib / 1024, 1))
