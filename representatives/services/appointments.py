"""Appointments: making them (from a round or a direct link), induction, the code-of-conduct check
and ending a term."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Body, Organisation, Person
from compact.platform.history import save_with_history
from partnerships.models import ThirdSectorPlace
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Nomination,
    RoundEvent,
    SelectionRound,
    Signature,
)
from representatives.procedure import require_step
from representatives.services.common import Status, _advance, _lock, _require_officer


def _check_place_free(place: ThirdSectorPlace, exclude: Appointment | None = None) -> None:
    holders = Appointment.objects.filter(
        place=place, status__in=Appointment.CURRENT, deputy_of__isnull=True
    ).select_related("person")
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    holders = list(holders)
    if len(holders) >= place.number_of_places:
        raise ValidationError(
            _(
                "%(place)s already has %(count)s active holder(s) for %(seats)s place(s): "
                "%(names)s. End that appointment first."
            )
            % {
                "place": place,
                "count": len(holders),
                "seats": place.number_of_places,
                "names": ", ".join(h.person.full_name for h in holders),
            }
        )


@transaction.atomic
def appointment_make(
    *,
    selection_round: SelectionRound,
    nomination: Nomination,
    term_start: datetime.date,
    actor: Any,
    term_end: datetime.date | None = None,
    mandate_body: Body | None = None,
    deputy_of: Appointment | None = None,
) -> Appointment:
    """The appointment follows the round: only someone elected (or chosen) in it, only after
    the statutory body has been told, and never beyond the place's number of holders. A deputy
    is a standing nominee of the same round, for a place that has a deputy."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "appoint")
    place = ThirdSectorPlace.objects.select_for_update().get(pk=selection_round.place_id)
    nomination = Nomination.objects.select_related("person__organisation").get(pk=nomination.pk)
    if nomination.round_id != selection_round.pk:
        raise ValidationError(_("This nominee was not nominated in this round."))
    if deputy_of is None:
        if not nomination.elected:
            raise ValidationError(
                _("%(name)s was not elected in this round and cannot be appointed.")
                % {"name": nomination.nominee_name}
            )
        _check_place_free(place)
    else:
        if not place.has_deputy:
            raise ValidationError(_("This place has no deputy."))
        if deputy_of.place_id != place.pk or not deputy_of.is_current:
            raise ValidationError(_("A deputy deputises for a current holder of this place."))
        if Appointment.objects.filter(deputy_of=deputy_of, status__in=Appointment.CURRENT).exists():
            raise ValidationError(_("This holder already has a deputy."))
        if not nomination.standing:
            raise ValidationError(_("The deputy must be an eligible nominee of this round."))
    if nomination.person_id is None:
        raise ValidationError(
            _("Approve %(name)s's sign-up first, so that they have an account.")
            % {"name": nomination.nominee_name}
        )
    if Appointment.objects.filter(nomination=nomination, status__in=Appointment.CURRENT).exists():
        raise ValidationError(_("This nominee has already been appointed."))
    if mandate_body is None and selection_round.constituency_id:
        mandate_body = selection_round.constituency
    if mandate_body is not None and mandate_body.kind != Body.Kind.NETWORK:
        raise ValidationError({"mandate_body": _("The mandate comes from a forum or network.")})
    if term_end is None and place.term_months:
        month = term_start.month - 1 + place.term_months
        year, month = term_start.year + month // 12, month % 12 + 1
        term_end = datetime.date(year, month, min(term_start.day, 28)) - datetime.timedelta(1)
    appointment = Appointment(
        person=nomination.person,
        organisation=nomination.organisation or nomination.person.organisation,
        place=place,
        partnership=place.partnership,
        round=selection_round,
        nomination=nomination,
        deputy_of=deputy_of,
        term_start=term_start,
        term_end=term_end,
        mandate_body=mandate_body,
    )
    save_with_history(appointment, actor=actor, reason="Appointed")
    if selection_round.status != Status.COMPLETED:
        _advance(
            selection_round,
            Status.COMPLETED,
            actor=actor,
            happened_on=term_start,
            note=_("%(name)s appointed") % {"name": appointment.person},
        )
    return appointment


