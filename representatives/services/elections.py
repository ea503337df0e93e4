"""Nominations and elections: receiving and checking nominations, withdrawals, the election via the
constituency, votes and the result."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.models import Body, Organisation, Person
from compact.platform.access import Role, require_role
from compact.platform.history import save_with_history
from representatives.models import (
    Nomination,
    SelectionRound,
    SignUp,
)
from representatives.procedure import require_step
from representatives.services.common import Status, _advance, _lock, _require_officer, _today


def _signup_organisation(*, signup: SignUp, actor: Any) -> Organisation:
    """The organisation a sign-up names, found by name or recorded as third sector."""
    organisation = Organisation.objects.filter(name__iexact=signup.organisation_name).first()
    if organisation is None:
        organisation = Organisation(name=signup.organisation_name, sector=Organisation.Sector.THIRD)
        save_with_history(organisation, actor=actor, reason=f"From sign-up #{signup.pk}")
    return organisation


@transaction.atomic
def nomination_add(
    *,
    selection_round: SelectionRound,
    nominated_by: str,
    actor: Any,
    person: Person | None = None,
    signup: SignUp | None = None,
    organisation: Organisation | None = None,
    supporting_statement: str = "",
    received_on: datetime.date | None = None,
) -> Nomination:
    """Step 3: a nomination (or expression of interest) is received while the round is
    canvassing and not after the closing date."""
    require_role(actor, Role.OFFICER, Role.ADMINISTRATOR)
    selection_round = _lock(selection_round)
    received_on = received_on or _today()
    require_step(selection_round, "nominate")
    close = selection_round.nominations_close_on
    if close is not None and received_on > close:
        raise ValidationError(
            _("Nominations closed on %(date)s; this one was received on %(received)s.")
            % {"date": date_format(close, "d F Y"), "received": date_format(received_on, "d F Y")}
        )
    if received_on > _today():
        raise ValidationError({"received_on": _("A nomination cannot be received in future.")})
    if person is None and signup is None:
        raise ValidationError(_("Name the nominee: a person or a sign-up."))
    if signup is not None:
        if signup.status not in (SignUp.Status.WAITING, SignUp.Status.APPROVED):
            raise ValidationError(
                _("Only a confirmed or approved sign-up can be put forward; this one is %(s)s.")
                % {"s": signup.get_status_display().lower()}
            )
        person = person or signup.person
    duplicate = selection_round.nominations.filter(withdrawn_at__isnull=True)
    if (person is not None and duplicate.filter(person=person).exists()) or (
        signup is not None and duplicate.filter(signup=signup).exists()
    ):
        raise ValidationError(_("This nominee is already nominated in this round."))
    if organisation is None and person is not None:
        organisation = person.organisation
    if organisation is None and signup is not None:
        # A sign-up not yet approved has no person: its organisation is the one it names.
        organisation = _signup_organisation(signup=signup, actor=actor)
    nomination = Nomination(
        round=selection_round,
        person=person,
        signup=signup,
        organisation=organisation,
        nominated_by=nominated_by.strip(),
        supporting_statement=supporting_statement.strip(),
        received_on=received_on,
    )
    save_with_history(nomination, actor=actor, reason="Nomination received")
    return nomination


@transaction.atomic
def nomination_check_eligibility(
    *, nomination: Nomination, eligible: bool, note: str, actor: Any
) -> Nomination:
    """An officer records whether the nominee is eligible (before the election opens)."""
    _require_officer(actor)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    require_step(_lock(nomination.round), "eligibility")
    if not eligible and not note.strip():
        raise ValidationError({"note": _("Say why the nominee is not eligible.")})
    nomination.eligible = eligible
    nomination.eligibility_note = note.strip()
    nomination.eligibility_checked_at = timezone.now()
    nomination.eligibility_checked_by = actor
    save_with_history(nomination, actor=actor, reason="Eligibility checked")
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, actor: Any) -> Nomination:
    """A nominee withdraws; allowed until the result is declared."""
    _require_officer(actor)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    require_step(_lock(nomination.round), "withdraw")
    if nomination.withdrawn_at is not None:
        raise ValidationError(_("This nomination has already been withdrawn."))
    nomination.withdrawn_at = timezone.now()
    save_with_history(nomination, actor=actor, reason="Withdrawn")
    return nomination


@transaction.atomic
def round_open_election(
    *,
    selection_round: SelectionRound,
    constituency: Body,
    opened_on: datetime.date,
    actor: Any,
) -> SelectionRound:
    """Step 4 begins: nominations close and the election runs via the constituency (a forum
    or network). Every nomination must have had its eligibility checked."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "election")
    if constituency.kind != Body.Kind.NETWORK:
        raise ValidationError(
            {"constituency": _("The election runs via a third-sector forum or network.")}
        )
    if opened_on < selection_round.nominations_close_on:
        raise ValidationError(
            _("Nominations stay open until %(date)s; the election can open after that.")
            % {"date": date_format(selection_round.nominations_close_on, "d F Y")}
        )
    nominations = list(selection_round.nominations.filter(withdrawn_at__isnull=True))
    unchecked = [n.nominee_name for n in nominations if n.eligibility_checked_at is None]
    if unchecked:
        raise ValidationError(
            _("Check the eligibility of every nominee first: %(names)s.")
            % {"names": ", ".join(unchecked)}
        )
    if not any(n.eligible for n in nominations):
        raise ValidationError(_("There is no eligible nominee. Canvass again or cancel the round."))
    selection_round.constituency = constituency
    _advance(
        selection_round,
        Status.ELECTION,
        actor=actor,
        happened_on=opened_on,
        note=_("Via %(body)s") % {"body": constituency},
    )
    return selection_round


