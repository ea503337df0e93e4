"""The demo plan: the real Merthyr Tydfil implementation plan (the seed text), loaded as
Update 3 (dated 30 November 2008) and Update 4 (dated 26 January 2009).

Update 3 is reconstructed from the seed by one rule: a line of a Progress cell (a paragraph
in the Word document) that mentions a date after 30 November 2008 ("Feb 09 Board",
"advertise post in Feb 09", "Additional capacity in place in Jan 09") was written for
Update 4, so Update 3 leaves it out. Month-and-year mentions count as the month's last day,
numeric dates as that day; bare years ("for 2009") are not dates. Everything else reads as in
the seed, so Update 4's report shows those lines as inserted, in blue.

The demo moves the story forward by ``context.shift_months`` (see ``compact.demo``): the seed
file is left as the customer wrote it, and its dates ("Sept 08", "26th January 2009",
"24.11.08") are rewritten as it is imported, so the timescales, the progress notes and the
updates' dates all move together.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from compact.demo import DEMO_DATA_DIR, DemoContext
from plans import parsing, services
from plans.importing import ParsedPlan, Text, import_plan, parse_text
from plans.models import ImplementationPlan, Objective, Outcome, Task

PLAN_SLUG = "implementation-plan-2008-2011"
PLAN_TITLE = "The Merthyr Tydfil Compact - Implementation Plan 2008-2011"
SEED = DEMO_DATA_DIR / "implementation-plan-update-4.txt"
WELSH = DEMO_DATA_DIR / "implementation-plan-welsh.json"
WELSH_PHRASES = {"standing item": "Eitem Sefydlog", "tbc": "I'w gadarnhau"}
UPDATE_3_DATE = datetime.date(2008, 11, 30)
UPDATE_4_DATE = datetime.date(2009, 1, 26)


def progress_as_at(progress: str, cutoff: datetime.date) -> str:
    """The progress text without the lines that mention a date after the cutoff."""
    kept = [
        line
        for line in progress.split("\n")
        if not any(date > cutoff for date in parsing.dates_mentioned(line))
    ]
    from plans.importing import clean_text

    return clean_text("\n".join(kept))


def reconstruct_previous(parsed: ParsedPlan, cutoff: datetime.date) -> ParsedPlan:
    """Set each progress cell's ``before`` text to what it read at the cutoff."""
    for objective in parsed.objectives:
        for task in objective.tasks:
            for row in task.rows:
                row.progress = Text(
                    after=row.progress.after, before=progress_as_at(row.progress.after, cutoff)
                )
    return parsed


def welsh_timescale(timescale: str) -> str:
    """A timescale in Welsh when it is only a month and year ("Sept 08" -> "Medi 08") or a
    known phrase ("Standing Item" -> "Eitem Sefydlog"); empty otherwise (left untranslated)."""
    text = timescale.strip()
    if text.lower() in WELSH_PHRASES:
        return WELSH_PHRASES[text.lower()]
    return parsing.month_year_in_welsh(text)


def add_welsh(plan: ImplementationPlan) -> None:
    """Give the demo plan its Welsh (compact/demo_data/implementation-plan-welsh.json) through
    the services, so the history records it like an officer's edit: the plan's title, the
    objectives' statements, some tasks and rows, and every timescale that is a month and year."""
    welsh: dict[str, Any] = json.loads(WELSH.read_text(encoding="utf-8"))
    reason = "Demo: Welsh versions"
    if plan.title_cy != welsh["plan"]["title_cy"]:
        plan = services.plan_update_settings(plan=plan, data=welsh["plan"], actor=None)
    objectives = {o.pk: o for o in Objective.objects.filter(plan=plan)}
    for objective in objectives.values():
        data = welsh["objectives"].get(str(objective.number), {})
        if any(getattr(objective, key) != value for key, value in data.items()):
            services.objective_update(
                objective=objective, expected_version=None, data=data, actor=None, reason=reason
            )
    tasks = {}
    for task in Task.objects.filter(plan=plan):
        key = f"{objectives[task.objective_id].number}.{task.order + 1}"
        tasks[task.pk] = key
        description_cy = welsh["tasks"].get(key, "")
        if description_cy and task.description_cy != description_cy:
            services.task_update(
                task=task,
                expected_version=None,
                data={"description_cy": description_cy},
                actor=None,
                reason=reason,
            )
    for row in Outcome.objects.filter(plan=plan).select_related("plan"):
        data = dict(welsh["rows"].get(f"{tasks[row.task_id]}.{row.order + 1}", {}))
        timescale_cy = welsh_timescale(row.timescale)
        if timescale_cy:
            data["timescale_cy"] = timescale_cy
        if any(getattr(row, key) != value for key, value in data.items()):
            services.outcome_update(
                outcome=row, expected_version=None, data=data, actor=None, reason=reason
            )


# Demo contributors (password DEMO_PASSWORD, like the other demo logins): people the plan's
# rows name, each also the lead contact of their organisation, so an update call asks them.
CONTRIBUTORS = [
    # username, initials, organisation they answer for
    ("alys", "AH", "VAMT"),
    ("sian", "SS", "LHB"),
    ("julie", "JS", "MTCBC"),
]


def load_contributors(context: DemoContext) -> None:
    """The three demo contributor accounts, linked to their people, and their organisations'
    lead contacts. Idempotent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from compact.demo import DEMO_PASSWORD
    from compact.platform.access import Role

    group = Group.objects.get_or_create(name=str(Role.CONTRIBUTOR))[0]
    for username, initials, organisation in CONTRIBUTORS:
        person = context.people[initials]
        user, created = get_user_model().objects.get_or_create(username=username)
        first, _sep, last = person.full_name.partition(" ")
        user.first_name, user.last_name, user.email = first, last, person.email
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(group)
        if person.user_id != user.pk:
            person.user = user
            person.save()
        context.organisations[organisation].lead_contacts.add(person)
    context.write(f"{len(CONTRIBUTORS)} demo contributors ready (alys, sian, julie).")


def load(context: DemoContext) -> None:
    load_contributors(context)
    if ImplementationPlan.objects.filter(slug=PLAN_SLUG).exists():
        # The Compact's plan is a public document: visitors read its issued updates.
        ImplementationPlan.objects.filter(slug=PLAN_SLUG).update(is_public=True)
        context.write("Implementation plan already loaded.")
        return
    text = parsing.shift_dates_in_text(SEED.read_text(encoding="utf-8"), context.shift_months)
    update_3_date, update_4_date = context.date(UPDATE_3_DATE), context.date(UPDATE_4_DATE)
    parsed = reconstruct_previous(parse_text(text), update_3_date)
    result = import_plan(
        parsed,
        compact=context.compact,
        actor=context.users.get("officer"),
        slug=PLAN_SLUG,
        title=PLAN_TITLE,
        number=4,
        date=update_4_date,
        previous_date=update_3_date,
        is_public=True,
        before_issue=add_welsh,
    )
    for note in result.notes:
        context.write(note)
    context.write(
        f"Implementation plan: {result.objectives} objectives, {result.tasks} tasks, "
        f"{result.rows} rows; Updates {', '.join(str(u.number) for u in result.updates)} issued."
    )
