"""Board pack benchmark: a 40-page pack (time and peak memory) and the demo's February 2009
Board pack (must build in under 10 s). Run with `make bench` (pytest --bench tests/bench)."""

from __future__ import annotations

import datetime
import time
import tracemalloc
from typing import Any

import pytest

from compact.models import Meeting
from compact.papers.boardpack import build_pack_pdf, pack_contents
from compact.services.meetings import (
    action_add,
    agenda_item_add,
    minutes_save,
    paper_generate,
    paper_upload,
    paper_write,
)
from tests.compact.factories import ReportProvider, make_meeting, pdf_upload, tiny_pdf

PARAGRAPH = (
    "The Board considered how policies relevant to the third sector are brought to it as part "
    "of each statutory agency's decision making, and agreed clear actions for each partner. "
) * 6


@pytest.fixture
def forty_page_meeting(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    with ReportProvider(key="bench.plan", label="Implementation Plan update", pages=12):
        november = make_meeting(world.board, date=datetime.date(2008, 11, 19))
        minutes_save(meeting=november, text="\n\n".join([PARAGRAPH] * 4))
        for number in range(12):
            action_add(
                meeting=november, description=f"Action {number}", owner=world.people["officer"]
            )
        meeting = make_meeting(world.board)
        plan = agenda_item_add(meeting=meeting, title="Implementation plan")
        paper_generate(item=plan, provider_key="bench.plan", value="latest")
        for number in range(4):
            item = agenda_item_add(meeting=meeting, title=f"Uploaded paper {number}")
            paper_upload(
                item=item, upload=pdf_upload(f"p{number}.pdf", tiny_pdf(f"Paper {number}", 4))
            )
        for number in range(3):
            item = agenda_item_add(meeting=meeting, title=f"Written paper {number}")
            paper_write(item=item, title=f"Written {number}", text="\n\n".join([PARAGRAPH] * 12))
        yield meeting


def test_forty_page_board_pack(forty_page_meeting: Any, bench_record: Any) -> None:
    with ReportProvider(key="bench.plan", label="Implementation Plan update", pages=12):
        contents = pack_contents(forty_page_meeting)
        build_pack_pdf(contents)  # warm up fonts and templates
        started = time.perf_counter()
        built = build_pack_pdf(contents)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        build_pack_pdf(contents)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert built.pages >= 40
    bench_record(
        board_pack_s=round(seconds, 2),
        board_pack_pages=built.pages,
        board_pack_peak_mib=round(peak / 2**20, 1),
    )


def test_demo_february_board_pack_builds_in_under_ten_seconds(
    settings: Any, tmp_path: Any, db: Any, bench_record: Any
) -> None:
    from django.utils import timezone

    from compact.demo import demo_shift_months, load_demo, shift_date
    from compact.services.packs import board_pack_build

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    # The demo moves its 2008-09 story forward to read as current (compact.demo.shift_date).
    february = shift_date(datetime.date(2009, 2, 11), demo_shift_months(timezone.localdate()))
    meeting = Meeting.objects.get(body__slug="compact-board", date=february)
    started = time.perf_counter()
    pack, built = board_pack_build(meeting=meeting)
    seconds = time.perf_counter() - started
    assert built and seconds < 10
    bench_record(board_pack_demo_s=round(seconds, 2), board_pack_demo_pages=pack.page_count)
