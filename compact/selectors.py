"""Reads of the core model."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from compact.models import Body, Compact, Membership, Person


def compact_current() -> Compact | None:
    """The Compact this installation runs (the first one; most installations have one)."""
    return Compact.objects.order_by("pk").first()


def person_for_user(user: Any) -> Person | None:
    """The Person linked to a user account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("organisation").first()


def body_list() -> QuerySet[Body]:
    return Body.objects.select_related("compact", "parent").order_by("kind", "name")


def body_with_current_members(*, slug: str) -> Body:
    today = timezone.localdate()
    current = (
        Membership.objects.filter(start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("person", "person__organisation", "organisation")
        .order_by("role", "person__full_name")
    )
    return (
        Body.objects.select_related("compact", "parent")
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))
        .get(slug=slug)
    )


def bodies_of_user(user: Any) -> QuerySet[Body]:
    """Bodies where the user's Person holds a current membership."""
    today = timezone.localdate()
    current = Membership.objects.filter(person__user=user, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return Body.objects.filter(pk__in=current.values("body_id"))
