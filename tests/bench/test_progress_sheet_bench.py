"""Benchmark of the progress spreadsheet on a 2,400-row plan (20 objectives x 40 tasks x 3
rows): the Excel download, and an upload that changes every row's progress (the worst case:
every line goes through the row editor's service, with its history). The issue's target is
under 30 s for the import. Keys ``progress_export_s`` and ``progress_import_s``."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from plans.models import Outcome
from plans.selectors.progress import progress_sheet_file
from plans.services.progress import import_progress, read_sheet
from tests.plans.factories import make_large_plan

OBJECTIVES, TASKS, ROWS = 20, 40, 3


@pytest.mark.django_db
def test_bench_progress_spreadsheet(world: Any, bench_record: Any) -> None:
    plan = make_large_plan(world, objectives=OBJECTIVES, tasks=TASKS, rows=ROWS, slug="bench-plan")
    start = time.perf_counter()
    content = progress_sheet_file(plan, "xlsx").content
    export_s = time.perf_counter() - start
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    progress = [cell.value for cell in sheet[1]].index("Progress") + 1
    for line in range(2, sheet.max_row + 1):
        sheet.cell(row=line, column=progress).value = f"Progress for the Board, line {line}"
    output = io.BytesIO()
    book.save(output)
    upload = SimpleUploadedFile("progress.xlsx", output.getvalue())

    start = time.perf_counter()
    read_sheet(upload)  # the part of the import that reads the file
    read_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    result = import_progress(upload, plan, world.users["officer"], reason="bench")
    import_s, import_cpu_s = time.perf_counter() - start, time.process_time() - cpu

    rows = OBJECTIVES * TASKS * ROWS
    assert len(result.changes) == rows
    assert Outcome.objects.filter(plan=plan, version=2).count() == rows
    load = os.getloadavg()[0]
    bench_record(
        progress_rows=rows,
        progress_export_s=round(export_s, 2),
        progress_import_s=round(import_s, 2),
        progress_import_read_s=round(read_s, 2),
        progress_import_cpu_s=round(import_cpu_s, 2),
        progress_load_average=round(load, 2),
    )
    assert import_s < 30, f"importing {rows} rows took {import_s:.1f} s (load {load:.1f})"
