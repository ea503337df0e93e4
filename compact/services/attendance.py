"""Writes for attendance: members' answers to a meeting notice (from the meeting page or a
signed one-click link in the e-mail) and the officer's register of who was present.

Answers and attendance are saved with history (who and why)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Attendance, AttendanceAnswer, Meeting, Membership, Person
from compact.permissions import can_prepare_meeting
from compact.platform.history import save_with_history
from compact.services.notifications import absolute_url

ANSWER_LINK_SALT = "compact.attendance_answer"
# A link in a notice works for this long after it was sent (and never after the meeting).
ANSWER_LINK_MAX_AGE_SECONDS = 60 * 60 * 24 * 60


def is_member_on_meeting_date(person: Person, meeting: Meeting) -> bool:
    """Whether ``person`` sits on the meeting's body on the meeting's date."""
    return (
        Membership.objects.filter(
            person=person, body_id=meeting.body_id, start_date__lte=meeting.date
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=meeting.date))
        .exists()
    )


def _check_answerable(meeting: Meeting, person: Person) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled: there is nothing to answer."))
    if meeting.date < timezone.localdate():
        raise ValidationError(
            _("This meeting has taken place; the officers record who was present.")
        )
    if not is_member_on_meeting_date(person, meeting):
        raise ValidationError(
            _("%(person)s is not a member of %(body)s on the date of this meeting.")
            % {"person": person, "body": meeting.body}
        )


def _save_answer(
    *, meeting: Meeting, person: Person, answer: str, substitute_name: str, actor: Any, reason: str
) -> AttendanceAnswer:
    if answer not in AttendanceAnswer.Answer.values:
        raise ValidationError({"answer": _("Choose attending, apologies or a substitute.")})
    _check_answerable(meeting, person)
    record = (
        AttendanceAnswer.objects.select_for_update().filter(meeting=meeting, person=person).first()
    )
    if record is None:
        record = AttendanceAnswer(meeting=meeting, person=person)
    record.answer = answer
    record.substitute_name = substitute_name
    save_with_history(record, actor=actor, reason=reason)
    return record


@transaction.atomic
def attendance_answer(
    *, meeting: Meeting, person: Person, answer: str, substitute_name: str = "", actor: Any
) -> AttendanceAnswer:
    """A member answers the notice for themselves (an officer may answer for a member)."""
    own = person.user_id is not None and getattr(actor, "pk", None) == person.user_id
    if actor is not None and not own and not can_prepare_meeting(actor):
        raise PermissionDenied(_("You can only answer for yourself."))
    return _save_answer(
        meeting=meeting,
        person=person,
        answer=answer,
        substitute_name=substitute_name,
        actor=actor,
        reason="Answered the meeting notice" if own else "Answer recorded by an officer",
    )


# --- One-click links ----------------------------------------------------------------------


def answer_token(meeting: Meeting, person: Person) -> str:
    """A signed, expiring token that lets ``person`` answer for ``meeting`` without signing in."""
    return signing.dumps({"m": meeting.pk, "p": person.pk}, salt=ANSWER_LINK_SALT, compress=True)


def answer_link_path(meeting: Meeting, person: Person) -> str:
    return reverse(
        "compact:attendance_answer_link",
        kwargs={"pk": meeting.pk, "token": answer_token(meeting, person)},
    )


def answer_link_for(meeting: Meeting, user: Any) -> str:
    """The full one-click link for a notice sent to ``user``, or "" when they are not a member
    of the body on the date or the meeting is not one to answer (cancelled, past)."""
    person = Person.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    if person is None or meeting.status != Meeting.Status.PLANNED:
        return ""
    if meeting.date < timezone.localdate() or not is_member_on_meeting_date(person, meeting):
        return ""
    return absolute_url(answer_link_path(meeting, person))


def person_from_token(*, token: str, meeting: Meeting, user: Any = None) -> Person:
    """The member a link was made for, or a ``ValidationError`` saying why it is refused:
    expired, altered, for another meeting, or opened by someone signed in as another person."""
    try:
        data = signing.loads(token, salt=ANSWER_LINK_SALT, max_age=ANSWER_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This link has expired. Sign in and answer from the meeting page.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(
            _("This link is not valid. Copy the whole link from the e-mail, or sign in.")
        ) from exc
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        raise ValidationError(_("This link is for another meeting."))
    person = Person.objects.filter(pk=data.get("p")).first()
    if person is None:
        raise ValidationError(_("This link is not valid. Copy the whole link from the e-mail."))
    if getattr(user, "is_authenticated", False) and person.user_id != user.pk:
        raise ValidationError(
            _("This link was sent to someone else. Sign out, or answer from the meeting page.")
        )
    return person


@transaction.atomic
def attendance_answer_by_link(
    *, meeting: Meeting, token: str, answer: str, substitute_name: str = "", user: Any = None
) -> AttendanceAnswer:
    """Answer through the link in the e-mail: the token is the member's key."""
    person = person_from_token(token=token, meeting=meeting, user=user)
    return _save_answer(
        meeting=meeting,
        person=person,
        answer=answer,
        substitute_name=substitute_name,
        actor=user if getattr(user, "is_authenticated", False) else None,
        reason="Answered from the link in the e-mail",
    )


