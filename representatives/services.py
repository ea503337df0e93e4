"""Writes for representatives. Each function checks permission, validates, writes in one
transaction and records who did it and when. The selection round is a state machine kept in
plain functions: each step refuses to run unless the round stands at the step before it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.models import Body, Organisation, Person
from compact.platform.access import Role, has_role, require_role
from compact.platform.history import save_with_history
from compact.platform.pdf import render_pdf
from compact.platform.roles import grant_role
from compact.selectors import code_of_conduct_current
from compact.services.codes import code_version_record
from partnerships.models import Partnership, ThirdSectorPlace
from representatives.models import (
    SIGNUP_PERSONAL_FIELDS,
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    Nomination,
    RoundEvent,
    SectorIssue,
    SelectionRound,
    Signature,
    SignUp,
)
from representatives.procedure import require_step

Status = SelectionRound.Status
SIGNUP_TOKEN_SALT = "representatives.signup.confirm"  # noqa: S105  (a salt, not a secret)
SIGNUP_TOKEN_MAX_AGE = 7 * 24 * 3600

CONSENT_WORDING = gettext_lazy(
    "Voluntary Action Merthyr Tydfil (VAMT) will hold the details you give on this form to "
    "consider you for third-sector representation or membership on partnerships and joint "
    "working groups under the Merthyr Tydfil Compact, and to contact you about it. Your "
    "details are seen only by VAMT officers and Compact Tracker administrators. The lawful "
    "basis is your consent (UK GDPR Article 6(1)(a)); you may withdraw it at any time and ask "
    "us to erase your details by emailing VAMT."
)


def _today() -> datetime.date:
    return timezone.localdate()


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


# --- Sign-ups -----------------------------------------------------------------------------


def signup_token(signup: SignUp) -> str:
    return signing.dumps({"signup": signup.pk, "email": signup.email}, salt=SIGNUP_TOKEN_SALT)


@transaction.atomic
def signup_submit(
    *,
    full_name: str,
    organisation_name: str,
    email: str,
    interests: str,
    consent: bool,
    site_url: str,
    phone: str = "",
    address: str = "",
    interest: str = SignUp.Interest.EITHER,
    experience: str = "",
    places: Iterable[ThirdSectorPlace] = (),
    partnerships: Iterable[Partnership] = (),
    consent_wording: Any = CONSENT_WORDING,
) -> SignUp:
    """A person registers interest without an account; consent is required and recorded with
    its exact wording, and a signed link is emailed to confirm the address."""
    if not consent:
        raise ValidationError(
            {"consent": _("We can only hold your details if you agree to the statement above.")}
        )
    signup = SignUp(
        full_name=full_name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        interest=interest,
        interests=interests.strip(),
        experience=experience.strip(),
        consent_wording=str(consent_wording),
        consent_given_at=timezone.now(),
    )
    save_with_history(signup, actor=None, reason="Signed up")
    signup.places.set(places)
    signup.partnerships.set(partnerships)
    link = site_url.rstrip("/") + reverse(
        "representatives:signup_confirm", kwargs={"token": signup_token(signup)}
    )
    send_mail(
        subject=_("Please confirm your email address - third-sector representatives"),
        message=render_to_string(
            "representatives/email/signup_confirm.txt", {"signup": signup, "link": link}
        ),
        from_email=None,
        recipient_list=[signup.email],
    )
    return signup


@transaction.atomic
def signup_confirm(*, token: str) -> SignUp:
    """The emailed link confirms the address and puts the sign-up in the administrators'
    queue; links older than a week or tampered with are refused."""
    try:
        payload = signing.loads(token, salt=SIGNUP_TOKEN_SALT, max_age=SIGNUP_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This confirmation link has expired. Please sign up again.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is not valid.")) from exc
    signup = SignUp.objects.select_for_update().filter(pk=payload.get("signup")).first()
    if signup is None or signup.email != payload.get("email"):
        raise ValidationError(_("This confirmation link is not valid."))
    if signup.status == SignUp.Status.UNVERIFIED:
        signup.status = SignUp.Status.WAITING
        signup.email_confirmed_at = timezone.now()
        save_with_history(signup, actor=None, reason="Email confirmed")
    return signup


def _require_signup_status(signup: SignUp, allowed: Sequence[str], action: str) -> None:
    if signup.status not in allowed:
        raise ValidationError(
            _("Cannot %(action)s this sign-up: it is %(status)s.")
            % {"action": action, "status": signup.get_status_display().lower()}
        )


def signup_email_confirmed(user: Any) -> bool:
    """The user's current address is one they confirmed through an approved sign-up, so the
    password-reset e-mail may reach them although the account was made without a password."""
    if not user.email:
        return False
    return SignUp.objects.filter(
        person__user=user,
        email__iexact=user.email,
        email_confirmed_at__isnull=False,
        status=SignUp.Status.APPROVED,
    ).exists()


def _set_password_link(user: Any, site_url: str) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


@transaction.atomic
def signup_approve(*, signup: SignUp, actor: Any, site_url: str) -> SignUp:
    """An administrator approves a confirmed sign-up: the Person is linked (same email) or
    created, given an account in the Representatives group, and emailed a set-password link."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators approve sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.WAITING], _("approve"))
    organisation = _signup_organisation(signup=signup, actor=actor)
    person = Person.objects.filter(email__iexact=signup.email).first()
    if person is None:
        person = Person(
            full_name=signup.full_name,
            organisation=organisation,
            email=signup.email,
            phone=signup.phone,
        )
        save_with_history(person, actor=actor, reason=f"From sign-up #{signup.pk}")
    user_model = get_user_model()
    user = person.user
    if user is None:
        base = re.sub(r"[^\w.@+-]", "", signup.email.split("@")[0].lower())[:100] or "rep"
        username, suffix = base, 1
        while user_model.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}{suffix}"
        first, _sep, last = signup.full_name.partition(" ")
        user = user_model.objects.create_user(
            username=username, email=signup.email, first_name=first[:150], last_name=last[:150]
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        save_with_history(person, actor=actor, reason=f"Account for sign-up #{signup.pk}")
    Group.objects.get_or_create(name=str(Role.REPRESENTATIVE))
    # Recorded like any role change; the approval e-mail below tells them, so no second one.
    grant_role(
        user=user,
        role=str(Role.REPRESENTATIVE),
        actor=actor,
        reason=f"Sign-up #{signup.pk} approved",
        notify=False,
        procedure=True,
    )
    signup.person = person
    signup.status = SignUp.Status.APPROVED
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Approved")
    for nomination in signup.nominations.filter(person__isnull=True):
        nomination.person = person
        save_with_history(nomination, actor=actor, reason="Sign-up approved")
    send_mail(
        subject=_("Your Compact Tracker account"),
        message=render_to_string(
            "representatives/email/signup_approved.txt",
            {"signup": signup, "user": user, "link": _set_password_link(user, site_url)},
        ),
        from_email=None,
        recipient_list=[signup.email],
    )
    return signup


@transaction.atomic
def signup_reject(*, signup: SignUp, reason: str, actor: Any) -> SignUp:
    """An administrator rejects a sign-up, always with a reason."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators reject sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING], _("reject"))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the sign-up.")})
    signup.status = SignUp.Status.REJECTED
    signup.rejection_reason = reason.strip()
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Rejected")
    return signup


@transaction.atomic
def signup_withdraw(*, signup: SignUp, actor: Any) -> SignUp:
    """The person withdrew (told VAMT); recorded by an administrator."""
    require_role(actor, Role.ADMINISTRATOR)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING], _("withdraw"))
    signup.status = SignUp.Status.WITHDRAWN
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Withdrawn")
    return signup


@transaction.atomic
def signup_merge(*, duplicate: SignUp, into: SignUp, actor: Any) -> SignUp:
    """An administrator merges a duplicate into the sign-up kept: places and partnerships are
    combined, the duplicate is marked merged."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators merge sign-ups."))
    if duplicate.pk == into.pk:
        raise ValidationError(_("A sign-up cannot be merged into itself."))
    open_statuses = [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING]
    duplicate = SignUp.objects.select_for_update().get(pk=duplicate.pk)
    into = SignUp.objects.select_for_update().get(pk=into.pk)
    _require_signup_status(duplicate, open_statuses, _("merge"))
    _require_signup_status(into, [*open_statuses, SignUp.Status.APPROVED], _("merge into"))
    into.places.add(*duplicate.places.all())
    into.partnerships.add(*duplicate.partnerships.all())
    duplicate.status = SignUp.Status.MERGED
    duplicate.merged_into = into
    duplicate.decided_at = timezone.now()
    duplicate.decided_by = actor
    save_with_history(duplicate, actor=actor, reason=f"Merged into #{into.pk}")
    return into


