"""Reads of disputes. Every view and download starts from :func:`disputes_visible_to`."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.models import Body, Commitment, Membership, Organisation, Person
from compact.platform.access import Role, has_role
from compact.platform.search import Query, SearchHit, matching, snippet
from disputes.models import (
    ConfidentialNote,
    Dispute,
    DisputeContact,
    DisputeParty,
    PanelMember,
    StageRecord,
)
from disputes.procedure import OPEN_STAGES, Closure, Stage

# Sector breakdowns show counts of 1 or 2 as "fewer than 3": with so few disputes a small
# count plus the sector could point at the organisations involved.
SUPPRESS_BELOW = 3


def disputes_visible_to(user: Any) -> QuerySet[Dispute]:
    """The disputes this user may see: all for disputes officers; otherwise the ones they
    raised, are a named contact in, or sit on the panel of. Nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dispute.objects.none()
    if has_role(user, Role.OFFICER):
        return Dispute.objects.all()
    contact = DisputeContact.objects.filter(dispute=OuterRef("pk"), person__user=user)
    panel = PanelMember.objects.filter(dispute=OuterRef("pk"), person__user=user)
    return Dispute.objects.filter(
        Q(created_by=user) | Q(raised_by__user=user) | Exists(contact) | Exists(panel)
    )


def dispute_list(*, user: Any) -> QuerySet[Dispute]:
    """The user's visible disputes with what the list shows, in a fixed number of queries."""
    current = StageRecord.objects.filter(ended_on__isnull=True)
    return (
        disputes_visible_to(user)
        .select_related("raised_by_organisation", "code", "commitment")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=DisputeParty.objects.select_related("organisation"),
            ),
            Prefetch("stages", queryset=current, to_attr="current_stages"),
        )
        .order_by("-raised_on", "-pk")
    )


def dispute_for_user(*, user: Any, pk: int) -> Dispute:
    """One visible dispute with everything its page shows; Dispute.DoesNotExist otherwise."""
    return (
        disputes_visible_to(user)
        .select_related(
            "raised_by", "raised_by__user", "raised_by_organisation", "code", "commitment"
        )
        .prefetch_related(
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organisation")),
            Prefetch(
                "contacts",
                queryset=DisputeContact.objects.select_related(
                    "person", "person__organisation", "party"
                ),
            ),
            Prefetch(
                "stages",
                queryset=StageRecord.objects.select_related(
                    "moved_by", "senior_contact"
                ).prefetch_related("sessions"),
            ),
            Prefetch("panel", queryset=PanelMember.objects.select_related("person")),
            "interests__person",
            "documents",
        )
        .get(pk=pk)
    )


def confidential_notes(*, dispute: Dispute) -> QuerySet[ConfidentialNote]:
    return dispute.notes.select_related("author").order_by("created_at", "pk")


def current_stage_record(dispute: Dispute) -> StageRecord | None:
    records = [record for record in dispute.stages.all() if record.ended_on is None]
    return records[-1] if records else None


def scrutiny_body() -> Body | None:
    return Body.objects.filter(kind=Body.Kind.SCRUTINY).order_by("pk").first()


