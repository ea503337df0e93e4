"""Two officers saving the same row at the same moment: one wins, the other gets a conflict.
Real concurrent transactions need a server database, so this runs on PostgreSQL only."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from plans import services
from plans.models import Outcome
from tests.plans.factories import make_objective, make_plan, make_row, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_saves_of_one_row_lose_nothing(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    row = make_row(make_task(make_objective(make_plan(world, objectives=0))), progress="Original")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(words: str) -> None:
        try:
            barrier.wait()
            services.outcome_update(
                outcome=row, expected_version=1, data={"progress": words}, actor=None
            )
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(words,)) for words in ("Alys", "Iolo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    saved = Outcome.objects.get(pk=row.pk)
    assert saved.version == 2
    assert saved.history.filter(history_type="~").count() == 1


def test_issuing_waits_for_an_edit_in_flight_so_the_update_stays_frozen(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    import datetime
    import time

    from django.db import transaction

    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), progress="Original")
    saved_not_committed = threading.Event()
    events: list[str] = []
    issued: list[Any] = []

    def edit() -> None:
        try:
            with transaction.atomic():
                services.outcome_update(
                    outcome=row, expected_version=1, data={"progress": "Edited"}, actor=None
                )
                saved_not_committed.set()
                time.sleep(0.5)
            events.append("edit committed")
        finally:
            connections.close_all()

    def issue() -> None:
        try:
            saved_not_committed.wait()
            issued.append(
                services.plan_update_issue(plan=plan, actor=None, date=datetime.date(2009, 1, 26))
            )
            events.append("update issued")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit), threading.Thread(target=issue)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert events == ["edit committed", "update issued"]
    assert row.history.as_of(issued[0].issued_at).progress == "Edited"
