"""Benchmark of change reports on a synthetic plan: 20 objectives x 40 tasks x 3 rows (2,400
rows) with 30 issued updates, each editing about 10% of the rows.

Run: ``.venv/bin/pytest --bench tests/bench/test_plans_bench.py -s`` (or ``make bench``).
Figures go to var/bench.json. History is written with simple-history's bulk helpers (they
write the history rows too); nothing uses QuerySet.update().
"""

from __future__ import annotations

import gc
import os
import resource
import time
import tracemalloc
from typing import Any

import pytest
from django.core.cache import caches
from django.urls import reverse

from plans.diffing import compare_snapshots
from plans.models import ImplementationPlan, Outcome, PlanUpdate, UpdateSnapshot
from plans.reports import render_report_html, render_report_pdf, update_comparison
from plans.selectors.reports import (
    _snapshots_at,
    _stored_blobs,
    issued_snapshot_pair,
    plan_changes,
)
from plans.services import snapshots_store
from plans.synthetic import synthetic_plan_build
from tests.naive_plan_history import plan_changes_naive
from tests.queries import request_queries

OBJECTIVES, TASKS, ROWS, UPDATES = 20, 40, 3, 30
EDIT_SHARE = 0.10


def build_plan(world: Any) -> tuple[ImplementationPlan, list[PlanUpdate]]:
    return synthetic_plan_build(
        compact=world.compact,
        slug="bench-plan",
        objectives=OBJECTIVES,
        tasks=TASKS,
        rows=ROWS,
        updates=UPDATES,
        edit_share=EDIT_SHARE,
    )


def best_ms(function: Any, repeat: int = 5, clock: Any = time.perf_counter) -> float:
    """The best of a few runs: wall clock by default; ``time.process_time`` gives this
    process's CPU time, which the other jobs on a shared machine do not inflate as much."""
    timings = []
    for _ in range(repeat):
        start = clock()
        function()
        timings.append((clock() - start) * 1000)
    return round(min(timings), 1)


