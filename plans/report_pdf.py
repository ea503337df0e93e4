"""PDF of a plan report: WeasyPrint (through compact.platform.pdf's fenced fetcher), in parallel.

The report template marks its independent sections (one per objective) with
:data:`SECTION_MARK`. Small documents are rendered in one pass, with "Page X of Y" from CSS
counters. Large ones are split at the marks, each section is rendered by a child process
(they receive HTML strings and only run WeasyPrint: no database in the children), the parts are
joined with their structure trees (compact.platform.pdf.merge, so the PDF stays tagged), and
"Page X of Y" and the running header are stamped on the merged pages, because no child knows
how many pages the others will make (and the header names the update). In that path each
objective starts a page (it is a document of its own); in one pass the objectives flow on.
Sections are kept by a key of their exact HTML (compact.platform.pdf.sections): the next
update's PDF, or the draft's, renders only the objectives whose HTML changed.
"""

from __future__ import annotations

import io
import logging
import os
import resource
from dataclasses import dataclass

from django.templatetags.static import static

from compact.platform.pdf import html_to_pdf
from compact.platform.pdf.languages import numbered_by_caller
from compact.platform.pdf.sections import sectioned_pdf, without_running_header

logger = logging.getLogger(__name__)

SECTION_MARK = "<!--compact:section-->"
SECTIONS_END_MARK = "<!--compact:sections-end-->"
# In the parallel path the pages are numbered by stamping; this stylesheet hides the CSS one.
STAMPED_CSS = "css/plans-pdf-stamped.css"
# Below this many characters of HTML, forking costs more than it saves.
PARALLEL_MIN_CHARS = 120_000
# pdf.css's landscape page: top margin and side margins (mm), where the running header is drawn.
HEADER_BOX = (18.0, 12.0)


@dataclass(frozen=True)
class RenderStats:
    pages: int
    sections: int
    parallel: bool
    workers: int
    child_peak_rss_mib: float  # largest child's resident set (getrusage RUSAGE_CHILDREN)
    rendered: int = 0  # sections rendered now (the others came from the kept sections)
    reused: int = 0


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
        return pdf, RenderStats(_count_pages(pdf), len(sections), False, 1, 0.0, 1, 0)
    stamped_link = f'<link rel="stylesheet" href="{static(STAMPED_CSS)}">'
    head = head.replace("</head>", stamped_link + "</head>", 1)
    head, header = without_running_header(head)
    documents = [head + section + tail for section in sections]
    count = workers or _worker_count(len(documents))
    # Forked workers inherit Django's settings (the fetcher needs the static finders) and
    # WeasyPrint already imported, and touch no database; all of them within one time limit.
    # One tagged document (PDF/UA): the structure trees of the parts are joined, not dropped.
    made = sectioned_pdf(
        documents,
        workers=count,
        header_html=header,
        header_box_mm=HEADER_BOX,
        # A version of a bilingual report: the join numbers its pages.
        numbered=not numbered_by_caller(),
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    logger.info(
        "Report PDF: %d sections rendered, %d kept ones reused, %d pages",
        made.stats.rendered, made.stats.reused, made.pages,
    )  # fmt: skip
    return made.pdf, RenderStats(
        made.pages, len(sections), True, count, round(peak_kib / 1024, 1),
        made.stats.rendered, made.stats.reused,
    )  # fmt: skip
