"""The demo tells one story: the 2008-09 plan, the Board and the representatives' events, which
are dated relative to today, all read as current (compact.demo moves the story by months)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from compact.demo import demo_shift_months, load_demo, shift_date
from compact.models import Meeting, Paper
from partnerships.models import Review
from plans.demo import PLAN_SLUG
from plans.parsing import shift_dates_in_text


def test_the_shift_puts_the_story_s_last_event_in_the_month_before_today() -> None:
    # The Officers Group's review of 12 March 2009 is the story's last past event.
    assert demo_shift_months(datetime.date(2026, 12, 3)) == 212  # 12 Nov 2026
    assert demo_shift_months(datetime.date(2026, 12, 12)) == 213  # 12 Dec 2026, today
    assert shift_date(datetime.date(2009, 1, 26), 212) == datetime.date(2026, 9, 26)
    assert shift_date(datetime.date(2008, 11, 30), 212) == datetime.date(2026, 7, 31)
    assert shift_date(datetime.date(2009, 2, 28), 1) == datetime.date(2009, 3, 31)
    assert shift_date(datetime.date(2009, 1, 30), 1) == datetime.date(2009, 2, 28)
    assert demo_shift_months(datetime.date(2009, 1, 1)) == 0  # never backwards


@pytest.mark.django_db
def test_the_officer_s_dashboard_shows_a_plausible_overdue_count(
    settings: Any, client: Any
) -> None:
    settings.DEBUG = True
    load_demo()
    client.force_login(get_user_model().objects.get(username="officer"))
    page = client.get("/").content.decode()
    overdue = int(re.search(r"Overdue \((\d+)\)", page)[1])
    # The plan was written a couple of months ago: a handful of rows slipped, not most of them.
    assert 0 < overdue <= 15


@pytest.mark.django_db
def test_every_meeting_s_papers_are_dated_on_or_before_the_meeting(settings: Any) -> None:
    settings.DEBUG = True
    load_demo()
    today = timezone.localdate()
    meetings = list(Meeting.objects.filter(body__slug="compact-board").order_by("date"))
    assert Paper.objects.filter(item__meeting__in=meetings).count() > 0
    for meeting in meetings:
        for paper in Paper.objects.filter(item__meeting=meeting):
            assert timezone.localdate(paper.created_at) <= meeting.date, (meeting, paper)
        if meeting.agenda_final_at is not None:
            assert timezone.localdate(meeting.agenda_final_at) <= meeting.date
        # Held meetings are behind us, planned ones ahead.
        assert (meeting.date <= today) == (meeting.status == Meeting.Status.HELD), meeting
    # The February Board's plan paper is Update 4, issued before that meeting.
    february = meetings[1]
    assert february.packs.exists() or february.agenda_final_at is not None
    from plans.models import ImplementationPlan

    update_4 = ImplementationPlan.objects.get(slug=PLAN_SLUG).updates.get(number=4)
    assert update_4.date <= february.date
    assert all(review.review_date <= today for review in Review.objects.all())


@pytest.mark.django_db
def test_update_4_report_shows_its_changes_in_blue_with_moved_dates(
    settings: Any, client: Any
) -> None:
    settings.DEBUG = True
    load_demo()
    load_demo()  # twice: the shift is the one stored, nothing is duplicated
    assert Meeting.objects.filter(body__slug="compact-board").count() == 5
    assert Review.objects.count() == 1
    client.force_login(get_user_model().objects.get(username="officer"))
    page = client.get(f"/plans/{PLAN_SLUG}/updates/4/").content.decode()
    months = demo_shift_months(timezone.localdate())
    inserted = re.findall(r"<ins>(.*?)</ins>", page, re.S)
    assert any(shift_dates_in_text("Feb 09", months) in text for text in inserted), inserted
    assert "Feb 09" not in page or months == 0


@pytest.mark.django_db
def test_a_later_load_reuses_the_shift_the_database_was_loaded_with(settings: Any) -> None:
    from compact.demo import _loaded_shift

    settings.DEBUG = True
    today = timezone.localdate()
    assert _loaded_shift(today) == demo_shift_months(today)  # an empty database: today's
    context = load_demo()
    later = today + datetime.timedelta(days=75)
    assert demo_shift_months(later) != context.shift_months
    assert _loaded_shift(later) == context.shift_months  # the meetings are found again
