"""What the representatives' views share."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

GET_POST = require_http_methods(["GET", "POST"])


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _owned_or_404(request: HttpRequest, perm: str, obj: Model) -> None:
    """Object rule: someone else's object is simply not found."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "representatives/form_page.html", context)