@transaction.atomic
def signup_erase(*, signup: SignUp, actor: Any) -> SignUp:
    """On request, erase the personal data of a rejected or withdrawn sign-up (or a merged
    duplicate), leaving an anonymised trace: number, dates, status, places of interest."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators erase sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(
        signup,
        [SignUp.Status.REJECTED, SignUp.Status.WITHDRAWN, SignUp.Status.MERGED],
        _("erase"),
    )
    if signup.nominations.exists():
        raise ValidationError(
            _("This sign-up was put forward in a selection round; that record must be kept.")
        )
    had_reason = bool(signup.rejection_reason)
    for name in SIGNUP_PERSONAL_FIELDS:
        setattr(signup, name, "")
    signup.full_name = _("(erased)")
    signup.organisation_name = _("(erased)")
    signup.email = f"erased-{signup.pk}@invalid.example"
    signup.interests = _("(erased)")
    signup.rejection_reason = _("(erased)") if had_reason else ""
    signup.status = SignUp.Status.ERASED
    signup.erased_at = timezone.now()
    signup.erased_by = actor
    save_with_history(signup, actor=actor, reason="Personal data erased on request")
    return signup


# --- Selection rounds: the state machine --------------------------------------------------


def _lock(selection_round: SelectionRound) -> SelectionRound:
    return SelectionRound.objects.select_for_update().get(pk=selection_round.pk)


def _advance(
    selection_round: SelectionRound,
    status: str,
    *,
    actor: Any,
    happened_on: datetime.date,
    note: str = "",
) -> None:
    selection_round.status = status
    save_with_history(selection_round, actor=actor, reason=str(Status(status).label))
    RoundEvent.objects.create(
        round=selection_round,
        step=status,
        happened_on=happened_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _require_officer(actor: Any) -> None:
    require_role(actor, Role.OFFICER, message=_("Only VAMT officers run selection rounds."))


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
            % {"date": f"{running.created_at:%d %B %Y}"}
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
            % {"date": f"{close:%d %B %Y}", "received": f"{received_on:%d %B %Y}"}
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
            % {"date": f"{selection_round.nominations_close_on:%d %B %Y}"}
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


def round_letter_context(selection_round: SelectionRound) -> dict[str, Any]:
    elected = [
        n
        for n in selection_round.nominations.select_related(
            "person", "person__organisation", "signup", "organisation"
        )
        if n.elected
    ]
    return {
        "round": selection_round,
        "place": selection_round.place,
        "partnership": selection_round.place.partnership,
        "elected": elected,
        "today": _today(),
        "title": _("Third-sector representative: %(partnership)s")
        % {"partnership": selection_round.place.partnership},
    }


def round_letter_pdf(selection_round: SelectionRound) -> bytes:
    """The letter to the statutory body naming the representative, as PDF."""
    return render_pdf("representatives/pdf/letter.html", round_letter_context(selection_round))


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
        context = round_letter_context(selection_round)
        message = EmailMessage(
            subject=str(context["title"]),
            body=render_to_string("representatives/email/letter.txt", context),
            to=[email],
        )
        message.attach(
            "representative-letter.pdf", round_letter_pdf(selection_round), "application/pdf"
        )
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


# --- Appointments -------------------------------------------------------------------------


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


# --- Code of Conduct ----------------------------------------------------------------------


@transaction.atomic
def conduct_version_publish(
    *,
    version: str,
    text: str,
    effective_on: datetime.date,
    actor: Any,
    code: Any = None,
) -> CodeOfConductVersion:
    """A new version of the Code of Conduct becomes current; everyone is asked to sign again.
    The version is also added to the code's entry in the codes register (the code of conduct
    entry unless ``code`` names another), so the register lists every published wording; a
    register version of the same label must have the same text."""
    require_role(actor, Role.OFFICER, Role.ADMINISTRATOR)
    if CodeOfConductVersion.objects.filter(version=version.strip()).exists():
        raise ValidationError({"version": _("There is already a version %(v)s.") % {"v": version}})
    if code is None:
        code, _latest = code_of_conduct_current()
    in_register = code.versions.filter(label=version.strip()).first() if code else None
    if in_register is not None and in_register.text.strip() != text.strip():
        raise ValidationError(
            {
                "version": _(
                    "The codes register already has a version %(v)s of this code with other "
                    "wording: give this one another version number."
                )
                % {"v": version.strip()}
            }
        )
    for previous in CodeOfConductVersion.objects.select_for_update().filter(is_current=True):
        previous.is_current = False
        save_with_history(previous, actor=actor, reason=f"Replaced by {version}")
    new = CodeOfConductVersion(
        code=code,
        version=version.strip(),
        text=text.strip(),
        effective_on=effective_on,
        is_current=True,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_with_history(new, actor=actor, reason="Published")
    if code is not None and in_register is None:
        code_version_record(
            code=code,
            label=new.version,
            date=effective_on,
            text=new.text,
            notes="Published for representatives to sign",
            actor=actor,
        )
    return new


@transaction.atomic
def conduct_sign(
    *,
    version: CodeOfConductVersion,
    partnership: Partnership,
    typed_name: str,
    actor: Any,
) -> Signature:
    """A representative signs the current version for a partnership they sit on; the typed
    name must be their full name; an outdated version is refused."""
    person = Person.objects.filter(user=actor).select_related("organisation").first()
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person."))
    version = CodeOfConductVersion.objects.get(pk=version.pk)
    if not version.is_current:
        current = CodeOfConductVersion.objects.filter(is_current=True).first()
        raise ValidationError(
            _(
                "Version %(old)s of the Code of Conduct has been replaced%(by)s. "
                "Read and sign the current version."
            )
            % {
                "old": version.version,
                "by": (" " + _("by version %(v)s") % {"v": current.version}) if current else "",
            }
        )
    if not Appointment.objects.filter(
        person=person, partnership=partnership, status__in=Appointment.CURRENT
    ).exists():
        raise ValidationError(
            {"partnership": _("You can sign only for a partnership where you hold a place.")}
        )
    if _normalise_name(typed_name) != _normalise_name(person.full_name):
        raise ValidationError(
            {
                "typed_name": _("Type your full name exactly as we hold it: %(name)s.")
                % {"name": person.full_name}
            }
        )
    if Signature.objects.filter(version=version, person=person, partnership=partnership).exists():
        raise ValidationError(_("You have already signed this version for this partnership."))
    signature = Signature(
        version=version,
        person=person,
        partnership=partnership,
        typed_name=typed_name.strip(),
        organisation_name=person.organisation.name if person.organisation else "",
        signed_by=actor,
    )
    save_with_history(signature, actor=actor, reason="Signed")
    return signature


# --- Declarations, feedback, sector issues ------------------------------------------------


def _own_person(actor: Any) -> Person:
    person = Person.objects.filter(user=actor).first()
    if person is None or not has_role(actor, Role.REPRESENTATIVE):
        raise PermissionDenied(_("Only representatives declare interests and file reports."))
    return person


def _check_declaration(
    kind: str, partnership: Partnership | None, meeting_date: Any, item: str
) -> None:
    if kind == Declaration.Kind.MEETING_ITEM and not (partnership and meeting_date and item):
        raise ValidationError(
            _("For a meeting item, give the partnership, the meeting date and the item.")
        )


@transaction.atomic
def declaration_create(
    *,
    kind: str,
    interest: str,
    actor: Any,
    partnership: Partnership | None = None,
    meeting_date: datetime.date | None = None,
    item: str = "",
    action_taken: str = "",
) -> Declaration:
    """A representative declares an interest, general or for a partnership meeting item."""
    person = _own_person(actor)
    _check_declaration(kind, partnership, meeting_date, item)
    declaration = Declaration(
        person=person,
        kind=kind,
        partnership=partnership,
        meeting_date=meeting_date,
        item=item.strip(),
        interest=interest.strip(),
        action_taken=action_taken.strip(),
    )
    save_with_history(declaration, actor=actor, reason="Declared")
    return declaration


@transaction.atomic
def declaration_update(*, declaration: Declaration, actor: Any, **fields: Any) -> Declaration:
    """A representative edits their own declaration."""
    person = _own_person(actor)
    if declaration.person_id != person.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(declaration, name, value.strip() if isinstance(value, str) else value)
    _check_declaration(
        declaration.kind, declaration.partnership, declaration.meeting_date, declaration.item
    )
    save_with_history(declaration, actor=actor, reason="Updated")
    return declaration


@transaction.atomic
def feedback_file(
    *,
    appointment: Appointment,
    meeting_date: datetime.date,
    discussed: str,
    actor: Any,
    issues_raised: str = "",
    sector_should_know: str = "",
) -> FeedbackReport:
    """After a partnership meeting the representative files a short report."""
    person = _own_person(actor)
    if appointment.person_id != person.pk:
        raise PermissionDenied
    if meeting_date > _today():
        raise ValidationError({"meeting_date": _("Report on a meeting that has happened.")})
    report = FeedbackReport(
        appointment=appointment,
        meeting_date=meeting_date,
        discussed=discussed.strip(),
        issues_raised=issues_raised.strip(),
        sector_should_know=sector_should_know.strip(),
    )
    save_with_history(report, actor=actor, reason="Filed")
    return report


@transaction.atomic
def feedback_update(*, report: FeedbackReport, actor: Any, **fields: Any) -> FeedbackReport:
    """The representative edits their own report until VAMT publishes it."""
    person = _own_person(actor)
    if report.appointment.person_id != person.pk:
        raise PermissionDenied
    if report.status == FeedbackReport.Status.PUBLISHED:
        raise ValidationError(_("This report has been published and can no longer be edited."))
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    save_with_history(report, actor=actor, reason="Updated")
    return report


@transaction.atomic
def feedback_publish(*, report: FeedbackReport, forum: Body, actor: Any) -> FeedbackReport:
    """A VAMT officer publishes a filed report to the relevant forum or network."""
    _require_officer(actor)
    report = FeedbackReport.objects.select_for_update().get(pk=report.pk)
    if report.status == FeedbackReport.Status.PUBLISHED:
        raise ValidationError(_("This report has already been published."))
    if forum.kind != Body.Kind.NETWORK:
        raise ValidationError({"forum": _("Publish to a forum or network.")})
    report.status = FeedbackReport.Status.PUBLISHED
    report.published_to = forum
    report.published_at = timezone.now()
    report.published_by = actor
    save_with_history(report, actor=actor, reason="Published")
    return report


@transaction.atomic
def sector_issue_queue(
    *, appointment: Appointment, issue: str, actor: Any, raised_through: Body | None = None
) -> SectorIssue:
    """VAMT queues an issue collected from the sector for the representative to take."""
    _require_officer(actor)
    if not appointment.is_current:
        raise ValidationError(_("Queue issues only for a current representative."))
    sector_issue = SectorIssue(
        appointment=appointment, issue=issue.strip(), raised_through=raised_through, queued_by=actor
    )
    save_with_history(sector_issue, actor=actor, reason="Queued")
    return sector_issue


@transaction.atomic
def sector_issue_take(*, sector_issue: SectorIssue, outcome: str, actor: Any) -> SectorIssue:
    """The representative records that they took the issue to the partnership."""
    person = _own_person(actor)
    if sector_issue.appointment.person_id != person.pk:
        raise PermissionDenied
    if sector_issue.status == SectorIssue.Status.TAKEN:
        raise ValidationError(_("This issue has already been taken to the partnership."))
    sector_issue.status = SectorIssue.Status.TAKEN
    sector_issue.taken_at = timezone.now()
    sector_issue.outcome = outcome.strip()
    save_with_history(sector_issue, actor=actor, reason="Taken")
    return sector_issue