@transaction.atomic
def direct_link_record(
    *,
    place: ThirdSectorPlace,
    person: Person,
    informed_by: Organisation,
    informed_on: datetime.date,
    invited_on: datetime.date,
    term_start: datetime.date,
    actor: Any,
    term_end: datetime.date | None = None,
) -> Appointment:
    """Existing direct link: the statutory partner informed VAMT of its third-sector member;
    VAMT links with them and invites them to meetings and events."""
    _require_officer(actor)
    if informed_by.sector != Organisation.Sector.PUBLIC:
        raise ValidationError({"informed_by": _("A statutory partner informs VAMT.")})
    if invited_on < informed_on:
        raise ValidationError({"invited_on": _("VAMT invites after being informed.")})
    _check_place_free(place)
    selection_round = SelectionRound(
        place=place,
        process=SelectionRound.Process.DIRECT_LINK,
        statutory_body=informed_by,
        created_by=actor,
        status=Status.CHOSEN,
    )
    save_with_history(selection_round, actor=actor, reason="Direct link recorded")
    RoundEvent.objects.create(
        round=selection_round,
        step=Status.CHOSEN,
        happened_on=informed_on,
        recorded_by=actor,
        note=_("%(body)s informed VAMT of %(name)s") % {"body": informed_by, "name": person},
    )
    nomination = Nomination(
        round=selection_round,
        person=person,
        organisation=person.organisation,
        nominated_by=str(informed_by),
        received_on=informed_on,
        eligible=True,
        eligibility_checked_at=timezone.now(),
        eligibility_checked_by=actor,
        elected=True,
    )
    save_with_history(nomination, actor=actor, reason="Direct link")
    appointment = appointment_make(
        selection_round=selection_round,
        nomination=nomination,
        term_start=term_start,
        term_end=term_end,
        actor=actor,
    )
    appointment.invited_on = invited_on
    save_with_history(appointment, actor=actor, reason="Linked and invited")
    return appointment


def appointment_code_signed(appointment: Appointment) -> bool:
    current = CodeOfConductVersion.objects.filter(is_current=True).first()
    return (
        current is not None
        and Signature.objects.filter(
            version=current,
            person_id=appointment.person_id,
            partnership_id=appointment.partnership_id,
        ).exists()
    )


INDUCTION_ITEMS = ("role_briefed", "conflict_explained", "feedback_agreed")


@transaction.atomic
def appointment_induction_record(
    *, appointment: Appointment, items: Iterable[str], actor: Any
) -> Appointment:
    """Step 6: tick induction items (role briefed, conflict of interest explained, feedback
    channels agreed), each stamped with the time it was ticked."""
    _require_officer(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.INDUCTION:
        raise ValidationError(_("Induction is recorded only for an appointment in induction."))
    now = timezone.now()
    for item in items:
        if item not in INDUCTION_ITEMS:
            raise ValidationError(_("Unknown induction item: %(item)s") % {"item": item})
        if getattr(appointment, f"{item}_at") is None:
            setattr(appointment, f"{item}_at", now)
    save_with_history(appointment, actor=actor, reason="Induction items recorded")
    return appointment


@transaction.atomic
def appointment_induction_complete(*, appointment: Appointment, actor: Any) -> Appointment:
    """Induction completes only when every item is done and the code of conduct is signed;
    then the appointment counts as fully active."""
    _require_officer(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.INDUCTION:
        raise ValidationError(_("This appointment is not in induction."))
    missing = [
        str(Appointment._meta.get_field(f"{item}_at").verbose_name)
        for item in INDUCTION_ITEMS
        if getattr(appointment, f"{item}_at") is None
    ]
    if not appointment_code_signed(appointment):
        missing.append(_("code of conduct signed"))
    if missing:
        raise ValidationError(
            _("Induction is not complete: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    appointment.status = Appointment.Status.ACTIVE
    appointment.induction_completed_at = timezone.now()
    appointment.induction_completed_by = actor
    save_with_history(appointment, actor=actor, reason="Induction complete")
    return appointment


@transaction.atomic
def appointment_end(
    *, appointment: Appointment, ended_on: datetime.date, actor: Any, reason: str = ""
) -> Appointment:
    """An officer ends an appointment (term over, resignation)."""
    _require_officer(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_current:
        raise ValidationError(_("This appointment has already ended."))
    if ended_on < appointment.term_start:
        raise ValidationError({"ended_on": _("It cannot end before the term started.")})
    appointment.status = Appointment.Status.ENDED
    appointment.ended_on = ended_on
    save_with_history(appointment, actor=actor, reason=reason or "Ended")
    return appointment