def scrutiny_members(*, on: datetime.date | None = None) -> QuerySet[Membership]:
    """Current memberships of the scrutiny body: the people a panel may be drawn from."""
    on = on or timezone.localdate()
    return (
        Membership.objects.filter(body__kind=Body.Kind.SCRUTINY, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person", "person__organisation", "organisation")
        .order_by("person__full_name")
    )


def scrutiny_member_people(*, on: datetime.date | None = None) -> QuerySet[Person]:
    return (
        Person.objects.filter(pk__in=scrutiny_members(on=on).values("person_id"))
        .select_related("organisation")
        .order_by("full_name")
    )


def party_people(*, dispute: Dispute) -> QuerySet[Person]:
    """People belonging to the dispute's party organisations (named contacts, senior people)."""
    return (
        Person.objects.filter(organisation__in=dispute.parties.values("organisation_id"))
        .select_related("organisation")
        .order_by("full_name")
    )


def commitments_for_concerns() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("code").order_by("code__title", "party", "number")


@dataclass(frozen=True)
class OverdueStage:
    dispute_id: int
    reference: str
    stage: str
    due_on: datetime.date
    days_overdue: int


def overdue_stages(*, today: datetime.date | None = None) -> list[OverdueStage]:
    """Open disputes whose current stage has passed its target date (one query)."""
    today = today or timezone.localdate()
    records = (
        StageRecord.objects.filter(ended_on__isnull=True, due_on__lt=today, stage__in=OPEN_STAGES)
        .only("pk", "dispute_id", "stage", "due_on")
        .order_by("due_on", "pk")
    )
    return [
        OverdueStage(
            dispute_id=record.dispute_id,
            reference=f"DR-{record.dispute_id:04d}",
            # Lazy: an e-mail names the stage in its reader's language, from the stored value.
            stage=Stage(record.stage).label,
            due_on=record.due_on,
            days_overdue=(today - record.due_on).days,
        )
        for record in records
    ]


# --- The Board's monitoring report ----------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One line of the report: a category and its count, with the count as shown."""

    category: str
    count: int
    shown: str
    detail: str = ""


@dataclass
class MonitoringReport:
    """Anonymised figures on the disputes process: no names, no free text."""

    generated_on: datetime.date
    total: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    by_stage: list[ReportRow] = field(default_factory=list)
    by_closure: list[ReportRow] = field(default_factory=list)
    by_commitment: list[ReportRow] = field(default_factory=list)
    by_sector: list[ReportRow] = field(default_factory=list)
    median_days_to_resolution: float | None = None
    mean_days_to_resolution: float | None = None
    suppress_below: int = SUPPRESS_BELOW

    def csv_rows(self) -> list[tuple[str, str, str, str]]:
        rows: list[tuple[str, str, str, str]] = [
            (_("Section"), _("Category"), _("Detail"), _("Count"))
        ]
        rows += [
            (_("Summary"), _("All disputes"), "", str(self.total)),
            (_("Summary"), _("Open"), "", str(self.open)),
            (_("Summary"), _("Open and overdue"), "", str(self.overdue)),
            (_("Summary"), _("Closed"), "", str(self.closed)),
        ]
        for section, items in (
            (_("By stage"), self.by_stage),
            (_("Closed as"), self.by_closure),
            (_("By code and commitment"), self.by_commitment),
            (_("By sector"), self.by_sector),
        ):
            rows += [(section, row.category, row.detail, row.shown) for row in items]
        rows.append(
            (
                _("Time to resolution"),
                _("Median days"),
                "",
                _format_days(self.median_days_to_resolution),
            )
        )
        rows.append(
            (
                _("Time to resolution"),
                _("Mean days"),
                "",
                _format_days(self.mean_days_to_resolution),
            )
        )
        return rows


def _format_days(days: float | None) -> str:
    return "" if days is None else f"{days:g}"


def _suppressed(count: int) -> str:
    if 0 < count < SUPPRESS_BELOW:
        return _("fewer than %(n)s") % {"n": SUPPRESS_BELOW}
    return str(count)


SECTOR_LABELS = dict(Organisation.Sector.choices)
SECTOR_ORDER = [value for value, _label in Organisation.Sector.choices]
SECTOR_PAIR = gettext_lazy("Raised by %(raising)s about %(concerned)s")


def monitoring_report(*, today: datetime.date | None = None) -> MonitoringReport:
    """The Board's anonymised monitoring figures, in three queries whatever the volume."""
    today = today or timezone.localdate()
    report = MonitoringReport(generated_on=today)
    disputes = list(
        Dispute.objects.values_list(
            "pk",
            "stage",
            "closure",
            "raised_on",
            "closed_on",
            "code__title",
            "commitment__party",
            "commitment__number",
        )
    )
    sectors: dict[int, dict[str, set[str]]] = {}
    for dispute_id, role, sector in DisputeParty.objects.values_list(
        "dispute_id", "role", "organisation__sector"
    ):
        sectors.setdefault(dispute_id, {}).setdefault(role, set()).add(sector)
    overdue_ids = set(
        StageRecord.objects.filter(
            ended_on__isnull=True, due_on__lt=today, stage__in=OPEN_STAGES
        ).values_list("dispute_id", flat=True)
    )

    stage_counts: Counter[str] = Counter()
    closure_counts: Counter[str] = Counter()
    commitment_counts: Counter[tuple[str, str, int]] = Counter()
    sector_counts: Counter[tuple[str, str]] = Counter()
    durations: list[int] = []
    for pk, stage, closure, raised_on, closed_on, code, party, number in disputes:
        stage_counts[stage] += 1
        commitment_counts[(code, party, number)] += 1
        if stage == Stage.CLOSED:
            closure_counts[closure] += 1
            if closed_on and raised_on:
                durations.append((closed_on - raised_on).days)
        elif pk in overdue_ids:
            report.overdue += 1
        by_role = sectors.get(pk, {})
        sector_counts[
            (
                _sector_list(by_role.get(DisputeParty.Role.RAISING, set())),
                _sector_list(by_role.get(DisputeParty.Role.CONCERNED, set())),
            )
        ] += 1

    report.total = len(disputes)
    report.closed = stage_counts[Stage.CLOSED]
    report.open = report.total - report.closed
    report.by_stage = [
        ReportRow(label, stage_counts[value], str(stage_counts[value]))
        for value, label in Stage.choices
    ]
    report.by_closure = [
        ReportRow(label, closure_counts[value], str(closure_counts[value]))
        for value, label in Closure.choices
    ]
    party_labels = dict(Commitment.Party.choices)
    report.by_commitment = [
        ReportRow(
            code,
            count,
            str(count),
            detail=f"{party_labels.get(party, party)} {number}",
        )
        for (code, party, number), count in sorted(
            commitment_counts.items(),
            key=lambda item: (-item[1], item[0][0], item[0][1], item[0][2]),
        )
    ]
    report.by_sector = [
        ReportRow(
            str(SECTOR_PAIR % {"raising": raising, "concerned": concerned}),
            count,
            _suppressed(count),
        )
        for (raising, concerned), count in sorted(sector_counts.items())
    ]
    if durations:
        report.median_days_to_resolution = float(statistics.median(durations))
        report.mean_days_to_resolution = round(statistics.fmean(durations), 1)
    return report


def _sector_list(values: set[str]) -> str:
    if not values:
        return _("no recorded sector")
    labels = [
        str(SECTOR_LABELS.get(value, value)).lower() for value in SECTOR_ORDER if value in values
    ]
    return _(" and ").join(labels)


def monitoring_report_fingerprint() -> str:
    """Changes whenever the report would: any dispute write, or a new day (overdue counts)."""
    latest = Dispute.history.aggregate(latest=Max("history_date"), n=Count("history_id"))
    stages = StageRecord.history.aggregate(latest=Max("history_date"), n=Count("history_id"))
    return "|".join(
        str(part)
        for part in (
            timezone.localdate().isoformat(),
            latest["latest"],
            latest["n"],
            stages["latest"],
            stages["n"],
        )
    )


def search_disputes(user: Any, query: Query, limit: int) -> list[SearchHit]:
    """Disputes in the search box: only those the user may see (a representative never finds
    a confidential dispute), by subject and what each party wrote."""
    fields = ["subject", "what_happened", "outcome_sought", "outcome", "agreed_actions"]
    found = matching(disputes_visible_to(user).order_by("-raised_on", "-pk"), fields, query)
    return [
        SearchHit(
            title=str(dispute),
            url=reverse("disputes:detail", args=[dispute.pk]),
            snippet=snippet(dispute.what_happened, query),
            date=dispute.raised_on,
            detail=str(dispute.get_stage_display()),
        )
        for dispute in found[:limit]
    ]
