"""Welsh timescales give due dates and overdue flags as English ones do."""

from __future__ import annotations

import datetime

import pytest

from plans.parsing import due_date_from_timescale, is_overdue, shift_dates_in_text


@pytest.mark.parametrize(
    ("timescale", "due"),
    [
        ("Medi 2008", datetime.date(2008, 9, 30)),
        ("Ebrill 09", datetime.date(2009, 4, 30)),
        ("Erbyn mis Mawrth 2009", datetime.date(2009, 3, 31)),
        ("fis Fedi 08", datetime.date(2008, 9, 30)),
        ("Gorffennaf 2008 / Awst 2008", datetime.date(2008, 8, 31)),
        ("Rhagfyr 2007", datetime.date(2007, 12, 31)),
        ("Chwefror 2009", datetime.date(2009, 2, 28)),
        ("Eitem Sefydlog", None),
        ("I'w gadarnhau", None),
    ],
)
def test_welsh_timescales_name_their_due_date(timescale: str, due: datetime.date | None) -> None:
    assert due_date_from_timescale(timescale) == due


def test_a_welsh_row_past_its_month_is_overdue_unless_achieved_or_deferred() -> None:
    due = due_date_from_timescale("Medi 2008")
    assert is_overdue("in_progress", due, datetime.date(2008, 10, 1))
    assert not is_overdue("in_progress", due, datetime.date(2008, 9, 30))
    assert not is_overdue("achieved", due, datetime.date(2009, 1, 1))
    assert not is_overdue("deferred", due, datetime.date(2009, 1, 1))
    assert not is_overdue(
        "in_progress", due_date_from_timescale("Eitem Sefydlog"), datetime.date(2030, 1, 1)
    )


def test_shifting_a_welsh_date_keeps_it_welsh() -> None:
    assert shift_dates_in_text("Medi 2008", 3) == "Rhagfyr 2008"
    assert shift_dates_in_text("Ebrill 09", 12) == "Ebrill 10"
    assert shift_dates_in_text("Sept 08", 3) == "Dec 08"
