"""The demo's Compact Board at work: the codes of practice register (imported from the seed)
and the Board's 2009 meeting programme, with the November 2008 meeting whose minutes were
approved in February 2009, actions, and the February agenda with the plan update.

Dates are written as in the 2008-09 story and moved by ``context.date`` (see ``compact.demo``);
texts that name a date are formatted from the moved date."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from compact.demo import DemoContext
from compact.demo.welsh import codes_in_welsh, meetings_in_welsh
from compact.models import AgendaItem, Attendance, Meeting, Minutes, Paper, RotationRule
from compact.papers import PaperProvider
from compact.platform import registry
from compact.platform.history import save_with_history
from compact.services import meetings as services
from compact.services.codes import code_save
from compact.services.codes_import import import_partnership_code
from compact.services.minutes import decision_record, minutes_circulate

VENUE = "VAMT, Ty Dysgu, Merthyr Tydfil"

BOARD_MEETINGS = [
    # date, status
    (datetime.date(2008, 11, 19), Meeting.Status.HELD),
    (datetime.date(2009, 2, 11), Meeting.Status.HELD),
    (datetime.date(2009, 4, 22), Meeting.Status.PLANNED),
    (datetime.date(2009, 7, 15), Meeting.Status.PLANNED),
    (datetime.date(2009, 11, 18), Meeting.Status.PLANNED),
]

NOVEMBER = datetime.date(2008, 11, 19)
FEBRUARY = datetime.date(2009, 2, 11)

NOVEMBER_MINUTES = (
    "Present: Iolo Davies (VAMT, chair), Alys Harris (VAMT, secretariat), Bryn Owen "
    "(MTCBC), Sian Stephens (LHB), Gareth Rees (CT NHS Trust), Rhian Pritchard "
    "(Gurnos Community Group).\n"
    "Apologies: Ian Bellshaw (South Wales Police).\n"
    "\n"
    "1. Implementation Plan\n"
    "The further draft of the plan was presented. The Board agreed the plan and "
    "agreed to use it as a working tool, presented to every Board meeting with "
    "changes and updates clearly marked.\n"
    "\n"
    "2. Partnership Working Code of Practice\n"
    "The code was agreed. Partners will circulate it to all partnerships in Merthyr "
    "Tydfil and ask that it be referenced in their terms of reference.\n"
    "\n"
    "3. Police representation\n"
    "The Board agreed to seek Police representation with observer status.\n"
    "\n"
    "4. Date of next meeting\n"
    "A quarterly programme will be set for the coming year."
)
# Numbered (e.g. 2008/1) when the demo circulates the minutes.
NOVEMBER_DECISIONS = (
    "The Implementation Plan is agreed, and used as a working tool presented to every Board "
    "meeting with changes and updates clearly marked.",
    "The Partnership Working Code of Practice is agreed and circulated to all partnerships.",
    "Police representation is sought, with observer status.",
)

FEBRUARY_ITEMS = [
    # title, presenter initials, purpose, minutes
    ("Welcome, apologies and declarations of interest", "ID", AgendaItem.Purpose.INFORMATION, 5),
    (
        "Minutes of the meeting of {november} and matters arising",
        "ID",
        AgendaItem.Purpose.DECISION,
        10,
    ),
    (
        "Policies relevant to the third sector in statutory agencies' decision making",
        "BO",
        AgendaItem.Purpose.DISCUSSION,
        20,
    ),
    (
        "Code of Practice on Funding, Procurement and Commissioning",
        "SS",
        AgendaItem.Purpose.DISCUSSION,
        15,
    ),
]

POLICY_PAPER = (
    "Raised at the Board in {september}: the Board asked how policies relevant to "
    "the third sector are considered by the Compact Board as part of each statutory "
    "agency's decision making.\n"
    "\n"
    "Proposal: each partner nominates a lead officer who flags forthcoming policies "
    "to the Compact Officers Group, which agrees which items go to the Board with a "
    "recommendation.\n"
    "\n"
    "The Board is asked to agree clear actions for each partner."
)

ACTIONS = [
    # description, owner initials, due, done on
    (
        "Circulate the agreed Partnership Working Code of Practice to all partnerships",
        "AH",
        datetime.date(2009, 1, 31),
        datetime.date(2009, 1, 20),
    ),
    (
        "Write to the Area Commander inviting Police representation with observer status",
        "ID",
        datetime.date(2009, 2, 11),
        None,
    ),
    (
        "Circulate the plan to LHB colleagues and the Health Board",
        "SS",
        datetime.date(2009, 3, 31),
        None,
    ),
    (
        "Propose a quarterly programme of Board meetings for 2009",
        "AH",
        datetime.date(2009, 1, 15),
        datetime.date(2009, 1, 12),
    ),
]


def load_codes(context: DemoContext) -> None:
    """The codes register from the seed; runs before the upper apps, which cite commitments."""
    code = import_partnership_code(
        compact=context.compact,
        path=_seed("partnership-working-code-of-practice.txt"),
        owner_body=context.bodies.get("compact-board"),
        date=context.date(NOVEMBER),
    )
    if code.review_date is None:
        code_save(
            code=code,
            owner=context.people.get("AH"),
            review_date=context.date(datetime.date(2009, 11, 18)),
            reason="Demo: reviewed by the Board a year after adoption",
        )
    codes_in_welsh()
    context.write("Codes of practice register imported from the Partnership Working Code.")


def _seed(name: str) -> Any:
    from compact.demo import DEMO_DATA_DIR

    return DEMO_DATA_DIR / name


def _pin_plan_update(item: AgendaItem) -> None:
    """Pin the February standing plan paper to Update 4 where the provider offers it."""
    for paper in item.papers.filter(kind=Paper.Kind.GENERATED, provider_value="latest"):
        provider = next(
            (p for p in registry.items(PaperProvider) if p.key == paper.provider_key), None
        )
        if provider is None:
            continue
        option = next(
            (o for o in provider.options() if o.value == "4" or "Update 4" in o.label), None
        )
        if option is not None:
            paper.provider_value = option.value
            paper.title = f"{provider.label} ({option.label})"
            paper.title_cy = ""  # named again in Welsh by meetings_in_welsh
            save_with_history(
                paper,
                actor=None,
                reason="Demo: the February Board considered Update 4",
                clean=False,
            )


def load_meetings(context: DemoContext) -> None:
    """The Board's programme; made once (a meeting that exists is left as it is)."""
    board = context.bodies["compact-board"]
    people = context.people
    RotationRule.objects.get_or_create(
        body=board,
        defaults={
            "rotate_after_months": 12,
            "notes": (
                f"Agreed in {context.date(datetime.date(2008, 4, 1)):%B %Y} that VAMT has the "
                "role for the first year."
            ),
        },
    )
    meetings: dict[datetime.date, Meeting] = {}
    for original, status in BOARD_MEETINGS:
        date = context.date(original)
        meeting = Meeting.objects.filter(body=board, date=date).first()
        created = meeting is None
        if created:
            meeting = services.meeting_create(
                body=board,
                date=date,
                start_time=datetime.time(10, 0),
                end_time=datetime.time(12, 0),
                venue=VENUE,
                status=status,
            )
        meetings[original] = meeting
        if created and original == FEBRUARY:
            _february(meeting, people, context)
            # Its agenda is final, so its pack is built for the members (in the background).
            services.agenda_finalise(meeting=meeting)
        if created and status == Meeting.Status.HELD:
            # A held meeting's papers were circulated a week before it, not on the day the
            # demo was loaded (its pack must not hold papers dated after the meeting).
            circulated = _at(meeting.date - datetime.timedelta(days=7))
            Paper.objects.filter(item__meeting=meeting).update(created_at=circulated)
            Meeting.objects.filter(pk=meeting.pk, agenda_final_at__isnull=False).update(
                agenda_final_at=circulated
            )
    november, february = meetings[NOVEMBER], meetings[FEBRUARY]
    if not Minutes.objects.filter(meeting=november).exists():
        minutes = Minutes.objects.create(meeting=november, text=NOVEMBER_MINUTES)
        for decision in NOVEMBER_DECISIONS:
            decision_record(item=None, meeting=november, text=decision)
        minutes_circulate(minutes=minutes)
        services.minutes_approve(minutes=minutes, at_meeting=february)
        Minutes.objects.filter(pk=minutes.pk).update(approved_on=_at(february.date, hour=12))
        for name in ("ID", "AH", "BO", "SS", "GR"):
            Attendance.objects.get_or_create(
                meeting=november,
                person=people[name],
                defaults={"status": Attendance.Status.PRESENT},
            )
        for description, owner, due, done in ACTIONS:
            action = services.action_add(
                meeting=november,
                description=description,
                owner=people[owner],
                due_date=context.date(due),
            )
            if done:
                services.action_complete(action=action, completed_on=context.date(done))
    meetings_in_welsh(
        november=november,
        february=february,
        november_date=context.date(NOVEMBER),
        september_date=context.date(datetime.date(2008, 9, 1)),
    )
    context.write(f"Board programme: {len(meetings)} meetings, minutes and actions ready.")


