"""A past meeting's pack shows the papers as they stood at the meeting: the latest plan update
dated on or before the meeting, the representatives' report as at the meeting's date; and a
circulated pack is frozen, byte for byte, whatever is edited or issued later."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pdfplumber
import pytest
from django.utils import timezone

from compact.demo import demo_shift_months, load_demo, shift_date
from compact.models import Meeting
from compact.services.meetings import agenda_item_add
from compact.services.packs import board_pack_build, board_pack_circulate
from plans.models import ImplementationPlan
from plans.services import plan_update_issue

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_past_meetings_pack_shows_papers_as_at_its_date_and_is_frozen_once_circulated(
    settings: Any, tmp_path: Any, client: Any
) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    today = timezone.localdate()
    months = demo_shift_months(today)
    # The demo's story is moved to read as current: its last held meeting is the February
    # Board (a month or two ago), whose pack the demo built at load; build it afresh.
    february = Meeting.objects.get(
        body__slug="compact-board", date=shift_date(datetime.date(2009, 2, 11), months)
    )
    february.packs.all().delete()
    plan = ImplementationPlan.objects.get()
    plan_update_issue(plan=plan, actor=None, date=today, summary="Issued long after")

    pack, built = board_pack_build(meeting=february)

    assert built
    first = pack.file.read()
    text = _text(first)
    update_4 = shift_date(datetime.date(2009, 1, 26), months)
    assert f"Update 4 - dated {update_4:%-d %B %Y}" in text
    assert "Update 5" not in text
    assert f"As at {february.date:%-d %B %Y}." in text
    assert f"{today:%-d %B %Y}" not in text

    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="board")
    board_pack_circulate(pack=pack, recipients=[member], link_for=lambda version: "/pack/")
    agenda_item_add(meeting=february, title="Late item")
    plan_update_issue(plan=plan, actor=None, date=today, summary="And another")

    again, rebuilt = board_pack_build(meeting=february)

    assert (again.pk, rebuilt) == (pack.pk, False)
    client.force_login(member)
    download = client.get(again.get_absolute_url())
    assert b"".join(download.streaming_content) == first
