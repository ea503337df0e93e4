"""Reading the plan's free text: timescales into due dates, responsibilities into the people,
bodies and organisations they name, and a RAG colour (always with a text label).

Pure functions, no database: callers load a :class:`Directory` once (three queries, see
``plans.selectors.directory_for``) and resolve any number of rows against it.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
# Welsh month names, and the soft-mutated forms written after "mis" ("ym mis Medi", "fis Fedi").
WELSH_MONTHS = {
    "ionawr": 1,
    "ion": 1,
    "chwefror": 2,
    "chwef": 2,
    "mawrth": 3,
    "fawrth": 3,
    "ebrill": 4,
    "mai": 5,
    "fai": 5,
    "mehefin": 6,
    "fehefin": 6,
    "gorffennaf": 7,
    "orffennaf": 7,
    "gorff": 7,
    "awst": 8,
    "medi": 9,
    "fedi": 9,
    "hydref": 10,
    "tachwedd": 11,
    "dachwedd": 11,
    "tach": 11,
    "rhagfyr": 12,
    "ragfyr": 12,
    "rhag": 12,
}
MONTHS.update(WELSH_MONTHS)
_WELSH_MONTH_NAMES = [
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
]  # fmt: skip

_MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+"
    r"(?P<year>\d{4}|\d{2})\b",
    re.IGNORECASE,
)
# 24.11.08, 11/11/08, 3-2-2009
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4}|\d{2})\b"
)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _end_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def dates_mentioned(text: str) -> list[datetime.date]:
    """Every date the text names, in the order written. A month and year ("Sept 08",
    "December 2007") counts as the last day of that month; a numeric date ("24.11.08") as that
    day. A bare year ("for 2009") is not a date."""
    found: list[tuple[int, datetime.date]] = []
    for match in _MONTH_YEAR.finditer(text):
        month = MONTHS[match["month"].lower()]
        found.append((match.start(), _end_of_month(_year(match["year"]), month)))
    for match in _DAY_MONTH_YEAR.finditer(text):
        try:
            day = datetime.date(_year(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        found.append((match.start(), day))
    return [date for _, date in sorted(found, key=lambda item: item[0])]


_MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]


def _as_written(word: str, like: str) -> str:
    """``word`` in the letter case of ``like`` ("SEPT", "sept", "Sept")."""
    if like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return word


def shift_dates_in_text(text: str, months: int) -> str:
    """The text with every date :func:`dates_mentioned` reads moved ``months`` later, each
    written the way it was: "Sept 08" -> "June 26", "December 2007" -> "September 2025",
    "24.11.08" -> "24.08.26". A day before a month name ("26th January 2009") is kept; bare
    years and financial years ("for 2009", "08/09") are not dates and stay as written."""

    def month_year(match: re.Match[str]) -> str:
        written = match["month"]
        index = _year(match["year"]) * 12 + MONTHS[written.lower()] - 1 + months
        year, month = divmod(index, 12)
        if written.lower() in WELSH_MONTHS:  # Welsh stays Welsh, written in full
            return (
                _as_written(_WELSH_MONTH_NAMES[month], written)
                + match.group(0)[
                    match.end("month") - match.start() : match.start("year") - match.start()
                ]
                + (str(year) if len(match["year"]) == 4 else f"{year % 100:02d}")
            )
        name = _MONTH_NAMES[month]
        if len(written) <= 4:  # an abbreviation: "Sept" stays four letters, others three
            name = "Sept" if month == 8 and written.lower() == "sept" else name[:3]
        year_text = str(year) if len(match["year"]) == 4 else f"{year % 100:02d}"
        whole = match.group(0)
        start = match.start()
        return (
            _as_written(name, written)
            + whole[match.end("month") - start : match.start("year") - start]
            + year_text
        )

    def day_month_year(match: re.Match[str]) -> str:
        try:
            original = datetime.date(_year(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            return match.group(0)
        index = original.year * 12 + original.month - 1 + months
        year, month = divmod(index, 12)
        day = min(original.day, calendar.monthrange(year, month + 1)[1])
        whole, start = match.group(0), match.start()
        first_sep = whole[match.end("day") - start : match.start("month") - start]
        second_sep = whole[match.end("month") - start : match.start("year") - start]
        year_text = str(year) if len(match["year"]) == 4 else f"{year % 100:02d}"
        return (
            f"{day:0{len(match['day'])}d}{first_sep}"
            f"{month + 1:0{len(match['month'])}d}{second_sep}{year_text}"
        )

    if not months:
        return text
    return _DAY_MONTH_YEAR.sub(day_month_year, _MONTH_YEAR.sub(month_year, text))


def due_date_from_timescale(timescale: str) -> datetime.date | None:
    """The due date a timescale names, or None when it names none ("Standing Item",
    "Eitem Sefydlog", "I'w gadarnhau"). Welsh month names count as English ones do ("Medi 2008",
    "Ebrill 09").

    Where several dates are written ("July 2008 / August 2008" for a two-step row, or
    "Apr 09 ... 08/09 in June 09") the *last* one is used: the row is finished only when its
    last step is, so using an earlier date would flag rows as overdue while still on schedule.
    """
    dates = dates_mentioned(timescale or "")
    return dates[-1] if dates else None


# --- Responsibility -----------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """Lower case, letters and digits only, single spaces, each word's plural "s" dropped, so
    "Compact Officer Group" and "Compact Officers Group" are the same name."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


