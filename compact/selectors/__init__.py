"""Reads of the core model."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from compact.models import Body, CodeOfPractice, Compact, Meeting, Membership, Person
from compact.models.codes import CODE_OF_CONDUCT_SLUG


def compact_current() -> Compact | None:
    """The Compact this installation runs (the first one; most installations have one)."""
    return Compact.objects.order_by("pk").first()


def public_meetings(*, limit: int = 5) -> list[Meeting]:
    """The next meetings of bodies whose meetings are listed publicly (one query)."""
    return list(
        Meeting.objects.filter(body__meetings_public=True, date__gte=timezone.localdate())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("date", "start_time")[:limit]
    )


def person_of(user: Any) -> Person | None:
    """The Person linked to a user account (with their organisation), if any."""
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


# --- Codes of practice --------------------------------------------------------------------

PARTY_ORDER = ["all", "public", "vamt", "third"]


def code_register() -> QuerySet[Any]:
    """The register of codes and supporting documents, with owners (one query)."""
    from compact.models import CodeOfPractice

    return CodeOfPractice.objects.select_related("owner", "owner_body").order_by("title")


def commitments_by_party(code: Any) -> list[tuple[str, list[Any]]]:
    """The code's commitments grouped by party in the code's own order (All parties, Public
    sector, VAMT, Third sector), not the alphabetical order of the party values."""
    groups: dict[str, list[Any]] = {party: [] for party in PARTY_ORDER}
    labels = {}
    for commitment in code.commitments.order_by("number"):
        groups.setdefault(commitment.party, []).append(commitment)
        labels[commitment.party] = commitment.get_party_display()
    return [(labels[party], items) for party, items in groups.items() if items]


def code_of_conduct_current() -> tuple[Any, Any] | tuple[None, None]:
    """The representatives' code of conduct and its current text version, for signing.

    Returns ``(code, version)``: the code of conduct entry of the register (Appendix 2 of the
    Partnership Working Code: slug ``third-sector-representatives-code-of-conduct``, else the
    newest agreed code of kind code_of_conduct) and its newest version; ``(None, None)`` when
    the register has none yet.
    """
    codes = CodeOfPractice.objects.filter(kind=CodeOfPractice.Kind.CODE_OF_CONDUCT)
    code = codes.filter(slug=CODE_OF_CONDUCT_SLUG).first() or codes.order_by("-pk").first()
    if code is None:
        return None, None
    version = code.versions.order_by("-date", "-pk").first()
    return code, version
