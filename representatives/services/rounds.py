"""Selection rounds: opening a round, agreeing the timetable, canvassing or circulating the
request, telling the statutory body the result or recording its choice, and cancelling; each
step guarded by representatives.procedure."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.models import Body, Organisation
from compact.platform.history import save_with_history
from compact.platform.mail import messages_in_their_language
from compact.platform.pdf.languages import BILINGUAL, language_suffix
from partnerships.models import ThirdSectorPlace
from representatives.models import (
    Nomination,
    RoundEvent,
    SelectionRound,
)
from representatives.papers import round_letter_context, round_letter_pdf
from representatives.procedure import require_step
from representatives.services.common import Status, _advance, _lock, _require_officer, _today


@transaction.atomic
def round_open(
    *,
    place: ThirdSectorPlace,
    actor: Any,
    process: str = SelectionRound.Process.REPRESENTATION,
    statutory_body: Organisation | None = None,
    notes: str = "",
    opened_on: datetime.date | None = None,
) -> SelectionRound:
    """An officer opens a round to fill a place; only one round per place runs at a time."""
    _require_officer(actor)
    if process == SelectionRound.Process.DIRECT_LINK:
        raise ValidationError(_("Record an existing direct link with its own form."))
    running = SelectionRound.objects.filter(
        place=place, status__in=SelectionRound.IN_PROGRESS
    ).first()
    if running is not None:
        raise ValidationError(
            _("A round for this place is already in progress (opened %(date)s).")
            % {"date": date_format(running.created_at, "d F Y")}
        )
    selection_round = SelectionRound(
        place=place,
        process=process,
        statutory_body=statutory_body or place.partnership.lead_body,
        notes=notes,
        created_by=actor,
        status=Status.OPENED,
    )
    save_with_history(selection_round, actor=actor, reason="Round opened")
    if process == SelectionRound.Process.MEMBERSHIP:
        # The membership process starts when the statutory body asks VAMT for help.
        _advance(
            selection_round,
            Status.REQUESTED,
            actor=actor,
            happened_on=opened_on or _today(),
            note=notes,
        )
    else:
        RoundEvent.objects.create(
            round=selection_round,
            step=Status.OPENED,
            happened_on=opened_on or _today(),
            recorded_by=actor,
            note=notes,
        )
    return selection_round


@transaction.atomic
def round_agree_timetable(
    *,
    selection_round: SelectionRound,
    statutory_body: Organisation,
    nominations_close_on: datetime.date,
    election_on: datetime.date,
    appointment_on: datetime.date,
    agreed_on: datetime.date,
    actor: Any,
) -> SelectionRound:
    """Step 1: VAMT and the statutory body agree the timetable; the dates must run in order."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "timetable")
    if statutory_body.sector != Organisation.Sector.PUBLIC:
        raise ValidationError(
            {"statutory_body": _("The timetable is agreed with a public-sector body.")}
        )
    if not nominations_close_on <= election_on <= appointment_on:
        raise ValidationError(
            _(
                "The dates must run in order: nominations close, then the election, "
                "then the appointment."
            )
        )
    selection_round.statutory_body = statutory_body
    selection_round.nominations_close_on = nominations_close_on
    selection_round.election_on = election_on
    selection_round.appointment_on = appointment_on
    _advance(
        selection_round,
        Status.TIMETABLE_AGREED,
        actor=actor,
        happened_on=agreed_on,
        note=_("Agreed with %(body)s") % {"body": statutory_body},
    )
    return selection_round


def _check_channels(channels: Sequence[Body]) -> None:
    wrong = [body.name for body in channels if body.kind != Body.Kind.NETWORK]
    if wrong:
        raise ValidationError(
            {
                "channels": _("Only networks and fora can be canvassed: %(names)s.")
                % {"names": ", ".join(wrong)}
            }
        )