@transaction.atomic
def election_record_votes(
    *, selection_round: SelectionRound, votes: dict[int, int], actor: Any
) -> SelectionRound:
    """Votes per nominee, recorded while the election is open; refused once it is closed."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    if selection_round.status in (
        Status.RESULT_DECLARED,
        Status.BODY_INFORMED,
        Status.COMPLETED,
    ):
        raise ValidationError(
            _("The election is closed: the result has been declared. Votes cannot be changed.")
        )
    require_step(selection_round, "votes")
    standing = {n.pk: n for n in selection_round.nominations.all() if n.standing}
    for nomination_id, count in votes.items():
        nomination = standing.get(nomination_id)
        if nomination is None:
            raise ValidationError(_("Votes can only be given to eligible, standing nominees."))
        if count is None or count < 0:
            raise ValidationError(_("Votes must be a whole number, zero or more."))
        nomination.votes = count
        save_with_history(nomination, actor=actor, reason="Votes recorded")
    return selection_round


@transaction.atomic
def election_declare_result(
    *,
    selection_round: SelectionRound,
    declared_on: datetime.date,
    actor: Any,
    tie_winners: Sequence[Nomination] = (),
    tie_decision: str = "",
) -> SelectionRound:
    """The result is declared: uncontested when no more nominees stand than places; otherwise
    the most votes win, and a tie at the boundary needs a recorded decision."""
    _require_officer(actor)
    selection_round = _lock(selection_round)
    require_step(selection_round, "declare")
    seats = selection_round.place.number_of_places
    standing = [n for n in selection_round.nominations.all() if n.standing]
    winners: list[Nomination]
    if len(standing) <= seats:
        winners = standing
        selection_round.uncontested = True
    else:
        missing = [n.nominee_name for n in standing if n.votes is None]
        if missing:
            raise ValidationError(
                _("Record the votes for every nominee first: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        ranked = sorted(standing, key=lambda n: n.votes or 0, reverse=True)
        boundary = ranked[seats - 1].votes
        above = [n for n in ranked if (n.votes or 0) > boundary]
        tied = [n for n in ranked if n.votes == boundary]
        if len(above) + len(tied) > seats:
            wanted = seats - len(above)
            tied_ids = {n.pk for n in tied}
            chosen = [n for n in tie_winners if n.pk in tied_ids]
            if len(chosen) != wanted or len({n.pk for n in chosen}) != wanted:
                raise ValidationError(
                    _(
                        "%(names)s tie on %(votes)s votes. Record the decision resolving the "
                        "tie and choose %(wanted)s of them."
                    )
                    % {
                        "names": ", ".join(n.nominee_name for n in tied),
                        "votes": boundary,
                        "wanted": wanted,
                    }
                )
            if not tie_decision.strip():
                raise ValidationError(
                    {"tie_decision": _("Record how the tie was resolved (e.g. drawn by lot).")}
                )
            selection_round.tie_decision = tie_decision.strip()
            winners = above + chosen
        else:
            winners = ranked[:seats]
    for nomination in winners:
        nomination.elected = True
        save_with_history(nomination, actor=actor, reason="Elected")
    names = ", ".join(n.nominee_name for n in winners)
    _advance(
        selection_round,
        Status.RESULT_DECLARED,
        actor=actor,
        happened_on=declared_on,
        note=(
            _("Uncontested: %(names)s") if selection_round.uncontested else _("Elected: %(names)s")
        )
        % {"names": names},
    )
    return selection_round
