"""Store the snapshot of every issued update that lacks one in the current format (after the
snapshot encoding changes: plans/snapshots.py, SNAPSHOT_SCHEMA). Reports work without it, built
from history on each read; storing makes each report one query again."""

from typing import Any

from django.core.management.base import BaseCommand

from plans.models import ImplementationPlan
from plans.services import snapshots_store


class Command(BaseCommand):
    help = "Store the missing snapshots of issued plan updates."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = 0
        for plan in ImplementationPlan.objects.order_by("pk"):
            stored += snapshots_store(plan, list(plan.updates.order_by("number")))
        self.stdout.write(f"Stored {stored} snapshot(s).")
