"""Dashboard panels: terms ending soon for officers; what a representative has to do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from compact.platform.access import Role, has_role
from compact.selectors import person_of
from representatives import selectors
from representatives.models import SectorIssue, SignUp


def officer_panel(request: HttpRequest) -> dict[str, Any] | None:
    return {
        "ending": list(selectors.appointments_ending()[:10]),
        "days": selectors.TERM_END_WARNING_DAYS,
        "unsigned_count": len(selectors.unsigned_appointments()),
        "waiting_signups": SignUp.objects.filter(status=SignUp.Status.WAITING).count(),
    }


def signup_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The administrators' queue: sign-ups waiting for a decision, oldest first."""
    waiting = SignUp.objects.filter(status=SignUp.Status.WAITING).order_by("pk")
    return {"waiting": list(waiting[:5]), "count": waiting.count()}


def representative_panel(request: HttpRequest) -> dict[str, Any] | None:
    if request.user.is_superuser or not has_role(request.user, Role.REPRESENTATIVE):
        return None
    person = person_of(request.user)
    if person is None:
        return None
    unsigned = [a for a in selectors.unsigned_appointments() if a.person_id == person.pk]
    return {
        "unsigned": unsigned,
        "queued": SectorIssue.objects.filter(
            appointment__person=person, status=SectorIssue.Status.QUEUED
        ).count(),
    }
