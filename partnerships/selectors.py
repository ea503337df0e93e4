"""Reads of the partnerships register, each at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from compact.models import Commitment, Compact, Organisation
from partnerships import checklist, hooks
from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)


@dataclass
class PlaceRow:
    """A place with how many of its seats are filled (from the representatives hook)."""

    place: ThirdSectorPlace
    holders: int = 0
    names: list[tuple[str, str]] = field(default_factory=list)

    @property
    def vacancies(self) -> int:
        return max(self.place.number_of_places - self.holders, 0)


@dataclass
class RegisterRow:
    """One partnership as the register shows it: places, vacancies and its checklist."""

    partnership: Partnership
    places: list[PlaceRow]
    checks: list[ComplianceCheck]

    @property
    def total_places(self) -> int:
        return sum(row.place.number_of_places for row in self.places)

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.places)

    @property
    def failing_checks(self) -> list[ComplianceCheck]:
        return [check for check in self.checks if check.is_failing]

    @property
    def non_compliant(self) -> bool:
        return bool(self.failing_checks)


@dataclass(frozen=True)
class RegisterFilters:
    """The register's search and filters; every field optional."""

    search: str = ""
    type: str = ""
    lead_body: Organisation | None = None
    status: str = ""
    has_vacancies: bool = False
    non_compliant: bool = False


def place_rows(places: Iterable[ThirdSectorPlace], *, with_names: bool = False) -> list[PlaceRow]:
    """Places with their holder counts: one hook call for all of them."""
    places = list(places)
    ids = [place.pk for place in places]
    counts = hooks.holder_counts(ids)
    names = hooks.holder_names(ids) if with_names else {}
    return [
        PlaceRow(place=place, holders=counts.get(place.pk, 0), names=names.get(place.pk, []))
        for place in places
    ]


def _failing_check_exists() -> Exists:
    return Exists(
        ComplianceCheck.objects.filter(
            partnership=OuterRef("pk"), status__in=ComplianceCheck.FAILING
        )
    )


def partnership_queryset() -> QuerySet[Partnership]:
    return Partnership.objects.select_related("lead_body", "parent").prefetch_related(
        Prefetch("places", queryset=ThirdSectorPlace.objects.order_by("kind", "pk")),
        Prefetch(
            "compliance_checks",
            queryset=ComplianceCheck.objects.select_related("commitment"),
        ),
    )


def register_rows(filters: RegisterFilters | None = None) -> list[RegisterRow]:
    """The register, filtered: four queries whatever its size (partnerships, places, checks,
    and the representatives' holder count)."""
    filters = filters or RegisterFilters()
    partnerships = partnership_queryset().order_by("name")
    if filters.search:
        partnerships = partnerships.filter(
            Q(name__icontains=filters.search)
            | Q(purpose__icontains=filters.search)
            | Q(name_cy__icontains=filters.search)
            | Q(purpose_cy__icontains=filters.search)
        )
    if filters.type:
        partnerships = partnerships.filter(type=filters.type)
    if filters.lead_body is not None:
        partnerships = partnerships.filter(lead_body=filters.lead_body)
    if filters.status:
        partnerships = partnerships.filter(status=filters.status)
    if filters.non_compliant:
        partnerships = partnerships.filter(_failing_check_exists())
    partnerships = list(partnerships)
    all_places = [place for p in partnerships for place in p.places.all()]
    rows_by_place = {row.place.pk: row for row in place_rows(all_places)}
    rows = [
        RegisterRow(
            partnership=p,
            places=[rows_by_place[place.pk] for place in p.places.all()],
            checks=list(p.compliance_checks.all()),
        )
        for p in partnerships
    ]
    if filters.has_vacancies:
        rows = [row for row in rows if row.vacancies > 0]
    return rows


def lead_bodies() -> QuerySet[Organisation]:
    """Organisations that lead a partnership, or could (the public sector)."""
    return Organisation.objects.filter(
        Q(sector=Organisation.Sector.PUBLIC) | Q(partnerships_led__isnull=False)
    ).distinct()


@dataclass
class PartnershipDetail:
    partnership: Partnership
    places: list[PlaceRow]
    checklist: list[tuple[Commitment, ComplianceCheck | None]]
    reviews: list[Review]
    children: list[Partnership]
    other_cvcs: list[Organisation]

    @property
    def vacancies(self) -> int:
        return sum(row.vacancies for row in self.places)


def partnership_detail(*, slug: str) -> PartnershipDetail:
    """One partnership with its places, checklist, reviews and sub groups (fixed queries)."""
    partnership = (
        Partnership.objects.select_related(
            "lead_body", "parent", "contact", "contact__organisation", "compact"
        )
        .prefetch_related(
            Prefetch("places", queryset=ThirdSectorPlace.objects.order_by("kind", "pk")),
            Prefetch(
                "compliance_checks",
                queryset=ComplianceCheck.objects.select_related("checked_by"),
            ),
            Prefetch("reviews", queryset=Review.objects.order_by("-review_date", "-pk")),
            Prefetch("children", queryset=Partnership.objects.order_by("name")),
            "other_cvcs",
        )
        .get(slug=slug)
    )
    checks = {check.commitment_id: check for check in partnership.compliance_checks.all()}
    commitments = checklist_commitments(partnership=partnership)
    return PartnershipDetail(
        partnership=partnership,
        places=place_rows(partnership.places.all()),
        checklist=[(commitment, checks.get(commitment.pk)) for commitment in commitments],
        reviews=list(partnership.reviews.all()),
        children=list(partnership.children.all()),
        other_cvcs=list(partnership.other_cvcs.all()),
    )


