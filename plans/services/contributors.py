"""Who answers for each row: officers confirm (or correct) what the parser read from the
responsibility text, and each person asked gets a Contributor account (see docs/plans.md,
"Update calls")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Organisation, Person
from compact.platform.access import Role
from compact.platform.history import save_with_history
from compact.platform.roles import grant_role
from plans.models import Objective, Outcome, RowContributors
from plans.permissions import can_edit_plan


def _require_officer(actor: Any) -> None:
    if actor is not None and not can_edit_plan(actor):
        raise PermissionDenied(_("Only officers manage update calls."))


@transaction.atomic
def row_contributors_confirm(
    *,
    objective: Objective,
    links: Mapping[int, tuple[Iterable[Person], Iterable[Organisation]]],
    actor: Any,
) -> list[RowContributors]:
    """Confirm who answers for rows of one objective: ``links`` maps each row's id to its
    people and organisations. Rows of another objective are refused and nothing is saved."""
    _require_officer(actor)
    rows = {row.pk: row for row in Outcome.objects.filter(task__objective=objective)}
    strangers = sorted(set(links) - set(rows))
    if strangers:
        raise ValidationError(
            _("These rows are not in %(objective)s: %(rows)s.")
            % {"objective": objective.heading, "rows": ", ".join(map(str, strangers))}
        )
    confirmed = []
    existing = {
        link.outcome_id: link for link in RowContributors.objects.filter(outcome_id__in=links)
    }
    for row_id, (people, organisations) in links.items():
        link = existing.get(row_id) or RowContributors(outcome=rows[row_id])
        link.confirmed_at = timezone.now()
        link.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        link.save()
        link.people.set(list(people))
        link.organisations.set(list(organisations))
        confirmed.append(link)
    return confirmed


def _username_for(person: Person) -> str:
    base = person.email.split("@")[0].lower() if person.email else person.full_name.lower()
    base = re.sub(r"[^\w.@+-]", "", base.replace(" ", "."))[:100] or "contributor"
    user_model = get_user_model()
    username, suffix = base, 1
    while user_model.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}{suffix}"
    return username


@transaction.atomic
def contributor_account(*, person: Person, actor: Any) -> tuple[Any, bool]:
    """The person's account with the Contributor role: made (without a password: the call's
    e-mail carries a link to set one) when they have none. Returns (user, created). A Board
    member's or representative's account keeps its roles and gains this one."""
    _require_officer(actor)
    if not person.email:
        raise ValidationError(
            _("%(person)s has no e-mail address, so cannot be asked for progress.")
            % {"person": person}
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    user, created = person.user, False
    if user is None:
        first, _sep, last = person.full_name.partition(" ")
        user = get_user_model().objects.create_user(
            username=_username_for(person),
            email=person.email,
            first_name=first[:150],
            last_name=last[:150],
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        save_with_history(person, actor=actor, reason="Contributor account for update calls")
        created = True
    Group.objects.get_or_create(name=str(Role.CONTRIBUTOR))
    # Authorised by the officer's call; recorded like any role change (nothing when held
    # already). The call's e-mail tells them, so no second one.
    grant_role(
        user=user,
        role=str(Role.CONTRIBUTOR),
        actor=actor,
        reason="Asked for progress on plan rows",
        notify=False,
        procedure=True,
    )
    return user, created
