"""Reads for representatives, each a fixed number of queries."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from compact.models import Person
from partnerships.models import Partnership, ThirdSectorPlace
from partnerships.selectors import counted_places
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    SectorIssue,
    SelectionRound,
    Signature,
    SignUp,
)

TERM_END_WARNING_DAYS = 90


def current_conduct_version() -> CodeOfConductVersion | None:
    return (
        CodeOfConductVersion.objects.filter(is_current=True)
        .select_related("document__code")
        .first()
    )


def conduct_versions() -> QuerySet[CodeOfConductVersion]:
    """Every version published for signing, newest first, with its wording (one query)."""
    return CodeOfConductVersion.objects.select_related("document")


def conduct_version(pk: Any) -> CodeOfConductVersion | None:
    return CodeOfConductVersion.objects.filter(pk=pk).select_related("document").first()


def signup_queue(*, status: str | None = None) -> QuerySet[SignUp]:
    queryset = SignUp.objects.prefetch_related(
        "places__partnership", "partnerships", "nominations__round__place__partnership"
    )
    if status:
        return queryset.filter(status=status)
    return queryset.exclude(status__in=[SignUp.Status.ERASED, SignUp.Status.MERGED])


def round_list() -> QuerySet[SelectionRound]:
    return SelectionRound.objects.select_related("place__partnership", "statutory_body")


def round_detail(pk: int) -> SelectionRound:
    return (
        SelectionRound.objects.select_related(
            "place__partnership", "statutory_body", "constituency", "created_by"
        )
        .prefetch_related(
            "channels",
            "events__recorded_by",
            "nominations__person__organisation",
            "nominations__signup",
            "nominations__organisation",
            "appointments__person",
        )
        .get(pk=pk)
    )


def appointments_current() -> QuerySet[Appointment]:
    return Appointment.objects.filter(status__in=Appointment.CURRENT).select_related(
        "person",
        "organisation",
        "place__partnership",
        "partnership",
        "mandate_body",
        "deputy_of__person",
    )


def appointments_ending(
    *, within_days: int = TERM_END_WARNING_DAYS, today: datetime.date | None = None
) -> QuerySet[Appointment]:
    today = today or timezone.localdate()
    return (
        appointments_current()
        .filter(term_end__isnull=False, term_end__lte=today + datetime.timedelta(within_days))
        .order_by("term_end", "pk")
    )


def unsigned_appointments() -> list[Appointment]:
    """Current appointments whose holder has not signed the current version of the code for
    that partnership."""
    current = current_conduct_version()
    appointments = list(appointments_current().order_by("person__full_name", "pk"))
    if current is None:
        return appointments
    signed = set(
        Signature.objects.filter(version=current).values_list("person_id", "partnership_id")
    )
    return [a for a in appointments if (a.person_id, a.partnership_id) not in signed]


def signatures_for_person(person: Person) -> QuerySet[Signature]:
    return Signature.objects.filter(person=person).select_related(
        "version__document", "partnership"
    )


def declaration_register() -> QuerySet[Declaration]:
    return Declaration.objects.select_related("person__organisation", "partnership").order_by(
        "person__full_name", "-declared_at"
    )


def feedback_list() -> QuerySet[FeedbackReport]:
    return FeedbackReport.objects.select_related(
        "appointment__person", "appointment__partnership", "published_to"
    )


@dataclass
class PlaceRow:
    place: ThirdSectorPlace
    holders: list[Appointment] = field(default_factory=list)

    @property
    def vacant(self) -> int:
        return max(self.place.number_of_places - len(self.holders), 0)


@dataclass
class RepresentativesReport:
    generated_on: datetime.date
    places: list[PlaceRow]
    rounds_in_progress: list[SelectionRound]
    terms_ending: list[Appointment]
    unsigned: list[Appointment]
    feedback: list[FeedbackReport]
    conduct_version: CodeOfConductVersion | None

    @property
    def places_filled(self) -> int:
        return sum(min(len(r.holders), r.place.number_of_places) for r in self.places)

    @property
    def places_vacant(self) -> int:
        return sum(r.vacant for r in self.places)


FEEDBACK_WINDOW_DAYS = 365


def representatives_report(*, today: datetime.date | None = None) -> RepresentativesReport:
    """Places filled and vacant, rounds in progress, terms ending, unsigned codes and feedback
    filed in the last year: a fixed number of queries whatever the data."""
    today = today or timezone.localdate()
    # The places the dashboard counts too (active partnerships), so the two figures agree.
    places = list(
        counted_places().select_related("partnership").order_by("partnership__name", "pk")
    )
    rows = {place.pk: PlaceRow(place=place) for place in places}
    # A full ordering, so the paper is byte-identical after a backup is restored.
    current = list(
        appointments_current()
        .filter(deputy_of__isnull=True)
        .order_by("place_id", "term_start", "pk")
    )
    for appointment in current:
        if appointment.place_id in rows:
            rows[appointment.place_id].holders.append(appointment)
    rounds = list(
        round_list().filter(status__in=SelectionRound.IN_PROGRESS).order_by("created_at", "pk")
    )
    ending = list(appointments_ending(today=today))
    feedback = list(
        feedback_list()
        .filter(meeting_date__gte=today - datetime.timedelta(FEEDBACK_WINDOW_DAYS))
        .order_by("-meeting_date", "-pk")
    )
    return RepresentativesReport(
        generated_on=today,
        places=list(rows.values()),
        rounds_in_progress=rounds,
        terms_ending=ending,
        unsigned=unsigned_appointments(),
        feedback=feedback,
        conduct_version=current_conduct_version(),
    )


def report_fingerprint(*, as_of: datetime.date | None = None) -> str:
    """Changes whenever the report as at ``as_of`` (default today) would: any write to its
    sources, or another date."""
    parts = [str(as_of or timezone.localdate())]
    for model in (
        Appointment,
        SelectionRound,
        Signature,
        FeedbackReport,
        CodeOfConductVersion,
        ThirdSectorPlace,
        Partnership,  # a partnership closing takes its places out of the count
    ):
        figures = model.history.aggregate(n=Count("history_id"), last=Max("history_date"))
        parts.append(f"{figures['n']}:{figures['last']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def issues_for_person(person: Person) -> QuerySet[SectorIssue]:
    return SectorIssue.objects.filter(appointment__person=person).select_related(
        "appointment__partnership", "raised_through"
    )


def appointments_visible_to(user: Any) -> Q:
    """A representative sees their own appointments and those they deputise for or that
    deputise for them."""
    return Q(person__user=user) | Q(deputy__person__user=user) | Q(deputy_of__person__user=user)


# --- Hooks for the partnerships register (see docs/partnerships.md) -------------------------


def place_holder_counts(place_ids: Any) -> dict[int, int]:
    """Current principal holders per place, in one aggregate query."""
    rows = (
        Appointment.objects.filter(
            place_id__in=list(place_ids),
            status__in=Appointment.CURRENT,
            deputy_of__isnull=True,
        )
        .values("place_id")
        .annotate(total=Count("pk"))
    )
    return {row["place_id"]: row["total"] for row in rows}


def place_holder_names(place_ids: Any) -> dict[int, list[tuple[str, str]]]:
    """Names and organisations of current principal holders, for the public page: never
    contact details. One query."""
    names: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Appointment.objects.filter(
            place_id__in=list(place_ids),
            status__in=Appointment.CURRENT,
            deputy_of__isnull=True,
        )
        .order_by("place_id", "person__full_name")
        .values_list("place_id", "person__full_name", "organisation__name")
    )
    for place_id, name, organisation in rows:
        names.setdefault(place_id, []).append((name, organisation or ""))
    return names
