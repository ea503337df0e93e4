"""manage.py import_plan FILE [--plan SLUG] [--update-number N] [--date YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug

from compact.models import Compact
from plans import importing


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date written YYYY-MM-DD, e.g. 2009-01-26"
        ) from None


def _slug(value: str) -> str:
    if not value:
        return value  # not given: made from the title
    try:
        validate_slug(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a slug: use letters, numbers, hyphens and underscores only"
        ) from None
    return value


def _update_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an update number: give a whole number of 1 or more"
        )
    return number


class Command(BaseCommand):
    help = (
        "Import an implementation plan from a Word .docx or its text export (.txt). Blue text "
        "in the Word file is read as that update's changes: the plan without it is issued as "
        "Update N-1, the plan with it as Update N. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--plan", dest="slug", type=_slug, default="", help="Slug of the new plan."
        )
        parser.add_argument("--title", default="", help="Title (default: the document's).")
        parser.add_argument(
            "--update-number",
            type=_update_number,
            default=None,
            help="The document's update number, 1 or more (default: read from the document).",
        )
        parser.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD")
        parser.add_argument(
            "--previous-date",
            type=_date,
            default=None,
            help="Date of Update N-1 when the document has blue text (default: --date).",
        )
        parser.add_argument("--compact", default="", help="Slug of the Compact (default: first).")
        parser.add_argument("--user", default="", help="Username recorded in the history.")
        parser.add_argument("--public", action="store_true", help="Mark the plan public.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        compacts = Compact.objects.order_by("pk")
        compact = (
            compacts.filter(slug=options["compact"]).first()
            if options["compact"]
            else compacts.first()
        )
        if compact is None and options["compact"]:
            slugs = list(compacts.values_list("slug", flat=True))
            raise CommandError(f"No Compact with slug {options['compact']!r}; there are {slugs}.")
        if compact is None:
            raise CommandError("No Compact found: create one (or run load_demo) first.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            parsed = importing.parse_file(path.name, data)
            result = importing.import_plan(
                parsed,
                compact=compact,
                actor=actor,
                slug=options["slug"],
                title=options["title"],
                number=options["update_number"],
                date=options["date"],
                previous_date=options["previous_date"],
                is_public=options["public"],
                on_step=lambda message: self.stdout.write(message),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.plan.title} ({result.plan.slug}): {result.objectives} "
                f"objectives, {result.tasks} tasks, {result.rows} rows."
            )
        )
