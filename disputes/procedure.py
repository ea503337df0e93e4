"""The Compact's mediation and disputes resolution procedure, as data.

Every move a dispute may make is one row of :data:`TRANSITIONS`; services, views and tests read
this table and nothing else, so the procedure is defined in exactly one place.

The stages follow objective 7 of the implementation plan: the parties first try to resolve the
matter informally; then mediation; then referral to the scrutiny body (a panel of its members);
for public-sector partners, escalation to senior level; and finally closure. Moving one step back
(for instance from the scrutiny body back to mediation) is allowed, with a reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    INFORMAL = "informal", _("Informal resolution")
    MEDIATION = "mediation", _("Mediation")
    SCRUTINY = "scrutiny", _("Referred to the scrutiny body")
    ESCALATION = "escalation", _("Escalated to senior level")
    CLOSED = "closed", _("Closed")


OPEN_STAGES: tuple[str, ...] = (
    Stage.INFORMAL,
    Stage.MEDIATION,
    Stage.SCRUTINY,
    Stage.ESCALATION,
)


class Closure(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(models.TextChoices):
    """Who, in relation to one dispute, may make a move."""

    OFFICER = "officer", _("Disputes officer")
    PANEL = "panel", _("Scrutiny panel member")
    RAISER = "raiser", _("The person who raised the concern")


@dataclass(frozen=True)
class Transition:
    """One allowed move between stages, who may make it, and whether it goes backwards."""

    source: str
    target: str
    label: str
    actors: frozenset[str]
    backwards: bool = False


_OFFICER = frozenset({Actor.OFFICER})
_OFFICER_PANEL = frozenset({Actor.OFFICER, Actor.PANEL})
_ANYONE_ACTING = frozenset({Actor.OFFICER, Actor.PANEL, Actor.RAISER})
_OFFICER_RAISER = frozenset({Actor.OFFICER, Actor.RAISER})

# The procedure. Anything not listed here is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition(Stage.INFORMAL, Stage.MEDIATION, _("Move to mediation"), _OFFICER),
        Transition(Stage.INFORMAL, Stage.CLOSED, _("Close"), _OFFICER_RAISER),
        Transition(Stage.MEDIATION, Stage.SCRUTINY, _("Refer to the scrutiny body"), _OFFICER),
        Transition(Stage.MEDIATION, Stage.CLOSED, _("Close"), _OFFICER_RAISER),
        Transition(
            Stage.MEDIATION,
            Stage.INFORMAL,
            _("Return to informal resolution"),
            _OFFICER,
            backwards=True,
        ),
        Transition(Stage.SCRUTINY, Stage.ESCALATION, _("Escalate to senior level"), _OFFICER_PANEL),
        Transition(Stage.SCRUTINY, Stage.CLOSED, _("Close"), _ANYONE_ACTING),
        Transition(
            Stage.SCRUTINY, Stage.MEDIATION, _("Return to mediation"), _OFFICER, backwards=True
        ),
        Transition(Stage.ESCALATION, Stage.CLOSED, _("Close"), _ANYONE_ACTING),
        Transition(
            Stage.ESCALATION,
            Stage.SCRUTINY,
            _("Return to the scrutiny body"),
            _OFFICER_PANEL,
            backwards=True,
        ),
        Transition(Stage.CLOSED, Stage.INFORMAL, _("Reopen"), _OFFICER, backwards=True),
    )
}

# Calendar days each stage should take. The Compact speaks of working days (informal
# resolution within 20 working days); we count calendar days, 20 working days being 28.
# Override per installation with settings.DISPUTES_STAGE_TARGET_DAYS = {"mediation": 56, ...}.
DEFAULT_TARGET_DAYS: dict[str, int] = {
    Stage.INFORMAL: 28,
    Stage.MEDIATION: 42,
    Stage.SCRUTINY: 56,
    Stage.ESCALATION: 28,
}


def transition(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def transitions_from(source: str) -> list[Transition]:
    return [t for (s, _target), t in TRANSITIONS.items() if s == source]


def target_days(stage: str) -> int | None:
    """How many calendar days a stage should take; None for the closed stage."""
    if stage not in OPEN_STAGES:
        return None
    overrides = getattr(settings, "DISPUTES_STAGE_TARGET_DAYS", {}) or {}
    return int(overrides.get(str(stage), DEFAULT_TARGET_DAYS[stage]))


def due_date(stage: str, started_on: datetime.date) -> datetime.date | None:
    days = target_days(stage)
    return None if days is None else started_on + datetime.timedelta(days=days)
