"""Reading the plan's free text: timescales, responsibilities, RAG and imported statuses."""

from __future__ import annotations

import datetime

import pytest

from plans.parsing import (
    Directory,
    dates_mentioned,
    due_date_from_timescale,
    normalise_name,
    parse_responsibility,
    rag_status,
    status_from_progress,
)

D = datetime.date


@pytest.mark.parametrize(
    ("timescale", "due"),
    [
        ("Sept 08", D(2008, 9, 30)),
        ("December 2007", D(2007, 12, 31)),
        ("April 2009", D(2009, 4, 30)),
        ("Nov 08", D(2008, 11, 30)),
        ("Jan 2010", D(2010, 1, 31)),
        ("Feb 09", D(2009, 2, 28)),
        ("June 09 (Volunteers Week)", D(2009, 6, 30)),
        ("Oct 09 and then annual", D(2009, 10, 31)),
        ("July 2008\n\nAugust 2008", D(2008, 8, 31)),
        ("Initial discussion Sept 08", D(2008, 9, 30)),
        ("Apr 09\nID to report achievements on annual basis\n\n08/09 in June 09", D(2009, 6, 30)),
        ("Standing Item", None),
        ("According to programme", None),
        ("Quarterly or as required", None),
        ("Not identified to date", None),
        ("Will form part of project plan for new post", None),
        ("As part of regional training programme", None),
        ("", None),
    ],
)
def test_timescale_gives_the_due_date_it_names(timescale: str, due: D | None) -> None:
    assert due_date_from_timescale(timescale) == due


def test_numeric_dates_and_bare_years() -> None:
    assert dates_mentioned("Was considered on 24.11.08") == [D(2008, 11, 24)]
    assert dates_mentioned("submitted for consideration on 11/11/08.") == [D(2008, 11, 11)]
    assert dates_mentioned("Quarterly meeting programmed for 2009.") == []


def test_normalised_names_forgive_the_plural_typo() -> None:
    assert normalise_name("Compact Officer Group") == normalise_name("Compact Officers Group")


DIRECTORY = Directory(
    people={"ID": 1, "AH": 2, "SS": 3, "MM": 4, "MB": 5, "BO": 6, "JS": 7},
    bodies={
        normalise_name("Compact Officers Group"): 20,
        normalise_name("Merthyr Tydfil Compact Board"): 21,
    },
    organisations={
        normalise_name("VAMT"): 30,
        normalise_name("MTCBC"): 31,
        normalise_name("LHB"): 32,
        normalise_name("CT NHS Trust"): 33,
        normalise_name("Voluntary Action Merthyr Tydfil"): 30,
    },
    board_id=21,
)


@pytest.mark.parametrize(
    ("text", "people", "bodies", "organisations"),
    [
        ("VAMT (ID / AH)", {1, 2}, set(), {30}),
        ("SS / MM", {3, 4}, set(), set()),
        ("All partners", set(), set(), set()),
        ("????", set(), set(), set()),
        ("To be identified", set(), set(), set()),
        ("Compact Officers Group", set(), {20}, set()),
        ("Compact Officer Group", set(), {20}, set()),
        ("Board", set(), {21}, set()),
        ("MTCBC\n\nLHB\n\nCT NHS Trust", set(), set(), {31, 32, 33}),
        ("All lead officers – input coordinated by ID", {1}, set(), set()),
        ("JS will co-ordinate the process involving the Corporate Centre.", {7}, set(), set()),
        ("ID\n\nSS / MM\nMB\n\nBO", {1, 3, 4, 5, 6}, set(), set()),
    ],
)
def test_responsibility_links_the_people_bodies_and_organisations_it_names(
    text: str, people: set[int], bodies: set[int], organisations: set[int]
) -> None:
    found = parse_responsibility(text, DIRECTORY)
    assert (set(found.people), set(found.bodies), set(found.organisations)) == (
        people,
        bodies,
        organisations,
    )


TODAY = D(2009, 1, 26)


@pytest.mark.parametrize(
    ("status", "due", "colour", "label"),
    [
        ("achieved", D(2008, 1, 31), "green", "Achieved"),
        ("no_longer_required", D(2008, 1, 31), "grey", "No longer required"),
        ("in_progress", D(2008, 12, 31), "red", "Overdue"),
        ("not_started", D(2009, 2, 28), "amber", "Due soon"),
        ("deferred", D(2009, 11, 30), "amber", "Deferred"),
        ("in_progress", D(2009, 11, 30), "green", "On track"),
        ("not_started", None, "green", "On track"),
    ],
)
def test_rag_always_comes_with_a_label(status: str, due: D | None, colour: str, label: str) -> None:
    rag = rag_status(status, due, TODAY)
    assert (rag.colour, rag.label) == (colour, label)


@pytest.mark.parametrize(
    ("progress", "status"),
    [
        ("Achieved\nAchieved", "achieved"),
        ("Agreed", "achieved"),
        ("In place", "achieved"),
        ("Agreed at Board in April 2008", "achieved"),
        ("Draft presented for Sept 08. Further draft to Board in Nov 08. Agreed.", "achieved"),
        ("Agreed in April 2008 that VAMT has role for first year", "in_progress"),
        ("Two meetings held", "in_progress"),
        ("", "not_started"),
    ],
)
def test_imported_status_follows_the_progress_text(progress: str, status: str) -> None:
    assert status_from_progress(progress) == status
