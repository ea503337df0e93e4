"""The third-sector representation protocol (Appendix 1 of the partnership working code of
practice), as data: the steps of a selection round.

Every step an officer may take on a round is one row of :data:`STEPS`: from which statuses,
to which status (None when it records something without moving the round on), which process
it belongs to (None: both), its label in the round's menu, the words used when it is refused
("Cannot agree the timetable: ..."), the form that collects it and who may take it. The
services guard each step with :func:`require_step` and the round page lists
:func:`available_steps`, so the order of the protocol is written in this one place.

Representation rounds: agree the timetable, canvass nominations, receive and check
nominations, election via the constituency, declare the result, inform the statutory body,
appoint. Membership rounds (the statutory body chooses): circulate the request, receive
nominations, record the body's choice, appoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.platform.access import Role
from representatives.models import SelectionRound

Status = SelectionRound.Status
Process = SelectionRound.Process


@dataclass(frozen=True)
class RoundStep:
    key: str
    label: Promise  # in the round's menu: "1. Agree the timetable"
    action: Promise  # in a refusal: "Cannot agree the timetable: ..."
    sources: tuple[str, ...]  # the round's statuses the step may be taken from
    target: str | None  # the status it moves the round to; None records without moving on
    form: str  # the form's class name in representatives.forms
    process: str | None = None  # the only process it belongs to; None: both
    who: Role = Role.OFFICER


STEPS: dict[str, RoundStep] = {
    step.key: step
    for step in (
        RoundStep(
            "timetable",
            gettext_lazy("1. Agree the timetable"),
            gettext_lazy("agree the timetable"),
            (Status.OPENED,),
            Status.TIMETABLE_AGREED,
            "TimetableForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "canvass",
            gettext_lazy("2. Record the canvass"),
            gettext_lazy("record the canvass"),
            (Status.TIMETABLE_AGREED,),
            Status.CANVASSING,
            "CanvassForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "circulate",
            gettext_lazy("Circulate the request"),
            gettext_lazy("circulate the request"),
            (Status.REQUESTED,),
            Status.CIRCULATED,
            "CanvassForm",
            Process.MEMBERSHIP,
        ),
        RoundStep(
            "nominate",
            gettext_lazy("3. Receive a nomination"),
            gettext_lazy("receive a nomination"),
            (Status.CANVASSING, Status.CIRCULATED),
            None,
            "NominationForm",
        ),
        RoundStep(
            "eligibility",
            gettext_lazy("Check eligibility"),
            gettext_lazy("check eligibility"),
            (Status.CANVASSING, Status.CIRCULATED),
            None,
            "EligibilityForm",
        ),
        RoundStep(
            "withdraw",
            gettext_lazy("Record a withdrawal"),
            gettext_lazy("withdraw a nomination"),
            (Status.CANVASSING, Status.CIRCULATED, Status.ELECTION),
            None,
            "WithdrawForm",
        ),
        RoundStep(
            "election",
            gettext_lazy("4. Open the election"),
            gettext_lazy("open the election"),
            (Status.CANVASSING,),
            Status.ELECTION,
            "ElectionForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "votes",
            gettext_lazy("Record votes"),
            gettext_lazy("record votes"),
            (Status.ELECTION,),
            None,
            "VotesForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "declare",
            gettext_lazy("Declare the result"),
            gettext_lazy("declare the result"),
            (Status.ELECTION,),
            Status.RESULT_DECLARED,
            "DeclareForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "inform",
            gettext_lazy("5. Inform the statutory body"),
            gettext_lazy("inform the statutory body"),
            (Status.RESULT_DECLARED,),
            Status.BODY_INFORMED,
            "InformForm",
            Process.REPRESENTATION,
        ),
        RoundStep(
            "choose",
            gettext_lazy("Record the statutory body's choice"),
            gettext_lazy("record the statutory body's choice"),
            (Status.CIRCULATED,),
            Status.CHOSEN,
            "ChooseForm",
            Process.MEMBERSHIP,
        ),
        RoundStep(
            "appoint",
            gettext_lazy("Make the appointment"),
            gettext_lazy("make the appointment"),
            (Status.BODY_INFORMED, Status.CHOSEN, Status.COMPLETED),
            Status.COMPLETED,
            "AppointForm",
        ),
        RoundStep(
            "cancel",
            gettext_lazy("Cancel the round"),
            gettext_lazy("cancel the round"),
            tuple(SelectionRound.IN_PROGRESS),
            Status.CANCELLED,
            "CancelForm",
        ),
    )
}

# What to do next at each status, for the refusal of a step taken out of order.
NEXT_STEP_HINT = {
    Status.OPENED: gettext_lazy("agree the timetable"),
    Status.TIMETABLE_AGREED: gettext_lazy("record the canvass"),
    Status.CANVASSING: gettext_lazy(
        "receive nominations, check eligibility, then open the election"
    ),
    Status.ELECTION: gettext_lazy("record the votes and declare the result"),
    Status.RESULT_DECLARED: gettext_lazy("inform the statutory body"),
    Status.BODY_INFORMED: gettext_lazy("make the appointment"),
    Status.REQUESTED: gettext_lazy("circulate the request"),
    Status.CIRCULATED: gettext_lazy("record the statutory body's choice"),
    Status.CHOSEN: gettext_lazy("make the appointment"),
}


def belongs(step: RoundStep, selection_round: SelectionRound) -> bool:
    return step.process is None or step.process == selection_round.process


def available_steps(selection_round: SelectionRound) -> list[RoundStep]:
    """The steps the round's status and process allow now, in the protocol's order."""
    return [
        step
        for step in STEPS.values()
        if selection_round.status in step.sources and belongs(step, selection_round)
    ]


def require_step(selection_round: SelectionRound, key: str) -> RoundStep:
    """For services: refuse a step of the other process, or one the round's status does not
    allow, saying which step comes next."""
    step = STEPS[key]
    if not belongs(step, selection_round):
        raise ValidationError(
            _("Cannot %(action)s: this round follows the %(process)s process.")
            % {"action": step.action, "process": selection_round.get_process_display().lower()}
        )
    if selection_round.status not in step.sources:
        message = _("Cannot %(action)s: the round is at '%(status)s'.") % {
            "action": step.action,
            "status": selection_round.get_status_display(),
        }
        hint = NEXT_STEP_HINT.get(selection_round.status)
        if hint:
            message += " " + _("The next step is to %(hint)s.") % {"hint": hint}
        raise ValidationError(message)
    return step
