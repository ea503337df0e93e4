"""The status quo as the anchor: LibreOffice converting our Word export of a large plan to PDF,
against our own first PDF of the same update, in one run (issue 18).

The plan is the seed's size times 20 (140 objectives; 140 x 4 tasks x 2 rows = 1,120 rows,
the seed's 1,020 rounded to whole tasks) with two issued updates, the second editing 10% of
the rows. Run: ``make bench`` (its set-up, scripts/install-bench-deps.sh, installs LibreOffice
Writer headless when missing); skipped with the reason when ``soffice`` is not there.

Keys: ``word_pdf_s`` (LibreOffice, wall clock, profile already warm), ``pdf_first_s`` (our
first PDF of the update: comparison, HTML, WeasyPrint in parallel children, merge, stored),
``pdf_first_vs_word`` (target <= 1.0), ``anchor_pdf_pages``, ``anchor_pdf_cpu_ms_per_page``
(children's CPU plus the parent's, per page), ``anchor_pdf_children_peak_mib``,
``anchor_pdf_parent_peak_mib`` (tracemalloc, the parent's Python heap), ``anchor_docx_s``,
``pdf_warm_up_s`` (loading WeasyPrint, which served workers do at start and the bench before
timing), ``anchor_rows`` and ``load_avg`` (1, 5, 15 minutes: the shared machine's load skews wall
clocks).

Then the next update (incremental PDFs): 10% of the rows edited, Update 3 issued, its PDF timed
with the first PDF's sections kept (``PDF_SECTION_CACHE_DIR``, empty at the start):
``pdf_next_s``, ``pdf_next_vs_word`` (target <= 0.25), ``pdf_next_sections_rendered`` /
``_reused``, ``pdf_next_cpu_ms_per_page``, ``pdf_next_parent_maxrss_mib`` (the parent's
peak resident set so far: an upper bound). And the officers' way: 10% more edited, the
draft's PDF made (as the "Make the PDF" button does), then Update 4 issued and its PDF timed:
``pdf_after_draft_s``, ``pdf_after_draft_vs_word``, ``pdf_after_draft_sections_rendered``.
"""

from __future__ import annotations

import io
import logging
import os
import resource
import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from compact.platform.pdf.limits import warm_up
from plans.report_docx import export_docx
from plans.report_files import draft_pdf
from plans.reports import update_comparison, update_report_pdf
from plans.synthetic import synthetic_plan_build, synthetic_rows_edit, synthetic_update_issue

