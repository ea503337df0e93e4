"""Benchmark of the search box on the benchmark's plan (2,400 rows, 30 issued updates; see
test_plans_bench.py): a word found in many rows and a word found in none, as a Board member
(issued updates) and as an officer (also the draft), against the update report page of the
same plan in the same run.

Run: ``.venv/bin/pytest --bench tests/bench/test_search_bench.py -s`` (or ``make bench``).
Target (issue 16): results within 200 ms.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from tests.bench.test_plans_bench import best_ms, build_plan
from tests.queries import request_queries


@pytest.mark.django_db
def test_search_benchmark(world: Any, client_for: Any, bench_record: Any) -> None:
    plan, updates = build_plan(world)
    url = reverse("compact:search")
    figures: dict[str, Any] = {}
    for role in ("board", "officer"):
        client = client_for(role)
        for label, words in (("common", "papers circulated"), ("rare", "zzyzx")):
            client.get(url, {"q": words})
            with request_queries() as queries:
                response = client.get(url, {"q": words})
            assert response.status_code == 200
            figures[f"search_{role}_{label}_queries"] = len(queries.captured_queries)
            figures[f"search_{role}_{label}_ms"] = best_ms(
                lambda client=client, words=words: client.get(url, {"q": words})
            )
    report = reverse("plans:update_report", args=[plan.slug, updates[-1].number])
    board = client_for("board")
    board.get(report)
    report_ms = best_ms(lambda: board.get(report), repeat=3)
    bench_record(
        **figures,
        search_report_html_ms=report_ms,
        search_vs_report=round(figures["search_board_common_ms"] / max(report_ms, 0.1), 2),
        search_load_avg=[round(value, 2) for value in os.getloadavg()],
    )