@dataclass(frozen=True)
class Directory:
    """What responsibility text can name, keyed by normalised name: people by initials,
    bodies by name or short name, organisations by name or short name. ``board_id`` is the
    compact's Board, which the plan calls just "Board"."""

    people: dict[str, int] = field(default_factory=dict)  # "ID" -> person id
    bodies: dict[str, int] = field(default_factory=dict)  # normalised name -> body id
    organisations: dict[str, int] = field(default_factory=dict)
    board_id: int | None = None


@dataclass(frozen=True)
class Responsibility:
    """The people, bodies and organisations a responsibility text names (ids)."""

    people: frozenset[int] = frozenset()
    bodies: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()

    def is_empty(self) -> bool:
        return not (self.people or self.bodies or self.organisations)


def parse_responsibility(text: str, directory: Directory) -> Responsibility:
    """Resolve "VAMT (ID / AH)", "SS / MM", "MTCBC LHB CT NHS Trust", "Compact Officer Group",
    "Board", "All lead officers - input coordinated by ID" against the directory.

    Names of bodies and organisations are matched first, longest first, as whole words (so
    "CT NHS Trust" is not read as people "CT" and "NHS"); then "Board" on its own means the
    compact's Board; then any remaining upper-case word of two or three letters that is a
    person's initials. Words that name nobody ("All partners", "????", "To be identified")
    link nothing and the text stays as written."""
    remaining = " " + normalise_name(text) + " "
    bodies: set[int] = set()
    organisations: set[int] = set()
    names = [(name, "body", pk) for name, pk in directory.bodies.items()] + [
        (name, "organisation", pk) for name, pk in directory.organisations.items()
    ]
    for name, kind, pk in sorted(names, key=lambda item: len(item[0]), reverse=True):
        if not name:
            continue
        needle = f" {name} "
        if needle in remaining:
            (bodies if kind == "body" else organisations).add(pk)
            remaining = remaining.replace(needle, " | ")
    if directory.board_id is not None and " board " in remaining:
        bodies.add(directory.board_id)
    people = {
        directory.people[word]
        for word in re.findall(r"\b[A-Z]{2,3}\b", text)
        if word in directory.people and f" {word.lower()} " in remaining
    }
    return Responsibility(
        people=frozenset(people),
        bodies=frozenset(bodies),
        organisations=frozenset(organisations),
    )


# --- RAG ----------------------------------------------------------------------------------

DUE_SOON_DAYS = 60


@dataclass(frozen=True)
class Rag:
    """A RAG colour and the words that say the same thing (colour is never the only signal)."""

    colour: str  # "green", "amber", "red", "grey"
    label: str

    @property
    def css_class(self) -> str:
        return f"rag-{self.colour}"


# The one rule for "overdue", used by the row's badge, the lists and filters, the dashboard,
# the reports and the reminders (``plans.selectors.overdue_filter`` is its query form): only
# rows still being worked on can be late. Deferred, achieved and no longer required rows never
# are, whatever their due date.
OVERDUE_STATUSES = frozenset({"not_started", "in_progress"})


def is_overdue(status: str, due_date: datetime.date | None, today: datetime.date) -> bool:
    """A row is overdue when its due date has passed and work on it is still expected."""
    return due_date is not None and due_date < today and status in OVERDUE_STATUSES


def rag_status(status: str, due_date: datetime.date | None, today: datetime.date) -> Rag:
    """Achieved is green, no longer required grey, deferred amber; otherwise an overdue row is
    red ("Overdue"), a due date within 60 days amber ("Due soon"), else green."""
    if status == "achieved":
        return Rag("green", str(_("Achieved")))
    if status == "no_longer_required":
        return Rag("grey", str(_("No longer required")))
    if status == "deferred":
        return Rag("amber", str(_("Deferred")))
    if is_overdue(status, due_date, today):
        return Rag("red", str(_("Overdue")))
    if due_date is not None and (due_date - today).days <= DUE_SOON_DAYS:
        return Rag("amber", str(_("Due soon")))
    return Rag("green", str(_("On track")))


# --- Status from progress text (imports) -------------------------------------------------

_ACHIEVED_SENTENCE = re.compile(
    r"^(achieved|agreed|in place|agreed at .*|membership agreed .*)$", re.IGNORECASE
)


def status_from_progress(progress: str) -> str:
    """The status an imported row starts with: achieved when a sentence of its progress says
    just "Achieved", "Agreed" or "In place" (or "Agreed at ...", "Membership agreed ..."),
    in progress when there is any progress text, otherwise not started."""
    text = (progress or "").strip()
    if not text:
        return "not_started"
    sentences = [part.strip().rstrip(".").strip() for part in re.split(r"[\n.]", text)]
    if any(_ACHIEVED_SENTENCE.match(sentence) for sentence in sentences if sentence):
        return "achieved"
    return "in_progress"


def month_year_in_welsh(text: str) -> str:
    """An English month and year in Welsh, the year as written ("Sept 08" -> "Medi 08");
    empty when the text is anything else."""
    match = _MONTH_YEAR.fullmatch(text.strip())
    if match is None or match["month"].lower() in WELSH_MONTHS:
        return ""
    return f"{_WELSH_MONTH_NAMES[MONTHS[match['month'].lower()] - 1]} {match['year']}"
