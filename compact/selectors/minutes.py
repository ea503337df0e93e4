"""Reads for minutes: a meeting's minutes item by item (discussion, decisions, amendments,
actions and their links) and the decisions register. Each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from compact.links import ActionLinkTarget
from compact.minutes_procedure import READABLE_BY_MEMBERS
from compact.models import (
    Action,
    ActionLink,
    AgendaItem,
    Body,
    Decision,
    ItemMinutes,
    Meeting,
    Membership,
    Minutes,
    MinutesAmendment,
)
from compact.platform import registry
from compact.platform.access import Role, has_role


@dataclass
class ItemRow:
    """One agenda item's part of the minutes."""

    number: int
    item: AgendaItem
    entry: ItemMinutes | None = None
    decisions: list[Decision] = field(default_factory=list)
    amendments: list[MinutesAmendment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class MinutesView:
    minutes: Minutes
    rows: list[ItemRow]
    general_decisions: list[Decision]
    general_amendments: list[MinutesAmendment]


def minutes_view(
    minutes: Minutes | None, items: list[AgendaItem], actions: list[Action] | None = None
) -> MinutesView | None:
    """The minutes laid out along the agenda (``items`` in order). Three queries (item
    minutes, decisions, amendments); ``actions`` are the meeting's, already loaded."""
    if minutes is None:
        return None
    entries = {entry.item_id: entry for entry in ItemMinutes.objects.filter(minutes=minutes)}
    decisions: dict[int | None, list[Decision]] = defaultdict(list)
    for decision in Decision.objects.filter(minutes=minutes).order_by("year", "sequence", "pk"):
        decisions[decision.item_id].append(decision)
    amendments: dict[int | None, list[MinutesAmendment]] = defaultdict(list)
    for amendment in MinutesAmendment.objects.filter(minutes=minutes).select_related("made_by"):
        amendments[amendment.item_id].append(amendment)
    by_item: dict[int | None, list[Action]] = defaultdict(list)
    for action in actions or []:
        by_item[action.item_id].append(action)
    rows = [
        ItemRow(
            number=number,
            item=item,
            entry=entries.get(item.pk),
            decisions=decisions.get(item.pk, []),
            amendments=amendments.get(item.pk, []),
            actions=by_item.get(item.pk, []),
        )
        for number, item in enumerate(items, start=1)
    ]
    return MinutesView(minutes, rows, decisions.get(None, []), amendments.get(None, []))


@dataclass(frozen=True)
class LinkShown:
    label: str
    url: str
    kind: str


def action_links(actions: list[Action], *, user: Any = None) -> dict[int, list[LinkShown]]:
    """Each action's links to other apps' rows, described by their registered targets: one
    query, plus each target's own ``describe`` (one or two) when links to it exist. Given the
    ``user``, a link they may not open keeps its label and loses its address."""
    links = list(ActionLink.objects.filter(action_id__in=[action.pk for action in actions]))
    ids: dict[str, list[int]] = defaultdict(list)
    for link in links:
        ids[link.target].append(link.target_id)
    described: dict[str, dict[int, tuple[str, str]]] = {}
    kinds: dict[str, str] = {}
    openable: dict[str, bool] = {}
    for key, target_ids in ids.items():
        target = registry.get(ActionLinkTarget, key)
        described[key] = target.describe(target_ids) if target else {}
        kinds[key] = str(target.label) if target else key
        openable[key] = target is not None and (user is None or target.readable_by(user))
    shown: dict[int, list[LinkShown]] = defaultdict(list)
    for link in links:
        label, url = described[link.target].get(link.target_id, ("", ""))
        if label:
            url = url if openable[link.target] else ""
            shown[link.action_id].append(LinkShown(label, url, kinds[link.target]))
    return dict(shown)


# --- The decisions register ---------------------------------------------------------------


def _visible_decisions(user: Any) -> QuerySet[Decision]:
    """Numbered decisions of the meetings the user may see, as ``compact.meeting_see``:
    officers every meeting; others the meetings of bodies they sat on on the meeting's date or
    sit on today."""
    decisions = Decision.objects.filter(sequence__isnull=False)
    if has_role(user, Role.OFFICER):
        return decisions
    today = timezone.localdate()
    mine = Membership.objects.filter(
        person__user=user, body_id=OuterRef("minutes__meeting__body_id")
    )
    on_the_day = mine.filter(start_date__lte=OuterRef("minutes__meeting__date")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("minutes__meeting__date"))
    )
    now = mine.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return decisions.filter(Exists(on_the_day) | Exists(now)).filter(
        minutes__status__in=READABLE_BY_MEMBERS  # not while withdrawn for redrafting
    )