def checklist_commitments(*, partnership: Partnership | None = None) -> list[Commitment]:
    """The commitments a checklist covers: the code's six defaults, plus any other commitment
    already checked (for this partnership, or for any when ``partnership`` is None)."""
    checked = ComplianceCheck.objects.all()
    if partnership is not None:
        checked = checked.filter(partnership=partnership)
    commitments = Commitment.objects.filter(
        checklist.default_commitments_q() | Q(pk__in=checked.values("commitment_id"))
    ).select_related("code")
    return sorted(commitments, key=checklist.sort_key)


@dataclass
class MatrixRow:
    partnership: Partnership
    cells: list[ComplianceCheck | None]

    @property
    def failing(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.is_failing)


@dataclass
class ComplianceMatrix:
    """Partnerships (not closed) by the commitments of the code, each cell a check or None."""

    commitments: list[Commitment]
    rows: list[MatrixRow]

    def labels(self) -> list[str]:
        return [checklist.short_label(commitment) for commitment in self.commitments]


def compliance_matrix() -> ComplianceMatrix:
    """The compliance matrix for the Compact Board: three queries whatever its size."""
    commitments = checklist_commitments()
    partnerships = (
        Partnership.objects.exclude(status=Partnership.Status.CLOSED)
        .select_related("lead_body")
        .prefetch_related(
            Prefetch(
                "compliance_checks",
                queryset=ComplianceCheck.objects.filter(commitment__in=commitments),
            )
        )
        .order_by("name")
    )
    rows = []
    for partnership in partnerships:
        checks = {check.commitment_id: check for check in partnership.compliance_checks.all()}
        rows.append(
            MatrixRow(
                partnership=partnership,
                cells=[checks.get(commitment.pk) for commitment in commitments],
            )
        )
    return ComplianceMatrix(commitments=commitments, rows=rows)


def register_settings(compact: Compact | None) -> RegisterSettings | None:
    """The register settings of a Compact (unsaved defaults when none were chosen yet)."""
    if compact is None:
        return None
    found = RegisterSettings.objects.filter(compact=compact).first()
    return found or RegisterSettings(compact=compact)


@dataclass
class PublicEntry:
    partnership: Partnership
    places: list[PlaceRow]


def _public(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Active partnerships marked for the public page, of Compacts that publish their register."""
    return partnerships.filter(
        status=Partnership.Status.ACTIVE,
        published=True,
        compact__partnership_register_settings__publish_public_register=True,
    )


def readable_partnerships(user: Any) -> QuerySet[Partnership]:
    """The register as the API serves it to this person: all of it to anyone signed in (as the
    register page), the public register's entries to a visitor; with lead bodies, parents and
    places, never contacts (three queries per page, with the places' holder counts)."""
    partnerships = (
        Partnership.objects.select_related("lead_body", "parent")
        .prefetch_related(
            Prefetch("places", queryset=ThirdSectorPlace.objects.order_by("kind", "pk"))
        )
        .order_by("name", "pk")
    )
    if getattr(user, "is_authenticated", False):
        return partnerships
    return _public(partnerships)


def public_register() -> list[PublicEntry]:
    """Active partnerships marked for the public page, of Compacts that publish their register,
    with their representatives' names and organisations. Never contact details."""
    partnerships = (
        _public(Partnership.objects.all())
        .select_related("lead_body", "parent")
        .prefetch_related(
            Prefetch("places", queryset=ThirdSectorPlace.objects.order_by("kind", "pk"))
        )
        .order_by("name")
    )
    partnerships = list(partnerships)
    all_places = [place for p in partnerships for place in p.places.all()]
    rows_by_place = {row.place.pk: row for row in place_rows(all_places, with_names=True)}
    return [
        PublicEntry(partnership=p, places=[rows_by_place[place.pk] for place in p.places.all()])
        for p in partnerships
    ]


def register_is_published() -> bool:
    return RegisterSettings.objects.filter(publish_public_register=True).exists()


def checklist_version(partnership: Partnership) -> int:
    """The newest history id among a partnership's checks: the checklist's version."""
    latest = ComplianceCheck.history.filter(partnership_id=partnership.pk).aggregate(
        last=Max("history_id")
    )["last"]
    return int(latest or 0)


def counted_places() -> QuerySet[ThirdSectorPlace]:
    """The third-sector places the Compact counts as filled or vacant: those of active
    partnerships (a dormant or closed partnership has no seat to fill). The dashboard and the
    representatives' report both count these, so their figures agree."""
    return ThirdSectorPlace.objects.filter(partnership__status=Partnership.Status.ACTIVE)


def vacancy_count() -> int:
    """Vacant third-sector places in active partnerships (two queries)."""
    return sum(row.vacancies for row in place_rows(counted_places()))


def register_summary() -> dict[str, int]:
    """Figures for the dashboard panel: active partnerships, vacancies, non-compliant. Counted
    in the database (four queries, no rows built): the dashboard is the most read page."""
    active = Partnership.objects.filter(status=Partnership.Status.ACTIVE)
    return {
        "active": active.count(),
        "vacancies": vacancy_count(),
        "non_compliant": active.filter(_failing_check_exists()).count(),
    }
