"""Benchmark of the live plan editor on a large plan (20 objectives x 40 tasks x 3 rows):
the officers' plan page, the filtered rows list, one row save, and importing the seed.
Keys are prefixed ``edit_`` so they sit beside the reports' figures in var/bench.json."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from compact.demo import DEMO_DATA_DIR
from plans import services
from plans.models import Outcome
from tests.plans.factories import make_large_plan
from tests.queries import request_queries

OBJECTIVES, TASKS, ROWS = 20, 40, 3


def _timed_get(client: Any, url: str, repeat: int = 3) -> tuple[float, int]:
    client.get(url)
    best = float("inf")
    queries = 0
    for _ in range(repeat):
        with request_queries() as captured:
            start = time.perf_counter()
            response = client.get(url)
            best = min(best, time.perf_counter() - start)
        assert response.status_code == 200
        queries = len(captured.captured_queries)
    return best * 1000, queries


@pytest.mark.django_db
def test_bench_plan_editor(
    world: Any, client_for: Any, bench_record: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_large_plan(world, objectives=OBJECTIVES, tasks=TASKS, rows=ROWS, slug="bench-plan")
    client = client_for("officer")
    # The editor pages a long plan by objective; the whole plan at once for comparison.
    page_ms, page_queries = _timed_get(client, reverse("plans:plan_detail", args=[plan.slug]))
    monkeypatch.setattr("plans.views.plans.EDITOR_PAGE_ROWS", 10**6)
    whole_ms, _ = _timed_get(client, reverse("plans:plan_detail", args=[plan.slug]), repeat=1)
    monkeypatch.undo()
    rows_ms, rows_queries = _timed_get(
        client, reverse("plans:plan_rows", args=[plan.slug]) + "?organisation=&status=in_progress"
    )
    row = Outcome.objects.filter(plan=plan).first()
    start = time.perf_counter()
    for version in range(1, 11):
        services.outcome_update(
            outcome=row,
            expected_version=version,
            data={"progress": f"Progress {version}"},
            actor=world.users["officer"],
            reason="bench",
        )
    save_ms = (time.perf_counter() - start) * 1000 / 10
    start = time.perf_counter()
    call_command(
        "import_plan",
        str(DEMO_DATA_DIR / "implementation-plan-update-4.txt"),
        "--plan",
        "bench-seed",
        stdout=io.StringIO(),
    )
    import_ms = (time.perf_counter() - start) * 1000
    bench_record(
        edit_rows=Outcome.objects.filter(plan=plan).count(),
        edit_plan_page_ms=round(page_ms, 1),
        edit_plan_page_queries=page_queries,
        edit_whole_plan_page_ms=round(whole_ms, 1),
        edit_rows_list_ms=round(rows_ms, 1),
        edit_rows_list_queries=rows_queries,
        edit_row_save_ms=round(save_ms, 2),
        edit_import_seed_ms=round(import_ms, 1),
    )
