"""The apps meet in the Board's pack: with the real providers registered, the demo's February
2009 Board pack carries Update 4 with its changes in blue, the representatives' report and
the previous minutes, each bookmarked."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pdfplumber
import pytest
from django.utils import timezone
from pypdf import PdfReader

from compact.demo import demo_shift_months, load_demo, shift_date
from compact.models import Meeting
from compact.services.packs import board_pack_build
from plans.parsing import shift_dates_in_text

BLUE = (0.043, 0.31, 0.659)  # #0b4fa8, the "changes in blue" colour


def _is_blue(colour: Any) -> bool:
    return (
        isinstance(colour, tuple | list)
        and len(colour) == 3
        and all(abs(a - b) < 0.02 for a, b in zip(colour, BLUE, strict=True))
    )


@pytest.mark.django_db
def test_board_pack_carries_the_plan_update_in_blue_and_the_representatives_report(
    settings: Any, tmp_path: Any
) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    months = demo_shift_months(timezone.localdate())
    february = Meeting.objects.get(
        body__slug="compact-board", date=shift_date(datetime.date(2009, 2, 11), months)
    )

    pack, built = board_pack_build(meeting=february)

    assert built
    data = pack.file.read()
    outline = [
        entry.title for entry in PdfReader(io.BytesIO(data)).outline if not isinstance(entry, list)
    ]
    assert any("Implementation Plan" in title for title in outline)
    assert any("Representatives' report" in title for title in outline)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        blue_words = "".join(
            char["text"]
            for page in pdf.pages
            for char in page.chars
            if _is_blue(char.get("non_stroking_color"))
        )
    update_4 = shift_date(datetime.date(2009, 1, 26), months)
    assert f"Update 4 - dated {update_4:%-d %B %Y}" in text
    assert "Changes from previous version in blue" in text
    # The update is a Board paper: its cover names its place in this pack.
    item = february.items.get(papers__provider_key="plans.update_report")
    number = list(february.items.order_by("position", "pk")).index(item) + 1
    assert f"Agenda item {number}. {item.title}" in text
    assert f"Paper {number}" in text
    assert "Recommendation" in text
    assert f"Page 1 of {pack.page_count}" in text
    # Update 4's own additions (progress dated after November 2008) are the blue words.
    february_09 = shift_dates_in_text("Feb 09", months)
    assert f"Planning to advertise post in {february_09}." in blue_words
    assert f"Requires further discussion at {february_09} Board" in blue_words
