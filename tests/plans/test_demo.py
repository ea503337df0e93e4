"""The demo plan: the seed loaded as Update 3 (November 2008) and Update 4 (26 January 2009)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from compact.demo import load_demo
from plans.demo import PLAN_SLUG, progress_as_at
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task


@pytest.fixture
def demo(db: Any) -> Any:
    return load_demo()


def test_demo_issues_update_3_and_update_4(demo: Any) -> None:
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    assert plan.title == "The Merthyr Tydfil Compact - Implementation Plan 2008-2011"
    updates = list(plan.updates.order_by("number").values_list("number", "date"))
    assert updates == [(3, datetime.date(2008, 11, 30)), (4, datetime.date(2009, 1, 26))]
    assert Objective.objects.filter(plan=plan).count() == 7
    # The seed's 51 rows, with "Circulate the Compact document" split into its six outcomes.
    assert Outcome.objects.filter(plan=plan).count() == 56
    officer = demo.users["officer"]
    assert set(plan.updates.values_list("issued_by", flat=True)) == {officer.pk}


def test_update_3_leaves_out_progress_written_after_november_2008(demo: Any) -> None:
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    update_3 = plan.updates.get(number=3)
    row = Outcome.objects.get(plan=plan, outcome__startswith="Develop and submit funding")
    assert "advertise post in Feb 09" in row.progress
    then = row.history.as_of(update_3.issued_at)
    assert then.progress == "Bid drafted and submitted for consideration on 11/11/08."
    changed = Outcome.history.filter(plan_id=plan.pk, history_type="~").count()
    assert changed == 3


def test_demo_links_responsibility_to_people_and_bodies(demo: Any) -> None:
    row = Outcome.objects.get(
        plan__slug=PLAN_SLUG, responsibility="VAMT (ID / AH)", timescale="According to programme"
    )
    assert set(row.responsible_people.values_list("initials", flat=True)) == {"ID", "AH"}
    assert set(row.responsible_organisations.values_list("short_name", flat=True)) == {"VAMT"}
    officers_group = Outcome.objects.filter(
        plan__slug=PLAN_SLUG, responsibility="Compact Officer Group"
    ).first()
    assert list(officers_group.responsible_bodies.values_list("slug", flat=True)) == [
        "officers-group"
    ]


def test_loading_the_demo_twice_changes_nothing(demo: Any) -> None:
    counts = (
        Outcome.history.count(),
        Task.history.count(),
        Objective.history.count(),
        PlanUpdate.objects.count(),
    )
    load_demo()
    assert counts == (
        Outcome.history.count(),
        Task.history.count(),
        Objective.history.count(),
        PlanUpdate.objects.count(),
    )


def test_progress_cut_off_keeps_lines_up_to_the_date() -> None:
    text = "Raised at Board in Sept 08.\n\nRequires action.\nFurther discussion at Feb 09 Board."
    assert progress_as_at(text, datetime.date(2008, 11, 30)) == (
        "Raised at Board in Sept 08.\n\nRequires action."
    )
