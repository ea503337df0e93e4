"""The demo plan: the seed loaded as Update 3 (November 2008) and Update 4 (26 January 2009),
moved by whole months so that the story reads as current (compact.demo)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from compact.demo import demo_shift_months, load_demo, shift_date
from plans.demo import PLAN_SLUG, progress_as_at
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task
from plans.parsing import dates_mentioned, shift_dates_in_text


@pytest.fixture
def demo(db: Any) -> Any:
    return load_demo()


def months() -> int:
    return demo_shift_months(timezone.localdate())


def test_demo_issues_update_3_and_update_4(demo: Any) -> None:
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    assert plan.title == "The Merthyr Tydfil Compact - Implementation Plan 2008-2011"
    updates = list(plan.updates.order_by("number").values_list("number", "date"))
    assert updates == [
        (3, shift_date(datetime.date(2008, 11, 30), months())),
        (4, shift_date(datetime.date(2009, 1, 26), months())),
    ]
    assert Objective.objects.filter(plan=plan).count() == 7
    # The seed's 51 rows, with "Circulate the Compact document" split into its six outcomes.
    assert Outcome.objects.filter(plan=plan).count() == 56
    officer = demo.users["officer"]
    assert set(plan.updates.values_list("issued_by", flat=True)) == {officer.pk}


def test_update_3_leaves_out_progress_written_after_november_2008(demo: Any) -> None:
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    update_3 = plan.updates.get(number=3)
    row = Outcome.objects.get(plan=plan, outcome__startswith="Develop and submit funding")
    assert shift_dates_in_text("advertise post in Feb 09", months()) in row.progress
    then = row.history.as_of(update_3.issued_at)
    assert then.progress == shift_dates_in_text(
        "Bid drafted and submitted for consideration on 11/11/08.", months()
    )
    # The Welsh versions are edits of their own (plans.demo.add_welsh), not the blue text.
    changed = (
        Outcome.history.filter(plan_id=plan.pk, history_type="~")
        .exclude(history_change_reason="Demo: Welsh versions")
        .count()
    )
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


def test_shifting_the_plan_text_keeps_each_date_as_written() -> None:
    text = (
        "First meeting held in Dec 07; Sept 08 Board; by March 2009; 26th January 2009; "
        "submitted on 11/11/08 and 24.11.08; for 2009 and 08/09"
    )
    assert shift_dates_in_text(text, 213) == (
        "First meeting held in Sep 25; Jun 26 Board; by December 2026; 26th October 2026; "
        "submitted on 11/08/26 and 24.08.26; for 2009 and 08/09"
    )
    # Every date the parser reads moves by the same months; month ends stay month ends.
    assert dates_mentioned(shift_dates_in_text(text, 213)) == [
        shift_date(date, 213) for date in dates_mentioned(text)
    ]
    assert shift_dates_in_text(text, 0) == text


def test_the_demo_plan_reads_as_current(demo: Any) -> None:
    """Update 4 lands in the months before loading; no timescale is years behind."""
    today = timezone.localdate()
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    update_4 = plan.updates.get(number=4)
    assert today - datetime.timedelta(days=100) < update_4.date < today
    rows = Outcome.objects.filter(plan=plan)
    assert not rows.filter(due_date__year__lt=today.year - 2).exists()
