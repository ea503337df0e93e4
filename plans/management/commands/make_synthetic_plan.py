from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from compact.selectors import compact_current
from plans.models import ImplementationPlan
from plans.synthetic import synthetic_plan_build


class Command(BaseCommand):
    help = (
        "Add the synthetic benchmark plan (2,400 rows, 30 issued updates) for load tests; "
        "does nothing if a plan with that slug exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", default="bench-plan")

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        if ImplementationPlan.objects.filter(slug=slug).exists():
            self.stdout.write(f"Plan {slug!r} already exists.")
            return
        compact = compact_current()
        if compact is None:
            raise CommandError("No Compact yet: run load_demo (or create one) first.")
        with transaction.atomic():
            plan, updates = synthetic_plan_build(compact=compact, slug=slug)
        self.stdout.write(
            f"Synthetic plan {plan.slug!r}: {plan.outcomes.count()} rows, {len(updates)} updates."
        )
