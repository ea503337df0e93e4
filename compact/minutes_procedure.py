"""The life of a meeting's minutes, as data.

Every move the minutes may make is one row of :data:`TRANSITIONS`; the services guard from it
(``compact.services.minutes.minutes_move``), the meeting page lists its buttons from it and the
tests walk it. Anything not listed is refused.

Draft minutes are written item by item after the meeting. Circulating them numbers their
decisions (2009/14). They are approved at a later meeting of the same body, where the standing
item "Minutes of the last meeting" carries them, and the chair then signs them. Approved and
signed minutes are frozen: a correction is recorded as an amendment (who, when, why).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")


# Minutes in these states may be redrafted; the others are frozen (amendments only).
EDITABLE: frozenset[str] = frozenset({MinutesStatus.DRAFT, MinutesStatus.CIRCULATED})
FROZEN: frozenset[str] = frozenset({MinutesStatus.APPROVED, MinutesStatus.SIGNED})
# Decisions recorded in these states are numbered at once (a draft's wait for circulation).
NUMBERED: frozenset[str] = frozenset(
    {MinutesStatus.CIRCULATED, MinutesStatus.APPROVED, MinutesStatus.SIGNED}
)
# Members of the body read minutes in these states; officers read every state.
READABLE_BY_MEMBERS: frozenset[str] = NUMBERED


@dataclass(frozen=True)
class Transition:
    """One allowed move of the minutes: from, to, the button's label, whether it needs the
    meeting at which the minutes are approved, and whether it goes backwards."""

    source: str
    target: str
    label: str
    needs_meeting: bool = False
    backwards: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition(MinutesStatus.DRAFT, MinutesStatus.CIRCULATED, _("Circulate the minutes")),
        Transition(
            MinutesStatus.CIRCULATED,
            MinutesStatus.DRAFT,
            _("Withdraw for redrafting"),
            backwards=True,
        ),
        Transition(
            MinutesStatus.CIRCULATED,
            MinutesStatus.APPROVED,
            _("Approve the minutes"),
            needs_meeting=True,
        ),
        Transition(MinutesStatus.APPROVED, MinutesStatus.SIGNED, _("Record the chair's signature")),
    )
}


def transition(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def transitions_from(source: str) -> list[Transition]:
    return [t for (s, _target), t in TRANSITIONS.items() if s == source]
