"""Writes for the register of interests: members of the Board and the bodies declare standing
interests, confirm them every 12 months and withdraw those they no longer hold; a daily
reminder goes a month before a confirmation is due, once per due date."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Body, InterestReminderSent, Membership, Person, StandingInterest
from compact.models.attendance import INTEREST_REMINDER_DAYS_BEFORE
from compact.platform.access import is_officer
from compact.platform.history import save_with_history
from compact.platform.language import text_for
from compact.services.notifications import absolute_url, send_quietly

logger = logging.getLogger(__name__)


def _require_self_or_officer(person: Person, actor: Any) -> None:
    if actor is None:
        return
    if person.user_id is not None and getattr(actor, "pk", None) == person.user_id:
        return
    if is_officer(actor):
        return
    raise PermissionDenied(_("You can only keep your own register of interests."))


def current_bodies(person: Person, today: datetime.date) -> list[Body]:
    return list(
        Body.objects.filter(
            memberships__person=person,
            memberships__start_date__lte=today,
        )
        .filter(Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def interest_declare(
    *,
    person: Person,
    description: str,
    body: Body | None = None,
    private_details: str = "",
    actor: Any = None,
) -> StandingInterest:
    """Declare a standing interest, for one body the person sits on or for all of them."""
    _require_self_or_officer(person, actor)
    today = timezone.localdate()
    bodies = current_bodies(person, today)
    if not bodies:
        raise ValidationError(
            _("Only members of the Board and its bodies keep a register of interests here.")
        )
    if body is not None and body not in bodies:
        raise ValidationError({"body": _("Choose a body you sit on, or leave it empty.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the interest.")})
    interest = StandingInterest(
        person=person,
        body=body,
        description=description.strip(),
        private_details=private_details.strip(),
        declared_on=today,
        last_confirmed_on=today,
    )
    save_with_history(interest, actor=actor, reason="Interest declared")
    return interest


@transaction.atomic
def interests_confirm(*, person: Person, actor: Any = None) -> int:
    """Confirm that the person's current interests still stand; returns how many."""
    _require_self_or_officer(person, actor)
    today = timezone.localdate()
    interests = list(
        StandingInterest.objects.select_for_update().filter(person=person, withdrawn_on=None)
    )
    if not interests:
        raise ValidationError(_("There is nothing to confirm: no interests are declared."))
    for interest in interests:
        interest.last_confirmed_on = today
        save_with_history(interest, actor=actor, reason="Interests confirmed")
    return len(interests)


@transaction.atomic
def interest_withdraw(*, interest: StandingInterest, actor: Any = None) -> StandingInterest:
    """The person no longer holds the interest: it leaves the register (the history keeps it)."""
    _require_self_or_officer(interest.person, actor)
    if interest.withdrawn_on is not None:
        raise ValidationError(_("This interest was already withdrawn."))
    interest.withdrawn_on = timezone.localdate()
    save_with_history(interest, actor=actor, reason="Interest withdrawn")
    return interest


# --- The daily reminder -------------------------------------------------------------------


def send_interest_reminders(today: datetime.date) -> int:
    """E-mail each current member whose interests fall due for confirmation within a month,
    once per due date (``InterestReminderSent``): running twice sends nothing new."""
    horizon = today + datetime.timedelta(days=INTEREST_REMINDER_DAYS_BEFORE)
    due: dict[int, datetime.date] = {}
    people: dict[int, Person] = {}
    for interest in StandingInterest.objects.filter(withdrawn_on=None).select_related(
        "person", "person__user"
    ):
        confirm_by = interest.confirm_by
        if confirm_by > horizon:
            continue
        if interest.person_id not in due or confirm_by < due[interest.person_id]:
            due[interest.person_id] = confirm_by
            people[interest.person_id] = interest.person
    members = set(
        Membership.objects.filter(person_id__in=due, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("person_id", flat=True)
    )
    sent_already = set(
        InterestReminderSent.objects.filter(person_id__in=due).values_list("person_id", "due_on")
    )
    link = absolute_url(reverse("compact:my_interests"))
    sent = 0
    for person_id, confirm_by in sorted(due.items()):
        person = people[person_id]
        email = person.email or (person.user.email if person.user else "")
        if person_id not in members or not email or (person_id, confirm_by) in sent_already:
            continue
        try:
            with transaction.atomic():
                InterestReminderSent.objects.create(person=person, due_on=confirm_by)
        except IntegrityError:  # another run got there first
            continue
        user = person.user
        context = {"person": person, "confirm_by": confirm_by, "link": link}
        message = EmailMessage(
            text_for(user, lambda: _("Please confirm your register of interests"), separator=" / "),
            text_for(
                user,
                lambda context=context: render_to_string(
                    "compact/email/interests_reminder.txt", context
                ),
            ),
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        if send_quietly([message], what=f"interests reminder {person_id}"):
            sent += 1
        else:  # not sent: tomorrow's run tries again
            InterestReminderSent.objects.filter(person=person, due_on=confirm_by).delete()
    return sent