# --- On the day ---------------------------------------------------------------------------


@transaction.atomic
def attendance_register(
    *,
    meeting: Meeting,
    members: dict[int, str],
    others: Iterable[tuple[Person, str, Person | None]] = (),
    actor: Any = None,
) -> list[Attendance]:
    """The officer records who was present: ``members`` maps each member's person id to a
    status (present, apologies, absent); ``others`` are (person, status, substitute for) of
    substitutes and people in attendance. Refused, with nothing saved, for a meeting still to
    come or cancelled, or a substitute for someone who is not a member."""
    if actor is not None and not can_prepare_meeting(actor):
        raise PermissionDenied(_("Only Compact officers can prepare meetings."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled: no attendance can be recorded."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded on or after the day of the meeting."))
    member_ids = set(
        Membership.objects.filter(body_id=meeting.body_id, start_date__lte=meeting.date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=meeting.date))
        .values_list("person_id", flat=True)
    )
    member_statuses = {
        Attendance.Status.PRESENT,
        Attendance.Status.APOLOGIES,
        Attendance.Status.ABSENT,
    }
    for person_id, status in members.items():
        if person_id not in member_ids:
            raise ValidationError(_("Only members of the body are listed as members."))
        if status not in member_statuses:
            raise ValidationError(_("Choose present, apologies or absent for each member."))
    others = list(others)
    for person, status, substitute_for in others:
        if status not in {Attendance.Status.PRESENT, Attendance.Status.IN_ATTENDANCE}:
            raise ValidationError(_("A substitute or guest is present or in attendance."))
        if person.pk in members:
            raise ValidationError(
                _("%(person)s is listed twice.") % {"person": person},
            )
        if substitute_for is not None and substitute_for.pk not in member_ids:
            raise ValidationError(
                _("%(person)s is not a member of %(body)s: nobody can substitute for them.")
                % {"person": substitute_for, "body": meeting.body}
            )
        if substitute_for is not None and members.get(substitute_for.pk) == "present":
            raise ValidationError(
                _("%(person)s was present: nobody can substitute for them.")
                % {"person": substitute_for}
            )
    existing = {
        row.person_id: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)
    }
    saved = []
    rows = [(pid, status, None) for pid, status in members.items()] + [
        (person.pk, status, substitute_for) for person, status, substitute_for in others
    ]
    for person_id, status, substitute_for in rows:
        row = existing.get(person_id) or Attendance(meeting=meeting, person_id=person_id)
        if (
            row.pk is not None
            and row.status == status
            and row.substitute_for_id == (substitute_for.pk if substitute_for else None)
        ):
            saved.append(row)
            continue
        row.status = status
        row.substitute_for = substitute_for
        save_with_history(row, actor=actor, reason="Attendance recorded on the day")
        saved.append(row)
    return saved