def decisions_register(
    *, user: Any, body: Body | None = None, year: int | None = None, text: str = ""
) -> QuerySet[Decision]:
    """Every numbered decision of the meetings the user may see (officers: every meeting),
    newest first, filtered by body, year and words in the decision or its item. One query."""
    decisions = (
        _visible_decisions(user)
        .select_related("minutes__meeting__body", "item")
        .order_by("-year", "-sequence")
    )
    if body is not None:
        decisions = decisions.filter(minutes__meeting__body=body)
    if year is not None:
        decisions = decisions.filter(year=year)
    for word in text.split()[:10]:
        decisions = decisions.filter(Q(text__icontains=word) | Q(item__title__icontains=word))
    return decisions


def decision_years(*, user: Any) -> list[int]:
    """The years that have numbered decisions the user may see (one query)."""
    return list(
        _visible_decisions(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def previous_minutes_for_pack(previous: Meeting | None) -> Minutes | None:
    """The previous meeting's minutes with everything a pack prints (one query, or none)."""
    if previous is None:
        return None
    return (
        Minutes.objects.filter(meeting=previous)
        .select_related("approved_at_meeting")
        .prefetch_related(
            Prefetch("items", queryset=ItemMinutes.objects.select_related("item")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("item").order_by("year", "sequence", "pk"),
            ),
            Prefetch(
                "amendments", queryset=MinutesAmendment.objects.select_related("made_by", "item")
            ),
        )
        .first()
    )


def minutes_rows(minutes: Minutes) -> MinutesView:
    """Minutes loaded by :func:`previous_minutes_for_pack` laid out item by item (no query):
    the items that have a discussion, a decision or an amendment, in agenda order."""
    items: dict[int, AgendaItem] = {}
    for entry in minutes.items.all():
        items[entry.item_id] = entry.item
    for thing in [*minutes.decisions.all(), *minutes.amendments.all()]:
        if thing.item_id:
            items[thing.item_id] = thing.item
    ordered = sorted(items.values(), key=lambda item: (item.position, item.pk))
    entries = {entry.item_id: entry for entry in minutes.items.all()}
    rows = [
        ItemRow(
            number=item.position,
            item=item,
            entry=entries.get(item.pk),
            decisions=[d for d in minutes.decisions.all() if d.item_id == item.pk],
            amendments=[a for a in minutes.amendments.all() if a.item_id == item.pk],
        )
        for item in ordered
    ]
    return MinutesView(
        minutes,
        rows,
        [d for d in minutes.decisions.all() if d.item_id is None],
        [a for a in minutes.amendments.all() if a.item_id is None],
    )


def minutes_fingerprint(minutes: Minutes | None) -> list[Any] | None:
    """Everything of the minutes a pack prints, for the pack's fingerprint (no query)."""
    if minutes is None:
        return None
    # The Welsh only where there is some, so the fingerprints of English-only packs stay put.
    welsh = [
        minutes.text_cy,
        [[e.item_id, e.discussion_cy] for e in minutes.items.all() if e.discussion_cy],
        [[d.pk, d.text_cy] for d in minutes.decisions.all() if d.text_cy],
    ]
    amendments = [
        [a.pk, a.text_cy, a.reason_cy] for a in minutes.amendments.all() if a.text_cy or a.reason_cy
    ]
    if amendments:  # appended only when there are some, like the rest of the Welsh
        welsh.append(amendments)
    return [
        *([welsh] if any(welsh) else []),
        minutes.pk,
        minutes.version,
        minutes.status,
        minutes.text,
        str(minutes.approved_at_meeting_id),
        str(minutes.signed_on),
        [[e.item_id, e.version, e.discussion] for e in minutes.items.all()],
        [[d.pk, d.item_id, d.number, d.text] for d in minutes.decisions.all()],
        [[a.pk, a.item_id, a.text, a.reason] for a in minutes.amendments.all()],
    ]
