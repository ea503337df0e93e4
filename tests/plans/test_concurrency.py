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
    row = make_row(make_task(make_objective(make_plan(world))), progress="Original")
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
