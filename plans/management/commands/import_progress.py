"""Read an edited progress spreadsheet back: ``manage.py import_progress FILE --plan PLAN
--user USERNAME [--reason TEXT]``. All or nothing: any problem refuses the whole file, listed
by row and column, and nothing changes. The edits are the user's (an officer's) in the
history, as if made in the row editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import ImplementationPlan
from plans.services.progress import ProgressImportError, import_progress


def find_plan(reference: str) -> ImplementationPlan:
    """The plan with this slug, or this id."""
    plans = ImplementationPlan.objects.filter(slug=reference)
    if reference.isdigit():
        plans = plans | ImplementationPlan.objects.filter(pk=int(reference))
    plan = plans.first()
    if plan is None:
        raise CommandError(f"No plan with slug or id {reference!r}.")
    return plan


class Command(BaseCommand):
    help = "Apply an edited progress spreadsheet (.xlsx or .csv) to a plan, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The spreadsheet (.xlsx or .csv).")
        parser.add_argument("--plan", required=True, help="The plan's slug or id.")
        parser.add_argument("--user", required=True, help="Whose edits these are (an officer).")
        parser.add_argument("--reason", default="", help="Kept in each changed row's history.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = find_plan(str(options["plan"]))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["user"]})
        except User.DoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
        try:
            result = import_progress(path, plan, user, reason=options["reason"])
        except PermissionDenied as exc:
            raise CommandError(f"{options['user']}: {exc}") from exc
        except ProgressImportError as exc:
            lines = "\n".join(str(problem) for problem in exc.problems)
            raise CommandError(
                f"{path} was not imported ({len(exc.problems)} problems); nothing changed:\n{lines}"
            ) from exc
        self.stdout.write(
            f"Imported {path} into {plan.slug}: {len(result.changes)} rows changed "
            f"({result.merged} merged with later saves), {result.unchanged} unchanged."
        )
