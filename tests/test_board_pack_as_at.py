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

from compact.demo import load_demo
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
    november = Meeting.objects.get(body__slug="compact-board", date=datetime.date(2009, 11, 18))
    plan = ImplementationPlan.objects.get()
    today = timezone.localdate()
    plan_update_issue(plan=plan, actor=None, date=today, summary="Issued long after")

    pack, built = board_pack_build(meeting=november)

    assert built
    first = pack.file.read()
    text = _text(first)
    assert "Update 4 - dated 26 January 2009" in text
    assert "Update 5" not in text
    assert "As at 18 November 2009." in text
    assert f"{today:%-d %B %Y}" not in text

    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="board")
    board_pack_circulate(pack=pack, recipients=[member], link_for=lambda version: "/pack/")
    agenda_item_add(meeting=november, title="Late item")
    plan_update_issue(plan=plan, actor=None, date=today, summary="And another")

    again, rebuilt = board_pack_build(meeting=november)

    assert (again.pk, rebuilt) == (pack.pk, False)
    client.force_login(member)
    download = client.get(again.get_absolute_url())
    assert b"".join(download.streaming_content) == first
