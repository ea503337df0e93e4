"""``/health/``: what a load balancer or a monitor asks each app server.

200 when this server can reach the database and the cache, 503 (with the same JSON) when it
cannot, so a proxy takes the server out of rotation. The background queue is reported but does
not fail the check: a stopped worker delays files, it does not make this server unable to serve
pages; the monitor alerts on ``oldest_wait_seconds`` instead. Counts only, nothing private.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from compact.platform.access import public
from compact.platform.middleware import DATABASE_ERRORS

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    cache = caches["default"]
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key) == "1"
    cache.delete(key)
    return "ok" if found else "unavailable"


def _queue() -> dict[str, Any] | None:
    """Waiting background tasks and how long the oldest has waited (database queue only)."""
    from django_tasks import task_backends

    if not type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "oldest_wait_seconds": (
            round((timezone.now() - oldest).total_seconds()) if oldest is not None else 0
        ),
    }


@public
@require_GET
@never_cache
@transaction.non_atomic_requests  # a lost database is an answer here, not a 503 page
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {}
    try:
        checks["database"] = _database()
    except DATABASE_ERRORS as exc:
        logger.error("Health check: database unavailable: %s", exc)
        checks["database"] = "unavailable"
    try:
        checks["cache"] = _cache()
    except Exception as exc:  # any backend's failure means the same: no cache
        logger.error("Health check: cache unavailable: %s", exc)
        checks["cache"] = "unavailable"
    if checks["database"] == "ok":
        try:
            queue = _queue()
        except DATABASE_ERRORS as exc:  # e.g. the queue table not migrated yet
            logger.error("Health check: task queue unreadable: %s", exc)
            queue = {"waiting": None, "oldest_wait_seconds": None}
        if queue is not None:
            checks["queue"] = queue
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
