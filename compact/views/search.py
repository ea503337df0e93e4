"""The search box's page: one query, the hits of every kind of record the person may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compact.platform.access import public
from compact.platform.search import MIN_QUERY_LENGTH, Query
from compact.selectors.search import search


@public
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Public: each source shows a visitor only what is public (published plans' updates)."""
    query = Query.parse(request.GET.get("q", ""))
    results = search(request.user, query)
    return render(
        request,
        "compact/search.html",
        {
            "query": query,
            "results": results,
            "total": sum(len(result.hits) for result in results),
            "too_short": bool(query.text) and not query.usable,
            "min_length": MIN_QUERY_LENGTH,
        },
    )
