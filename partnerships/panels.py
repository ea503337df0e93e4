"""The register's dashboard panel (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from partnerships.permissions import can_edit_register, can_view_matrix
from partnerships.selectors import register_summary


def register_panel(request: HttpRequest) -> dict[str, Any] | None:
    return {
        "summary": register_summary(),
        "can_edit": can_edit_register(request.user),
        "can_view_matrix": can_view_matrix(request.user),
    }