@transaction.atomic
def round_canvass(
    *,
    selection_round: SelectionRound,
    channels: Sequence[Body],
    wider_membership: bool,
    canvassed_on: datetime.date,
    actor: Any,
    note: str = "",
) -> SelectionRound:
    """Step 2: VAMT canvasses the sector through named networks and fora or its wider
    membership; at least one channel is recorded."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "canvass")
    channels = list(channels)
    if not channels and not wider_membership:
        raise ValidationError(
            _("Record the networks or fora canvassed, or tick the wider membership.")
        )
    _check_channels(channels)
    if canvassed_on > selection_round.nominations_close_on:
        raise ValidationError(
            {"canvassed_on": _("The canvass must happen before nominations close.")}
        )
    selection_round.wider_membership = wider_membership
    _advance(selection_round, Status.CANVASSING, actor=actor, happened_on=canvassed_on, note=note)
    selection_round.channels.set(channels)
    return selection_round


@transaction.atomic
def round_membership_circulate(
    *,
    selection_round: SelectionRound,
    channels: Sequence[Body],
    wider_membership: bool,
    circulated_on: datetime.date,
    actor: Any,
    note: str = "",
) -> SelectionRound:
    """Membership process: VAMT circulates the statutory body's request."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "circulate")
    channels = list(channels)
    if not channels and not wider_membership:
        raise ValidationError(_("Record the networks or fora used, or tick the wider membership."))
    _check_channels(channels)
    selection_round.wider_membership = wider_membership
    _advance(selection_round, Status.CIRCULATED, actor=actor, happened_on=circulated_on, note=note)
    selection_round.channels.set(channels)
    return selection_round


@transaction.atomic
def round_inform_statutory_body(
    *,
    selection_round: SelectionRound,
    recipient: str,
    sent_on: datetime.date,
    actor: Any,
    email: str = "",
) -> SelectionRound:
    """Step 5: VAMT informs the statutory body of the representative's name and contact
    details; with an address, the letter is emailed as a PDF; the date sent is recorded."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "inform")
    if not recipient.strip():
        raise ValidationError({"recipient": _("Say who the letter was sent to.")})
    selection_round.letter_recipient = recipient.strip()
    selection_round.letter_email = email.strip()
    selection_round.letter_sent_on = sent_on
    if email:
        # A statutory body's address has no profile: the letter goes in both languages, Welsh
        # first (the PDF too), unless the address is a person's who chose one.
        for message in messages_in_their_language(
            recipients=[email],
            subject=lambda: str(round_letter_context(selection_round)["title"]),
            body=lambda: render_to_string(
                "representatives/email/letter.txt", round_letter_context(selection_round)
            ),
            attachments=lambda code: [
                (
                    f"representative-letter{language_suffix(code or BILINGUAL)}.pdf",
                    round_letter_pdf(selection_round, language=code or BILINGUAL),
                    "application/pdf",
                )
            ],
        ):
            message.send()
    _advance(
        selection_round,
        Status.BODY_INFORMED,
        actor=actor,
        happened_on=sent_on,
        note=_("Letter sent to %(who)s") % {"who": recipient},
    )
    return selection_round


@transaction.atomic
def round_membership_choose(
    *,
    selection_round: SelectionRound,
    nomination: Nomination,
    informed_on: datetime.date,
    actor: Any,
) -> SelectionRound:
    """Membership process: the statutory body chose among the expressions of interest and
    informed VAMT."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "choose")
    if nomination.round_id != selection_round.pk or nomination.withdrawn_at is not None:
        raise ValidationError(_("Choose one of this round's expressions of interest."))
    nomination.elected = True
    save_with_history(nomination, actor=actor, reason="Chosen by the statutory body")
    _advance(
        selection_round,
        Status.CHOSEN,
        actor=actor,
        happened_on=informed_on,
        note=_("%(name)s chosen") % {"name": nomination.nominee_name},
    )
    return selection_round


@transaction.atomic
def round_cancel(*, selection_round: SelectionRound, reason: str, actor: Any) -> SelectionRound:
    """An officer cancels a round in progress, with a reason."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    if not selection_round.in_progress:
        raise ValidationError(_("Only a round in progress can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    _advance(selection_round, Status.CANCELLED, actor=actor, happened_on=_today(), note=reason)
    return selection_round
