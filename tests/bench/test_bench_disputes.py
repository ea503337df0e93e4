"""Benchmark: the Board's monitoring report and the officers' list with many disputes."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import connections
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from disputes.models import Dispute, DisputeParty, StageRecord
from disputes.procedure import OPEN_STAGES, Stage, due_date
from disputes.selectors import monitoring_report
from tests.background_files import fetch_generated
from tests.disputes.factories import base_world
from tests.queries import request_queries

DISPUTES = 2000


def _many_disputes(dw: Any) -> None:
    today = timezone.localdate()
    stages = [*OPEN_STAGES, Stage.CLOSED]
    disputes = []
    for index in range(DISPUTES):
        stage = stages[index % len(stages)]
        raised = today - datetime.timedelta(days=index % 400)
        disputes.append(
            Dispute(
                subject=f"Bench {index}",
                raised_by=dw.people["raiser"],
                raised_by_organisation=dw.world.third_org,
                raised_on=raised,
                code=dw.code,
                commitment=dw.commitment if index % 2 else dw.other_commitment,
                what_happened="x",
                outcome_sought="y",
                stage=stage,
                closure="resolved" if stage == Stage.CLOSED else "",
                outcome="done" if stage == Stage.CLOSED else "",
                closed_on=today if stage == Stage.CLOSED else None,
            )
        )
    disputes = bulk_create_with_history(disputes, Dispute)
    disputes = list(Dispute.objects.order_by("pk"))
    parties, records = [], []
    for dispute in disputes:
        parties.append(
            DisputeParty(dispute=dispute, organisation=dw.world.third_org, role="raising")
        )
        parties.append(
            DisputeParty(dispute=dispute, organisation=dw.concerned_org, role="concerned")
        )
        records.append(
            StageRecord(
                dispute=dispute,
                stage=dispute.stage,
                started_on=dispute.raised_on,
                due_on=due_date(dispute.stage, dispute.raised_on),
                reason="bench",
            )
        )
    bulk_create_with_history(parties, DisputeParty)
    bulk_create_with_history(records, StageRecord)


def test_bench_disputes_report_and_list(world: Any, client: Any, bench_record: Any) -> None:
    dw = base_world(world)
    _many_disputes(dw)
    connections["default"].queries_log.clear()  # a full log would hide the counts below

    start = time.perf_counter()
    with request_queries() as report_queries:
        report = monitoring_report()
    report_ms = (time.perf_counter() - start) * 1000
    report_query_count = len(report_queries)
    assert report.total == DISPUTES

    client.force_login(world.users["officer"])
    client.get(reverse("disputes:list"))  # warm up templates
    connections["default"].queries_log.clear()
    start = time.perf_counter()
    with request_queries() as list_queries:
        response = client.get(reverse("disputes:list"))
    list_ms = (time.perf_counter() - start) * 1000
    list_query_count = len(list_queries)
    assert response.status_code == 200

    client.force_login(world.users["board"])
    start = time.perf_counter()
    # The PDF is made by a background task (run inline here) and then downloaded.
    pdf = fetch_generated(client, reverse("disputes:report_pdf"))
    pdf_ms = (time.perf_counter() - start) * 1000
    assert pdf.startswith(b"%PDF")

    bench_record(
        disputes_count=DISPUTES,
        disputes_report_ms=round(report_ms, 1),
        disputes_report_queries=report_query_count,
        disputes_list_ms=round(list_ms, 1),
        disputes_list_queries=list_query_count,
        disputes_report_pdf_ms=round(pdf_ms, 1),
    )
