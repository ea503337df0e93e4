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
from simple_history.utils import bulk_create_with_history

from compact.demo import DEMO_DATA_DIR
from plans import services
from plans.models import ImplementationPlan, Objective, Outcome, Task
from tests.queries import request_queries

OBJECTIVES, TASKS, ROWS = 20, 40, 3


def _big_plan(world: Any) -> ImplementationPlan:
    plan = ImplementationPlan.objects.create(
        compact=world.compact, title="Bench plan", slug="bench-plan", period="2008-2011"
    )
    bulk_create_with_history(
        [
            Objective(plan=plan, number=n, statement=f"Statement {n}", order=n)
            for n in range(1, OBJECTIVES + 1)
        ],
        Objective,
    )
    objectives = list(Objective.objects.filter(plan=plan).order_by("order"))
    bulk_create_with_history(
        [
            Task(
                plan=plan, objective=objective, description=f"Task {objective.number}.{t}", order=t
            )
            for objective in objectives
            for t in range(TASKS)
        ],
        Task,
    )
    bulk_create_with_history(
        [
            Outcome(
                plan=plan,
                task=task,
                outcome=f"Outcome {task.pk}.{r}",
                timescale="Sept 09",
                responsibility="TVA",
                progress="Meetings held in Feb and July 08",
                status=Outcome.Status.IN_PROGRESS,
                order=r,
            )
            for task in Task.objects.filter(plan=plan)
            for r in range(ROWS)
        ],
        Outcome,
    )
    return plan


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
    plan = _big_plan(world)
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
