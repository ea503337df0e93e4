"""Benchmark: the register, the compliance matrix and its PDF paper with 200 partnerships."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse

from partnerships.models import ComplianceCheck, ThirdSectorPlace
from partnerships.papers import matrix_pdf
from tests.partnerships.factories import code_commitments, make_check, make_partnership, make_place
from tests.queries import request_queries

COUNT = 200


def test_register_and_matrix_with_200_partnerships(
    world: Any, client_for: Any, bench_record: Any
) -> None:
    commitments = list(code_commitments(world.compact).values())
    for index in range(COUNT):
        partnership = make_partnership(world.compact, f"Partnership {index:03d}")
        make_place(partnership, number_of_places=2)
        make_place(partnership, kind=ThirdSectorPlace.Kind.VAMT_STAFF)
        for commitment in commitments[: index % 6]:
            make_check(partnership, commitment, ComplianceCheck.Status.MET)
    client = client_for("board")
    client.get(reverse("partnerships:list"))
    figures: dict[str, Any] = {}
    for key, url in (
        ("list", reverse("partnerships:list")),
        ("matrix", reverse("partnerships:matrix")),
    ):
        with request_queries() as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200
        figures[f"partnerships_{key}_200_ms"] = round(elapsed * 1000, 1)
        figures[f"partnerships_{key}_200_queries"] = len(queries.captured_queries)
    started = time.perf_counter()
    pdf = matrix_pdf()
    figures["partnerships_matrix_pdf_200_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["partnerships_matrix_pdf_200_bytes"] = len(pdf)
    bench_record(**figures)
