"""The officers' dashboard panel of disputes (two queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from disputes.models import Dispute
from disputes.procedure import OPEN_STAGES
from disputes.selectors import overdue_stages


def officers_panel(request: HttpRequest) -> dict[str, Any] | None:
    return {
        "overdue": overdue_stages(),
        "open_count": Dispute.objects.filter(stage__in=OPEN_STAGES).count(),
    }
