"""Update calls: an officer asks the people responsible for progress on their rows; each
contributor proposes; officers accept (through the same service as their own row edits),
edit then accept, or return with a comment; closing the call leads to issuing the next update.
Nothing a contributor writes reaches the plan until an officer accepts it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from compact.models import Meeting, Person
from compact.platform.language import text_for
from compact.platform.locking import EditConflict, Merge, three_way_merge
from plans.models import (
    CallReminder,
    CallRequest,
    ImplementationPlan,
    Outcome,
    Proposal,
    UpdateCall,
    validate_plan_cell,
)
from plans.permissions import can_edit_plan
from plans.selectors import calls as selectors
from plans.services.contributors import contributor_account
from plans.services.items import outcome_update

PROPOSAL_FIELDS = Proposal.FIELDS
# A call's default deadline: three weeks before the Board meeting it prepares for.
DEFAULT_WEEKS_BEFORE_MEETING = 3
# Reminders to those who have not answered: once at each step, days before the deadline.
REMINDER_STEPS = (7, 2)


class ProposalConflict(Exception):
    """The row changed since the contributor saw it: the officer must look at the merge."""

    def __init__(self, *, proposal: Proposal, merge: Merge, current_version: int) -> None:
        self.proposal = proposal
        self.merge = merge
        self.current_version = current_version
        super().__init__(
            _("This row was changed after the contributor saw it; check the merge first.")
        )


@dataclass
class CallOpened:
    call: UpdateCall
    asked: list[Person]
    skipped: list[Person]  # no e-mail address: nobody can reach them


def _require_officer(actor: Any) -> None:
    if actor is not None and not can_edit_plan(actor):
        raise PermissionDenied(_("Only officers manage update calls."))


def _site(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _day(date: datetime.date) -> str:
    return date_format(date, "j F Y")  # in the active language: e-mails go out in the reader's


def _name(user: Any) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _set_password_link(user: Any) -> str:
    return _site(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )


def _mail(person: Person, *, subject: Any, template: str, context: dict[str, Any]) -> None:
    """One e-mail to the person's address, in the language their account chose (Welsh then
    English when they never chose)."""
    address = person.email or getattr(person.user, "email", "")
    if not address:
        return
    user = person.user
    send_mail(
        subject=text_for(user, lambda: str(subject()), separator=" / "),
        message=text_for(user, lambda: render_to_string(template, context)),
        from_email=None,
        recipient_list=[address],
    )


def default_deadline(meeting: Meeting) -> datetime.date:
    """Three weeks before the meeting, but never before tomorrow."""
    deadline = meeting.date - datetime.timedelta(weeks=DEFAULT_WEEKS_BEFORE_MEETING)
    return max(deadline, timezone.localdate() + datetime.timedelta(days=1))


@transaction.atomic
def open_call(
    *,
    plan: ImplementationPlan,
    deadline: datetime.date,
    message: str,
    actor: Any,
    message_cy: str = "",
    meeting: Meeting | None = None,
) -> CallOpened:
    """Open an update call: fix which rows are asked of whom, give each person asked a
    Contributor account, and send each one e-mail with the link to their rows."""
    _require_officer(actor)
    ImplementationPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("The deadline must be after today.")})
    for text in (message, message_cy):
        validate_plan_cell(text)
    if selectors.open_call(plan) is not None:
        raise ValidationError(
            _("This plan already has an open update call; close it before opening another.")
        )
    asked = selectors.people_to_ask(plan)
    if not asked:
        raise ValidationError(
            _(
                "No row names anyone who could be asked: confirm who answers for the rows "
                "(Contributors), or give the organisations lead contacts."
            )
        )
    number = (UpdateCall.objects.filter(plan=plan).aggregate(top=Max("number"))["top"] or 0) + 1
    call = UpdateCall(
        plan=plan,
        number=number,
        meeting=meeting,
        deadline=deadline,
        message=message,
        message_cy=message_cy,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        call.full_clean()
        call.save()
    except IntegrityError as exc:  # two officers at once
        raise ValidationError(_("This plan already has an open update call.")) from exc
    people = Person.objects.filter(pk__in=asked).select_related("user").order_by("full_name")
    reached, skipped = [], []
    for person in people:
        if not person.email:
            skipped.append(person)
            continue
        CallRequest.objects.bulk_create(
            [
                CallRequest(call=call, outcome_id=row_id, person=person)
                for row_id in asked[person.pk]
            ]
        )
        user, created = contributor_account(person=person, actor=actor)
        person.user = user
        link = _site(reverse("plans:my_rows", kwargs={"pk": call.pk}))
        _mail(
            person,
            subject=lambda: (
                _("Progress wanted on the implementation plan by %(date)s")
                % {"date": _day(deadline)}
            ),
            template="plans/email/call_opened.txt",
            context={
                "call": call,
                "person": person,
                "rows": len(asked[person.pk]),
                "link": link,
                "set_password": _set_password_link(user) if created else "",
                "username": user.get_username(),
            },
        )
        reached.append(person)
    return CallOpened(call=call, asked=reached, skipped=skipped)


def _row_values(row: Outcome) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PROPOSAL_FIELDS}


def _seen(row: Outcome, base_version: int) -> dict[str, Any]:
    """The row as the contributor saw it: now, or its history record at that version."""
    if base_version == row.version:
        return _row_values(row)
    record = (
        Outcome.history.filter(id=row.pk, version=base_version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        raise ValidationError(_("This row has no version %(version)s.") % {"version": base_version})
    return {name: getattr(record, name) for name in PROPOSAL_FIELDS}


@transaction.atomic
def propose(
    *,
    call: UpdateCall,
    row: Outcome,
    user: Any,
    fields: Mapping[str, Any],
    note: str = "",
    base_version: int,
    person: Person | None = None,
) -> Proposal:
    """A contributor proposes progress, status and timescale for one of their rows (saving
    again revises it) until the deadline. Nothing in the plan changes."""
    person = person or getattr(user, "person", None)
    if person is None or (user is not None and person.user_id != user.pk):
        raise PermissionDenied(_("Only the people asked for this row may propose its progress."))
    call = UpdateCall.objects.select_for_update().get(pk=call.pk)
    if not CallRequest.objects.filter(call=call, outcome=row, person=person).exists():
        raise PermissionDenied(_("Only the people asked for this row may propose its progress."))
    if not call.accepts_answers():
        raise ValidationError(
            _("This call closed on %(date)s: proposals can no longer be changed.")
            % {"date": _day(call.deadline)}
        )
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValueError(f"Fields not proposable: {sorted(unknown)}")
    row = Outcome.objects.get(pk=row.pk)
    values = {**_row_values(row), **{k: ("" if v is None else v) for k, v in fields.items()}}
    if values["status"] not in Outcome.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    errors: dict[str, list[Any]] = {}
    for name in (*PROPOSAL_FIELDS, "note"):
        value = note if name == "note" else values[name]
        try:
            validate_plan_cell(value)
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    seen = _seen(row, int(base_version))
    proposal = (
        Proposal.objects.select_for_update().filter(call=call, outcome=row, person=person).first()
    ) or Proposal(call=call, outcome=row, person=person, created_at=timezone.now())
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.note = note
    proposal.base_version = int(base_version)
    proposal.base = seen
    proposal.author = user if getattr(user, "is_authenticated", False) else None
    proposal.state = Proposal.State.PENDING
    proposal.updated_at = timezone.now()
    proposal.decided_at = proposal.decided_by = None
    proposal.save()
    return proposal


def proposal_merge(proposal: Proposal, row: Outcome | None = None) -> Merge | None:
    """None while the row is as the contributor saw it; else the three-way merge of the
    proposal and the row now from what the contributor saw."""
    row = row or proposal.outcome
    if row.version == proposal.base_version:
        return None
    return three_way_merge(
        ancestor=proposal.base or None,
        mine=proposal.values(),
        theirs=_row_values(row),
        fields=PROPOSAL_FIELDS,
    )


@transaction.atomic
def accept(
    *,
    proposal: Proposal,
    actor: Any,
    fields: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> Outcome:
    """Apply a proposal to its row (as proposed, or as the officer edited it) through the
    row editor's service; the history names the contributor and the officer. A row changed
    since the contributor saw it raises :class:`ProposalConflict` unless the officer's edit
    was made against the row as it is now (``expected_version``)."""
    _require_officer(actor)
    proposal = (
        Proposal.objects.select_for_update().select_related("person", "call").get(pk=proposal.pk)
    )
    if proposal.state == Proposal.State.ACCEPTED:
        raise ValidationError(_("This proposal has already been accepted."))
    data = dict(fields) if fields is not None else proposal.values()
    unknown = set(data) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValueError(f"Fields not proposable: {sorted(unknown)}")
    version = proposal.base_version if expected_version is None else int(expected_version)
    edited = fields is not None and data != proposal.values()
    reason = (
        f"Progress from {proposal.person.full_name} (update call {proposal.call.number}), "
        f"{'edited and accepted' if edited else 'accepted'} by {_name(actor)}"
    )
    try:
        row = outcome_update(
            outcome=proposal.outcome,
            expected_version=version,
            data=data,
            actor=actor,
            reason=reason,
        )
    except EditConflict as conflict:
        row = conflict.instance
        merge = proposal_merge(proposal, row) or three_way_merge(
            ancestor=None, mine=data, theirs=_row_values(row), fields=PROPOSAL_FIELDS
        )
        raise ProposalConflict(
            proposal=proposal, merge=merge, current_version=conflict.current_version
        ) from conflict
    proposal.state = Proposal.State.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.save()
    return row


@transaction.atomic
def return_proposal(*, proposal: Proposal, actor: Any, comment: str) -> Proposal:
    """Send a proposal back to its contributor with a comment (e-mailed); they may revise it
    until the deadline."""
    _require_officer(actor)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change, so the contributor knows.")})
    validate_plan_cell(comment)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("person__user", "call")
        .get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(_("Only a proposal waiting for review can be returned."))
    proposal.state = Proposal.State.RETURNED
    proposal.comment = comment
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.save()
    if proposal.person.user is not None:
        _mail(
            proposal.person,
            subject=lambda: _("Your progress on the implementation plan was returned"),
            template="plans/email/proposal_returned.txt",
            context={
                "proposal": proposal,
                "row": proposal.outcome,
                "link": _site(reverse("plans:my_rows", kwargs={"pk": proposal.call_id})),
            },
        )
    return proposal


@transaction.atomic
def close_call(*, call: UpdateCall, actor: Any) -> UpdateCall:
    """Close a call: contributors can no longer propose; proposals still waiting stay in the
    queue for review."""
    _require_officer(actor)
    call = UpdateCall.objects.select_for_update().get(pk=call.pk)
    if call.is_closed:
        raise ValidationError(_("This call is already closed."))
    call.closed_at = timezone.now()
    call.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    call.save()
    return call


def _step(call: UpdateCall, today: datetime.date) -> int | None:
    """The reminder step due today: 7 from a week before the deadline (for calls opened before
    then: the invitation itself is fresher), 2 from two days before."""
    days_left = (call.deadline - today).days
    if 0 <= days_left <= REMINDER_STEPS[1]:
        return REMINDER_STEPS[1]
    opened = timezone.localtime(call.opened_at).date()
    if REMINDER_STEPS[1] < days_left <= REMINDER_STEPS[0] and (
        (call.deadline - opened).days > REMINDER_STEPS[0]
    ):
        return REMINDER_STEPS[0]
    return None


@transaction.atomic
def call_reminders_send(today: datetime.date) -> int:
    """Remind the contributors who have not answered any of their rows, once at 7 and once at
    2 days before the deadline, never twice for the same step. Returns e-mails sent."""
    sent = 0
    for call in UpdateCall.objects.filter(closed_at__isnull=True, deadline__gte=today):
        step = _step(call, today)
        if step is None:
            continue
        answered = set(Proposal.objects.filter(call=call).values_list("person_id", flat=True))
        reminded = set(
            CallReminder.objects.filter(call=call, days_before=step).values_list(
                "person_id", flat=True
            )
        )
        waiting = (
            Person.objects.filter(pk__in=CallRequest.objects.filter(call=call).values("person"))
            .exclude(pk__in=answered | reminded)
            .select_related("user")
        )
        for person in waiting:
            CallReminder.objects.create(call=call, person=person, days_before=step)
            if person.user is None:
                continue
            _mail(
                person,
                subject=lambda deadline=call.deadline: (
                    _("Reminder: progress on the implementation plan by %(date)s")
                    % {"date": _day(deadline)}
                ),
                template="plans/email/call_reminder.txt",
                context={
                    "call": call,
                    "person": person,
                    "link": _site(reverse("plans:my_rows", kwargs={"pk": call.pk})),
                },
            )
            sent += 1
    return sent