@pytest.mark.django_db
def test_plan_report_benchmark(world: Any, client_for: Any, bench_record: Any) -> None:
    plan, updates = build_plan(world)
    since, until = updates[-2], updates[-1]
    assert Outcome.objects.filter(plan=plan).count() == OBJECTIVES * TASKS * ROWS

    # What the report of Update N does: find Update N-1, read both stored snapshots (nothing
    # is kept in memory between calls), compare.
    def report_changes() -> Any:
        return update_comparison(until).changes

    with request_queries() as queries:
        report_changes()
    changes_queries = len(queries.captured_queries)
    # A served worker has frozen what it loaded at start-up out of the cyclic collector's
    # passes (compact/wsgi.py); here the test process's long-lived heap (pytest, Django, the
    # built plan) takes its place. Both figures in the same run: frozen is what readers get.
    changes_unfrozen_ms = best_ms(report_changes, repeat=20)
    gc.collect()
    gc.freeze()
    changes_ms = best_ms(report_changes, repeat=20)
    changes_cpu_ms = best_ms(report_changes, repeat=20, clock=time.process_time)
    # The floor: reading the stored snapshot's bytes (one query), in the same run; and the
    # parts of changes_ms: read and decode the pair, then compare.
    changes_read_ms = best_ms(lambda: _stored_blobs([until.pk]), repeat=10)
    changes_decode_ms = best_ms(lambda: issued_snapshot_pair(plan, since, until))
    pair = issued_snapshot_pair(plan, since, until)
    changes_compare_ms = best_ms(lambda: compare_snapshots(*pair))
    frozen_objects = gc.get_freeze_count()
    gc.unfreeze()

    changes = plan_changes(plan=plan, since=since, until=until)
    assert changes.row_counts.changed == int(OBJECTIVES * TASKS * ROWS * EDIT_SHARE)
    # The same from the history tables (the way before snapshots were stored) and the first
    # report of updates whose snapshots are not stored (rebuilt from history; a read stores
    # nothing, so they are stored again afterwards, as ``manage.py store_snapshots`` would).
    changes_history_ms = best_ms(
        lambda: compare_snapshots(*_snapshots_at(plan, [since.issued_at, until.issued_at]))
    )
    UpdateSnapshot.objects.filter(update__in=[since, until]).delete()
    start = time.perf_counter()
    assert report_changes().row_counts == changes.row_counts
    changes_first_ms = round((time.perf_counter() - start) * 1000, 1)
    snapshots_store(plan, [since, until])

    start = time.perf_counter()
    naive = plan_changes_naive(plan=plan, since=since, until=until)
    changes_naive_ms = round((time.perf_counter() - start) * 1000, 1)
    assert naive.row_counts == changes.row_counts

    client = client_for("board")
    url = reverse("plans:update_report", args=[plan.slug, until.number])
    client.get(url)  # warm the template cache
    with request_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    # captured_queries slices the live log: count now, before later requests clear it.
    report_queries = len(queries.captured_queries)
    report_html_ms = best_ms(lambda: client.get(url), repeat=3)
    report_html_cpu_ms = best_ms(lambda: client.get(url), repeat=3, clock=time.process_time)
    # The figures above read the legend and tables from the cache (an issued report is
    # rendered once per language); this is the first reader's cost, snapshots read and the
    # page rendered afresh (called directly: the test client's template instrumentation
    # would add its own cost to a 1.2 MB page).
    report_html_uncached_ms = best_ms(
        lambda: (caches["default"].clear(), render_report_html(update_comparison(until))), 3
    )

    # The parent builds the HTML (its Python heap measured with tracemalloc, stopped before
    # the children fork so they are not slowed by tracing); the children only run WeasyPrint
    # (their peak resident set from getrusage(RUSAGE_CHILDREN)).
    tracemalloc.start()
    comparison = update_comparison(until)
    html = render_report_html(comparison, for_pdf=True)
    _current, parent_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del html
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    pdf, stats = render_report_pdf(comparison)
    report_pdf_s = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu_s = (cpu_after.ru_utime + cpu_after.ru_stime) - (
        cpu_before.ru_utime + cpu_before.ru_stime
    )
    children_peak_kib = cpu_after.ru_maxrss

    pdf_url = reverse("plans:update_report_pdf", args=[plan.slug, until.number])
    first = client.get(pdf_url)  # renders and caches
    assert first.status_code == 200
    cached_ms = best_ms(lambda: client.get(pdf_url), repeat=5)
    assert client.get(pdf_url).content == first.content

    bench_record(
        rows=OBJECTIVES * TASKS * ROWS,
        updates=UPDATES,
        changes_ms=changes_ms,
        changes_unfrozen_ms=changes_unfrozen_ms,
        gc_frozen_objects=frozen_objects,
        changes_naive_ms=changes_naive_ms,
        changes_queries=changes_queries,
        changes_history_ms=changes_history_ms,
        changes_first_ms=changes_first_ms,
        changes_speedup=round(changes_naive_ms / changes_ms, 1),
        changes_read_ms=changes_read_ms,
        changes_vs_read=round(changes_ms / max(changes_read_ms, 0.05), 1),
        changes_decode_ms=changes_decode_ms,
        changes_compare_ms=changes_compare_ms,
        load_avg=[round(value, 2) for value in os.getloadavg()],
        report_html_ms=report_html_ms,
        report_html_cpu_ms=report_html_cpu_ms,
        report_html_uncached_ms=report_html_uncached_ms,
        changes_cpu_ms=changes_cpu_ms,
        report_pdf_children_cpu_ms_per_page=round(children_cpu_s * 1000 / stats.pages, 1),
        report_queries=report_queries,
        report_pdf_s=round(report_pdf_s, 2),
        report_pdf_pages=stats.pages,
        report_pdf_ms_per_page=round(report_pdf_s * 1000 / stats.pages, 1),
        report_pdf_workers=stats.workers,
        report_pdf_parallel=stats.parallel,
        report_pdf_bytes=len(pdf),
        report_pdf_peak_mib=round(max(children_peak_kib / 1024, stats.child_peak_rss_mib), 1),
        report_pdf_parent_peak_mib=round(parent_peak / 1024 / 1024, 1),
        report_pdf_children_cpu_s=round(children_cpu_s, 2),
        load_average_1min=round(os.getloadavg()[0], 1),
        report_pdf_cached_ms=cached_ms,
    )