OBJECTIVES, TASKS, ROWS = 140, 4, 2


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(binary: str, source: Path, out_dir: Path, profile: Path) -> float:
    """Seconds LibreOffice takes to turn ``source`` into a PDF in ``out_dir``."""
    start = time.perf_counter()
    subprocess.run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    assert (out_dir / (source.stem + ".pdf")).stat().st_size > 0
    return seconds


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.django_db
def test_first_pdf_against_libreoffice(
    world: Any, tmp_path: Path, settings: Any, bench_record: Any
) -> None:
    settings.PDF_SECTION_CACHE_DIR = str(tmp_path / "pdf-sections")  # nothing kept at the start
    settings.PDF_TIMEOUT_SECONDS = 900  # measured, not limited: the shared machine may be busy
    binary = soffice()
    if binary is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: run scripts/install-bench-deps.sh as root "
            "(Debian package libreoffice-writer-nogui) for the Word-to-PDF anchor."
        )
    plan, updates = synthetic_plan_build(
        compact=world.compact, slug="anchor-plan", objectives=OBJECTIVES, tasks=TASKS,
        rows=ROWS, updates=2, edit_share=0.10,
    )  # fmt: skip
    update = updates[-1]

    start = time.perf_counter()
    docx = export_docx(update_comparison(update), show_deletions=False)
    docx_s = time.perf_counter() - start
    source = tmp_path / "update.docx"
    source.write_bytes(docx)

    # LibreOffice's first start writes its profile: done once beforehand on a tiny file, as on
    # any machine that converts documents regularly.
    profile = tmp_path / "lo-profile"
    warm = tmp_path / "warm.txt"
    warm.write_text("warm up\n")
    convert(binary, warm, tmp_path, profile)
    word_pdf_s = convert(binary, source, tmp_path, profile)

    # Our first PDF of the same update (nothing cached), measured the same way: wall clock, in
    # a process that has loaded WeasyPrint as a served worker does at start (compact/wsgi.py).
    start = time.perf_counter()
    warm_up()
    warm_up_s = time.perf_counter() - start
    tracemalloc.start()
    comparison = update_comparison(update)
    _ = comparison.changes
    _current, parent_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    update.refresh_from_db()
    parent_cpu, children_cpu = (
        cpu_seconds(resource.RUSAGE_SELF),
        cpu_seconds(resource.RUSAGE_CHILDREN),
    )
    start = time.perf_counter()
    pdf = update_report_pdf(update)
    pdf_first_s = time.perf_counter() - start
    parent_cpu = cpu_seconds(resource.RUSAGE_SELF) - parent_cpu
    children_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children_cpu
    assert pdf.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    word_pages = len(PdfReader(tmp_path / "update.pdf").pages)

    bench_record(
        anchor_rows=OBJECTIVES * TASKS * ROWS,
        anchor_docx_s=round(docx_s, 2),
        pdf_warm_up_s=round(warm_up_s, 2),
        anchor_docx_bytes=len(docx),
        word_pdf_s=round(word_pdf_s, 2),
        word_pdf_pages=word_pages,
        pdf_first_s=round(pdf_first_s, 2),
        pdf_first_vs_word=round(pdf_first_s / word_pdf_s, 2),
        anchor_pdf_pages=pages,
        anchor_pdf_cpu_ms_per_page=round((parent_cpu + children_cpu) * 1000 / pages, 1),
        anchor_pdf_children_cpu_s=round(children_cpu, 2),
        anchor_pdf_parent_cpu_s=round(parent_cpu, 2),
        anchor_pdf_children_peak_mib=round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        anchor_changes_parent_peak_mib=round(parent_peak / 1024 / 1024, 1),
        load_avg=[round(value, 2) for value in os.getloadavg()],
    )

    # The next update: 10% of the rows edited; the first PDF's sections are kept.
    following = synthetic_update_issue(plan, edit_share=0.10, seed=5)
    timed = timed_pdf(lambda: update_report_pdf(following))
    bench_record(
        pdf_next_s=timed["seconds"],
        pdf_next_vs_word=round(timed["seconds"] / word_pdf_s, 2),
        pdf_next_pages=timed["pages"],
        pdf_next_sections_rendered=timed["rendered"],
        pdf_next_sections_reused=timed["reused"],
        pdf_next_cpu_ms_per_page=timed["cpu_ms_per_page"],
        pdf_next_parent_maxrss_mib=timed["parent_maxrss_mib"],
        load_avg_next=[round(value, 2) for value in os.getloadavg()],
    )

    # The officers' way: edits, the draft's PDF checked, then the update issued.
    synthetic_rows_edit(plan, edit_share=0.10, seed=6)
    draft_pdf(plan, "en")  # in the language asked for, as the "Make the PDF" task does
    after_draft = synthetic_update_issue(plan, edit_share=0.0)
    timed = timed_pdf(lambda: update_report_pdf(after_draft))
    bench_record(
        pdf_after_draft_s=timed["seconds"],
        pdf_after_draft_vs_word=round(timed["seconds"] / word_pdf_s, 2),
        pdf_after_draft_sections_rendered=timed["rendered"],
        pdf_after_draft_cpu_ms_per_page=timed["cpu_ms_per_page"],
    )


def timed_pdf(make: Any) -> dict[str, Any]:
    """Wall clock, CPU per page (parent and children) and section counts of one PDF."""
    records: list[Any] = []
    handler = _Collect(records)
    logger = logging.getLogger("plans.report_pdf")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    parent_cpu, children_cpu = (
        cpu_seconds(resource.RUSAGE_SELF),
        cpu_seconds(resource.RUSAGE_CHILDREN),
    )
    start = time.perf_counter()
    try:
        pdf = make()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(resource.RUSAGE_SELF) - parent_cpu
    cpu += cpu_seconds(resource.RUSAGE_CHILDREN) - children_cpu
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    rendered, reused = records[-1].args[:2] if records else (None, None)
    return {
        "seconds": round(seconds, 2),
        "pages": pages,
        "rendered": rendered,
        "reused": reused,
        "cpu_ms_per_page": round(cpu * 1000 / pages, 1),
        "parent_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


class _Collect(logging.Handler):
    """Keeps the report renderer's "N sections rendered, M reused" records."""

    def __init__(self, records: list[Any]) -> None:
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
