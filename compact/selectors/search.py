"""The search box: every registered source asked in turn, and the core's own sources (meetings
and their agenda, papers, minutes, actions), each read with the same access rule as its page:
officers see every body's; others the meetings of bodies they sat on at the time or sit on now,
and approved minutes only."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.minutes_procedure import READABLE_BY_MEMBERS
from compact.models import (
    Action,
    AgendaItem,
    Decision,
    ItemMinutes,
    Meeting,
    Membership,
    Minutes,
    Paper,
)
from compact.papers import PaperProvider
from compact.platform import registry
from compact.platform.access import is_officer
from compact.platform.language import text_of
from compact.platform.search import (
    Query,
    SearchHit,
    SearchSource,
    SourceResults,
    best_version,
    both_languages,
    matching,
    snippet,
)

# Hits shown per kind of record: the page lists the best of each and says there are more.
PER_SOURCE = 10


def search(user: Any, query: Query, *, per_source: int = PER_SOURCE) -> list[SourceResults]:
    """The hits of every source this user may see, best first within each source; one or two
    queries per source whatever the data."""
    if not query.usable:
        return []
    results = []
    for source in registry.items(SearchSource):
        hits = source.search(user, query, per_source + 1)
        if hits:
            results.append(
                SourceResults(source=source, hits=hits[:per_source], more=len(hits) > per_source)
            )
    return results


def _meetings_of(user: Any) -> Q | None:
    """Meetings the user may see (as ``compact.meeting_see``), as a filter; None for all."""
    if is_officer(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    today = timezone.localdate()
    memberships = Membership.objects.filter(person__user=user, body_id=OuterRef("body_id"))
    then = memberships.filter(start_date__lte=OuterRef("date")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("date"))
    )
    now = memberships.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return Q(Exists(then) | Exists(now))


def _visible(queryset: QuerySet, user: Any, path: str = "") -> QuerySet:
    rule = _meetings_of(user)
    if rule is None:
        return queryset
    meetings = Meeting.objects.filter(rule)
    return queryset.filter(**{f"{path}pk__in" if path else "pk__in": meetings.values("pk")})


def _meeting_title(meeting: Meeting) -> str:
    return f"{meeting.body.name}, {meeting.date:%d/%m/%Y}"


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("compact:meeting_detail", args=[meeting.pk]) + anchor


def search_meetings(user: Any, query: Query, limit: int) -> list[SearchHit]:
    """Agenda items by title, and meetings by their notes and venue."""
    items = _visible(AgendaItem.objects.select_related("meeting__body"), user, "meeting__")
    found = matching(items.order_by("-meeting__date", "position"), both_languages("title"), query)
    hits = [
        SearchHit(
            title=f"{text_of(item, 'title')} ({_meeting_title(item.meeting)})",
            url=_meeting_url(item.meeting, f"#item-{item.pk}"),
            snippet=snippet(best_version(item, "title", query), query),
            date=item.meeting.date,
        )
        for item in found[:limit]
    ]
    meetings = _visible(Meeting.objects.select_related("body"), user)
    fields = [*both_languages("notes"), "venue"]
    for meeting in matching(meetings.order_by("-date"), fields, query)[:limit]:
        hits.append(
            SearchHit(
                title=_meeting_title(meeting),
                url=_meeting_url(meeting),
                snippet=snippet(best_version(meeting, "notes", query) or meeting.venue, query),
                date=meeting.date,
            )
        )
    return sorted(hits, key=lambda hit: hit.date, reverse=True)[:limit]


def search_papers(user: Any, query: Query, limit: int) -> list[SearchHit]:
    """Papers by title and written text; a generated paper only for those its report is for."""
    papers = _visible(Paper.objects.select_related("item__meeting__body"), user, "item__meeting__")
    found = matching(
        papers.order_by("-item__meeting__date", "pk"), both_languages("title", "text"), query
    )
    hits = []
    for paper in found[: limit * 2]:
        if paper.kind == Paper.Kind.GENERATED:
            provider = registry.get(PaperProvider, paper.provider_key)
            if provider is not None and not provider.readable_by(user):
                continue
        meeting = paper.item.meeting
        hits.append(
            SearchHit(
                title=f"{text_of(paper, 'title')} ({_meeting_title(meeting)})",
                url=reverse("compact:paper_view", args=[paper.pk]),
                snippet=snippet(
                    best_version(paper, "text", query) or best_version(paper, "title", query),
                    query,
                ),
                date=meeting.date,
            )
        )
    return hits[:limit]


def search_minutes(user: Any, query: Query, limit: int) -> list[SearchHit]:
    minutes = Minutes.objects.select_related("meeting__body")
    if not is_officer(user):
        # Members read minutes once circulated (compact.minutes_procedure), as on the page.
        minutes = _visible(minutes, user, "meeting__").filter(status__in=READABLE_BY_MEMBERS)
    found = matching(minutes.order_by("-meeting__date"), both_languages("text"), query)
    hits = [
        SearchHit(
            title=_meeting_title(entry.meeting),
            url=_meeting_url(entry.meeting, "#minutes"),
            snippet=snippet(best_version(entry, "text", query), query),
            date=entry.meeting.date,
            detail=str(entry.get_status_display()),
        )
        for entry in found[:limit]
    ]
    # The discussion minuted against each agenda item, under the same rule.
    items = ItemMinutes.objects.select_related("minutes__meeting__body", "item")
    if not is_officer(user):
        items = _visible(items, user, "minutes__meeting__").filter(
            minutes__status__in=READABLE_BY_MEMBERS
        )
    texts = both_languages("discussion")
    for entry in matching(items.order_by("-minutes__meeting__date"), texts, query)[:limit]:
        meeting = entry.minutes.meeting
        hits.append(
            SearchHit(
                title=f"{text_of(entry.item, 'title')} ({_meeting_title(meeting)})",
                url=_meeting_url(meeting, "#minutes"),
                snippet=snippet(best_version(entry, "discussion", query), query),
                date=meeting.date,
                detail=str(entry.minutes.get_status_display()),
            )
        )
    return sorted(hits, key=lambda hit: hit.date, reverse=True)[:limit]


def search_decisions(user: Any, query: Query, limit: int) -> list[SearchHit]:
    """Numbered decisions, as the decisions register shows them (members: once circulated)."""
    decisions = Decision.objects.filter(sequence__isnull=False).select_related(
        "minutes__meeting__body"
    )
    if not is_officer(user):
        decisions = _visible(decisions, user, "minutes__meeting__").filter(
            minutes__status__in=READABLE_BY_MEMBERS
        )
    found = matching(decisions.order_by("-year", "-sequence"), both_languages("text"), query)
    return [
        SearchHit(
            title=f"{decision.number} ({_meeting_title(decision.minutes.meeting)})",
            url=_meeting_url(decision.minutes.meeting, f"#decision-{decision.pk}"),
            snippet=snippet(best_version(decision, "text", query), query),
            date=decision.minutes.meeting.date,
        )
        for decision in found[:limit]
    ]


def search_actions(user: Any, query: Query, limit: int) -> list[SearchHit]:
    actions = _visible(Action.objects.select_related("meeting__body", "owner"), user, "meeting__")
    found = matching(actions.order_by("-meeting__date", "pk"), both_languages("description"), query)
    return [
        SearchHit(
            title=_meeting_title(action.meeting),
            url=_meeting_url(action.meeting, "#actions"),
            snippet=snippet(best_version(action, "description", query), query),
            date=action.due_date or action.meeting.date,
            detail=str(action.owner) if action.owner_id else "",
        )
        for action in found[:limit]
    ]


SOURCES = (
    SearchSource(key="meetings", label=_("Meetings and agenda items"), search=search_meetings),
    SearchSource(key="papers", label=_("Papers"), search=search_papers, order=110),
    SearchSource(key="minutes", label=_("Minutes"), search=search_minutes, order=120),
    SearchSource(key="decisions", label=_("Decisions"), search=search_decisions, order=125),
    SearchSource(key="actions", label=_("Actions"), search=search_actions, order=130),
)
