"""Representatives' report and round pages with many places and appointments: time and query
counts stay flat."""

from __future__ import annotations

import time

from django.urls import reverse

from partnerships.models import Partnership, ThirdSectorPlace
from representatives.models import Appointment, Nomination, SelectionRound
from representatives.papers import render_report_pdf
from tests.queries import request_queries
from tests.representatives.factories import conduct_version, person

PLACES = 60


def _bulk_world(world):
    """PLACES places, each filled by a completed round (rows written directly: this measures
    reading, not the state machine)."""
    conduct_version(world)
    for number in range(PLACES):
        partnership = Partnership.objects.create(
            compact=world.compact,
            name=f"Bench partnership {number}",
            slug=f"bench-{number}",
            type=Partnership.Type.STRATEGIC,
        )
        place = ThirdSectorPlace.objects.create(partnership=partnership, kind="elected")
        holder = person(world, f"Holder {number}")
        r = SelectionRound.objects.create(place=place, status=SelectionRound.Status.COMPLETED)
        n = Nomination.objects.create(
            round=r,
            person=holder,
            nominated_by="x",
            received_on="2025-01-01",
            eligible=True,
            elected=True,
        )
        Appointment.objects.create(
            person=holder,
            place=place,
            partnership=partnership,
            round=r,
            nomination=n,
            term_start="2025-01-01",
            term_end="2027-01-01",
        )


def test_bench_representatives_report(world, client, bench_record):
    _bulk_world(world)
    client.force_login(world.users["officer"])
    started = time.perf_counter()
    with request_queries() as queries:
        response = client.get(reverse("representatives:report"))
    html_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    started = time.perf_counter()
    pdf = render_report_pdf()
    pdf_ms = (time.perf_counter() - started) * 1000
    assert pdf.startswith(b"%PDF")
    with request_queries() as list_queries:
        client.get(reverse("representatives:appointment_list"))
    bench_record(
        representatives_report_places=PLACES,
        representatives_report_html_ms=round(html_ms, 1),
        representatives_report_queries=len(queries),
        representatives_report_pdf_ms=round(pdf_ms, 1),
        representatives_appointment_list_queries=len(list_queries),
    )
