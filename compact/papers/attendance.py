"""Members' attendance in a year as a board-pack paper: the figures of the attendance report
(compact.selectors.attendance), for the Board's annual review of its own working."""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.models import Attendance, Meeting, Membership
from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform.access import Role
from compact.platform.pdf import render_pdf
from compact.selectors.attendance import attendance_figures, attendance_years

PAPER_KEY = "compact.attendance"


def _year(value: str, as_of: datetime.date) -> int:
    """ "latest": the last full year before the meeting (the year an annual review covers)."""
    if value == "latest":
        return as_of.year - 1
    if not value.isdigit() or not 1900 < int(value) < 3000:
        raise LookupError(f"Not a year: {value!r}")
    return int(value)


def paper_options() -> list[PaperOption]:
    options = [PaperOption(value="latest", label=str(gettext_lazy("The last full year")))]
    options += [PaperOption(value=str(year), label=str(year)) for year in attendance_years()]
    return options


def paper_fingerprint(value: str, as_of: datetime.date) -> str:
    """Changes with any change to meetings, memberships or attendance (their history)."""
    try:
        year = _year(value, as_of)
    except LookupError:
        return f"missing:{value}"
    parts = [str(year), str(min(as_of, datetime.date(year, 12, 31)))]
    for model in (Meeting, Membership, Attendance):
        figures = model.history.aggregate(n=Count("history_id"), last=Max("history_date"))
        parts.append(f"{figures['n']}:{figures['last']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def paper_render(value: str, as_of: datetime.date) -> RenderedPaper:
    year = _year(value, as_of)
    title = _("Attendance of members in %(year)s") % {"year": year}
    pdf = render_pdf(
        "compact/pdf/attendance_paper.html",
        {"title": title, "year": year, "figures": attendance_figures(year, today=as_of)},
    )
    return RenderedPaper(title=str(title), pdf=pdf)


def provider() -> PaperProvider:
    return PaperProvider(
        key=PAPER_KEY,
        label=str(gettext_lazy("Attendance of members in a year")),
        options=paper_options,
        fingerprint=paper_fingerprint,
        render=paper_render,
        # As the attendance report's own page: figures about named members are for officers
        # and the Board.
        roles=frozenset({Role.OFFICER, Role.BOARD}),
    )