def _at(date: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def _long(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _february(meeting: Meeting, people: dict[str, Any], context: DemoContext) -> None:
    standing = list(meeting.items.all())
    for item in standing:
        _pin_plan_update(item)
    for title, presenter, purpose, minutes in FEBRUARY_ITEMS:
        item = services.agenda_item_add(
            meeting=meeting,
            title=title.format(november=_long(context.date(NOVEMBER))),
            presenter=people.get(presenter),
            purpose=purpose,
            minutes_allowed=minutes,
        )
        if title.startswith("Policies"):
            services.paper_write(
                item=item,
                title="Policies relevant to the third sector",
                text=POLICY_PAPER.format(
                    september=f"{context.date(datetime.date(2008, 9, 1)):%B %Y}"
                ),
            )
    # The welcome and minutes come first, then the standing papers, then the rest.
    items = list(meeting.items.order_by("position"))
    order = (
        [i for i in items if not i.standing][:2]
        + [i for i in items if i.standing]
        + [i for i in items if not i.standing][2:]
    )
    for position, item in enumerate(order, start=1):
        if item.position != position:
            item.position = position
            item.save()
    plan_item = next(
        (i for i in items if i.standing and i.papers.filter(kind=Paper.Kind.GENERATED).exists()),
        None,
    )
    if plan_item is not None:
        plan_item.presenter = people.get("AH")
        plan_item.minutes_allowed = 30
        plan_item.save()
    services.attendance_record(
        meeting=meeting, person=people["GR"], status=Attendance.Status.APOLOGIES
    )
    services.action_add(
        meeting=meeting,
        item=next(i for i in items if i.title.startswith("Policies")),
        description=(
            "Each partner to nominate a lead officer for policies relevant to the third sector"
        ),
        owner=people["BO"],
        due_date=context.date(datetime.date(2009, 4, 22)),
    )
