"""Search across the apps: one box, each app answering for its own records.

An app offers its records through a :class:`SearchSource` registered in the registry; its
``search(user, query, limit)`` returns the hits *this user may see* (each source applies its own
access rule, so a representative never finds a confidential dispute). The helpers here match a
queryset the best way the database can: PostgreSQL full-text search (websearch syntax,
English stemming, ranked) in production, every word as a case-insensitive substring on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, StrIndex
from django.utils import translation

# A query is cut to this many words and characters: enough for any real search, and a bound on
# the work one request can ask of the database.
MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
# English stemming ("decisions" finds "decision"); Welsh words pass through it unchanged.
SEARCH_CONFIG = "english"
_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


@dataclass(frozen=True)
class Query:
    """What was typed, cleaned: the text (for full-text search) and its words."""

    text: str
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> Query:
        text = " ".join((raw or "").split())[:MAX_QUERY_LENGTH]
        terms = tuple(dict.fromkeys(word.casefold() for word in _WORD.findall(text)))
        return cls(text=text, terms=terms[:MAX_TERMS])

    @property
    def usable(self) -> bool:
        return bool(self.terms) and len(self.text) >= MIN_QUERY_LENGTH

    def found_in(self, *texts: str) -> bool:
        """Every word appears somewhere in the texts (the SQLite rule, for text in memory)."""
        haystack = " ".join(texts).casefold()
        return all(term in haystack for term in self.terms)


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    snippet: Sequence[tuple[str, bool]] = ()  # (text, is a match), for <mark> without |safe
    date: Any = None
    detail: str = ""


@dataclass(frozen=True)
class SearchSource:
    """One kind of record the search box finds (registered by the app that owns it)."""

    key: str
    label: Any
    search: Callable[[Any, Query, int], list[SearchHit]]
    order: int = 100


@dataclass
class SourceResults:
    source: SearchSource
    hits: list[SearchHit] = field(default_factory=list)
    more: bool = False


def full_text() -> bool:
    return connection.vendor == "postgresql"


def matching(
    queryset: QuerySet, fields: Sequence[str], query: Query, *, ranked: bool = True
) -> QuerySet:
    """``queryset`` narrowed to records whose ``fields`` match the query; ranked best first on
    PostgreSQL (then by the queryset's own order), in the queryset's order elsewhere. With
    ``ranked=False`` every word is a case-insensitive substring on any database: for many short
    texts whose matches are checked again in memory (building every row's text vector on the
    fly cost 100-175 ms for 2,400 plan rows on PostgreSQL; substrings cost a tenth)."""
    if ranked and full_text():
        vector = SearchVector(
            *[Coalesce(name, Value(""), output_field=TextField()) for name in fields],
            config=SEARCH_CONFIG,
        )
        search = SearchQuery(query.text, search_type="websearch", config=SEARCH_CONFIG)
        ordering = queryset.query.order_by or ()
        return (
            queryset.annotate(search_document=vector)
            .filter(search_document=search)
            .annotate(search_rank=SearchRank(F("search_document"), search))
            .order_by("-search_rank", *ordering)
        )
    for term in query.terms:
        anywhere = Q()
        for name in fields:
            anywhere |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(anywhere)
    return queryset


def containing(queryset: QuerySet, field: str, query: Query) -> QuerySet:
    """Records whose (long) ``field`` may hold every word: a cheap, case-sensitive database
    test that lets through anything a case-insensitive match would (each word without its
    first letter, in lower or upper case, so "Papers", "papers" and "PAPERS" all pass); the
    caller checks the words exactly in memory. On PostgreSQL a case-insensitive LIKE over
    30 MB of stored snapshots took 250 ms, ``strpos`` 35 ms."""
    for number, term in enumerate(query.terms):
        rest = term[1:]
        if not rest:
            continue
        lower, upper = f"_lower_{number}", f"_upper_{number}"
        queryset = queryset.annotate(
            **{lower: StrIndex(field, Value(rest)), upper: StrIndex(field, Value(rest.upper()))}
        ).filter(Q(**{f"{lower}__gt": 0}) | Q(**{f"{upper}__gt": 0}))
    return queryset


def snippet(text: str, query: Query, width: int = 180) -> list[tuple[str, bool]]:
    """A window of ``text`` around the first matched word, split into (text, matched) parts
    so the template marks matches while escaping everything."""
    text = " ".join((text or "").split())
    if not text:
        return []
    folded = text.casefold()
    positions = [folded.find(term) for term in query.terms if term in folded]
    first = min(positions) if positions else 0
    start = max(0, first - width // 3)
    window = text[start : start + width]
    prefix, suffix = ("… " if start else ""), (" …" if start + width < len(text) else "")
    if not query.terms:
        return [(prefix + window + suffix, False)]
    pattern = re.compile("|".join(re.escape(term) for term in query.terms), re.IGNORECASE)
    parts: list[tuple[str, bool]] = [(prefix, False)] if prefix else []
    cursor = 0
    for found in pattern.finditer(window):
        if found.start() > cursor:
            parts.append((window[cursor : found.start()], False))
        parts.append((found.group(0), True))
        cursor = found.end()
    parts.append((window[cursor:] + suffix, False))
    return [part for part in parts if part[0]]


def both_languages(*names: str) -> list[str]:
    """The fields to search for translated fields ``names``: each and its Welsh twin."""
    return [field for name in names for field in (name, f"{name}_cy")]


def best_version(obj: Any, name: str, query: Query) -> str:
    """Field ``name`` of ``obj`` in the language that holds most of the words, the reader's
    first on a tie (for a snippet: a Welsh reader who searched English words sees them)."""
    english, welsh = getattr(obj, name, "") or "", getattr(obj, f"{name}_cy", "") or ""
    welsh_first = (translation.get_language() or "").split("-")[0] == "cy"
    texts = [welsh, english] if welsh_first else [english, welsh]
    return max(
        texts, key=lambda text: (sum(term in text.casefold() for term in query.terms), bool(text))
    )
