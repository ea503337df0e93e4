"""The demo shows the Board at work: its 2009 programme, approved minutes, actions, codes.

The story's dates are moved by whole months so that it reads as current (compact.demo)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from compact.demo import demo_shift_months, load_demo, shift_date
from compact.models import Action, CodeOfPractice, Commitment, Meeting, Minutes
from compact.selectors import code_of_conduct_current
from compact.selectors.meetings import carried_forward_actions, rotations_due


def moved(date: datetime.date) -> datetime.date:
    """A 2008-09 story date as the demo loads it today."""
    return shift_date(date, demo_shift_months(timezone.localdate()))


@pytest.mark.django_db
def test_demo_board_programme_minutes_actions_and_codes(settings: Any) -> None:
    settings.DEBUG = True
    load_demo()
    load_demo()  # twice: nothing is duplicated

    board_meetings = Meeting.objects.filter(body__slug="compact-board")
    assert [m.date for m in board_meetings.order_by("date")] == [
        moved(datetime.date(2008, 11, 19)),
        moved(datetime.date(2009, 2, 11)),
        moved(datetime.date(2009, 4, 22)),
        moved(datetime.date(2009, 7, 15)),
        moved(datetime.date(2009, 11, 18)),
    ]
    november = board_meetings.get(date=moved(datetime.date(2008, 11, 19)))
    assert november.minutes.status == Minutes.Status.APPROVED
    assert [d.sequence for d in november.minutes.decisions.order_by("sequence")] == [1, 2, 3]
    assert november.minutes.approved_at_meeting.date == moved(datetime.date(2009, 2, 11))
    february = board_meetings.get(date=moved(datetime.date(2009, 2, 11)))
    titles = list(february.items.values_list("title", flat=True))
    assert "WAG policy digest" in titles and len(titles) >= 5
    carried = [a.description for a in carried_forward_actions(february)]
    police = "Write to the Area Commander inviting Police representation with observer status"
    assert police in carried
    assert Action.objects.filter(status="done").count() == 2
    code_slug = "partnership-working-code"
    assert Commitment.objects.filter(code__slug=code_slug).count() == 25
    assert CodeOfPractice.objects.count() == 9
    code, version = code_of_conduct_current()
    assert code is not None and "Code of Conduct" in version.text
    assert any(d.months == 12 for d in rotations_due(today=moved(datetime.date(2009, 4, 1))))


@pytest.mark.django_db
def test_demo_february_agenda_carries_the_plan_update_and_its_pack_builds(settings: Any) -> None:
    import time

    from compact.papers import PaperOption
    from compact.services.packs import board_pack_build
    from tests.compact.factories import ReportProvider

    settings.DEBUG = True
    updates = [
        PaperOption("3", "Update 3 - 1 November 2008"),
        PaperOption("4", "Update 4 - 26 January 2009"),
    ]
    with ReportProvider(
        key="demo.plan",
        label="Implementation Plan - latest update (changes in blue)",
        standing=True,
        options=updates,
    ):
        load_demo()
        february = Meeting.objects.get(
            body__slug="compact-board", date=moved(datetime.date(2009, 2, 11))
        )
        november = moved(datetime.date(2008, 11, 19))
        items = list(february.items.order_by("position"))
        titles = [item.title for item in items]
        assert titles[:3] == [
            "Welcome, apologies and declarations of interest",
            f"Minutes of the meeting of {november.day} {november:%B %Y} and matters arising",
            "Implementation Plan - latest update (changes in blue)",
        ]
        # Other apps' standing papers (e.g. the representatives' report) follow the plan.
        assert "WAG policy digest" in titles[3:]
        plan_paper = items[2].papers.get()
        assert plan_paper.provider_value == "4"  # the February 2009 Board considered Update 4
        started = time.perf_counter()
        pack, _built = board_pack_build(meeting=february)
        assert time.perf_counter() - started < 10
    assert pack.page_count >= 7
