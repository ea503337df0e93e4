"""The Merthyr Tydfil demo: organisations, people, bodies and logins named in the seed documents.

The people behind the plan's initials are fictional stand-ins; only the initials, the roles and
the organisations come from the real plan. Every step is an update-or-create keyed on a natural
key, so loading twice changes nothing.

The story is the customer's, from 2008-09; it is moved forward by a whole number of months (see
:func:`demo_shift_months`) so that it reads as current next to the representatives' and
disputes' events, which are dated relative to today. Loaders write every story date as the
original and pass it through ``context.date``.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from compact.models import Body, Compact, Membership, Organisation, Person
from compact.platform import registry
from compact.platform.access import Role

DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
DEMO_PASSWORD = "compact-demo"  # noqa: S105 - documented demo logins, refused when DEBUG is off

ORGANISATIONS = [
    # short name, name, sector
    ("MTCBC", "Merthyr Tydfil County Borough Council", Organisation.Sector.PUBLIC),
    ("LHB", "Cwm Taf Local Health Board", Organisation.Sector.PUBLIC),
    ("CT NHS Trust", "Cwm Taf NHS Trust", Organisation.Sector.PUBLIC),
    ("Police", "South Wales Police", Organisation.Sector.PUBLIC),
    ("WAG", "Welsh Assembly Government", Organisation.Sector.PUBLIC),
    ("VAMT", "Voluntary Action Merthyr Tydfil", Organisation.Sector.THIRD),
    ("WCVA", "Wales Council for Voluntary Action", Organisation.Sector.THIRD),
    ("Interlink", "Interlink Rhondda Cynon Taf", Organisation.Sector.THIRD),
    ("GCG", "Gurnos Community Group", Organisation.Sector.THIRD),
    ("MT Carers", "Merthyr Tydfil Carers Centre", Organisation.Sector.THIRD),
]

PEOPLE = [
    # initials, full name, organisation, job title
    ("ID", "Iolo Davies", "VAMT", "Chief Officer"),
    ("AH", "Alys Harris", "VAMT", "Compact Development Officer"),
    ("CD", "Catrin Dafydd", "VAMT", "Volunteer Centre Manager"),
    ("SS", "Sian Stephens", "LHB", "Partnerships Manager"),
    ("MM", "Mark Matthews", "LHB", "Head of Planning"),
    ("MB", "Meinir Bowen", "CT NHS Trust", "Head of Communications"),
    ("GR", "Gareth Rees", "CT NHS Trust", "Director of Partnerships"),
    ("BO", "Bryn Owen", "MTCBC", "Head of Policy"),
    ("JS", "Julie Stevens", "MTCBC", "Corporate Centre Manager"),
    ("", "Ian Bellshaw", "Police", "Area Commander's representative"),
    ("", "Rhian Pritchard", "GCG", "Co-ordinator"),
    ("", "Gwen Evans", "VAMT", "Office Manager"),
]

BODIES = [
    # slug, name, kind, meetings per year, parent slug, remit
    (
        "compact-board",
        "Merthyr Tydfil Compact Board",
        Body.Kind.BOARD,
        4,
        None,
        "The delivery mechanism for the public sector's decision making in relation to the "
        "third sector, integrated with the wider joint planning arena.",
    ),
    (
        "officers-group",
        "Compact Officers Group",
        Body.Kind.OFFICERS_GROUP,
        4,
        "compact-board",
        "Lead officers of the partners who prepare the Board's work and the implementation plan.",
    ),
    (
        "funding-task-group",
        "Funding, Procurement and Commissioning Task Group",
        Body.Kind.TASK_GROUP,
        4,
        "compact-board",
        "Develops the code of practice on funding, procurement and commissioning.",
    ),
    (
        "scrutiny-body",
        "Compact Scrutiny Body",
        Body.Kind.SCRUTINY,
        2,
        "compact-board",
        "Representatives of the Compact partners who resolve disagreements and follow up "
        "apparent breaches of the Compact.",
    ),
    (
        "leadership-group",
        "Third Sector Leadership Group",
        Body.Kind.NETWORK,
        4,
        None,
        "Reference group of third-sector representatives on strategic partnerships.",
    ),
    (
        "health-care-forum",
        "VAMT Health and Social Care Forum",
        Body.Kind.NETWORK,
        6,
        None,
        "VAMT's forum for third-sector organisations working in health and social care.",
    ),
    (
        "children-forum",
        "VAMT Children and Young People Forum",
        Body.Kind.NETWORK,
        6,
        None,
        "VAMT's forum for third-sector organisations working with children and young people.",
    ),
]

MEMBERSHIPS = [
    # body slug, person name, role, start
    ("compact-board", "Iolo Davies", Membership.Role.CHAIR, datetime.date(2008, 4, 1)),
    ("compact-board", "Alys Harris", Membership.Role.SECRETARIAT, datetime.date(2008, 4, 1)),
    ("compact-board", "Bryn Owen", Membership.Role.MEMBER, datetime.date(2007, 12, 1)),
    ("compact-board", "Sian Stephens", Membership.Role.MEMBER, datetime.date(2007, 12, 1)),
    ("compact-board", "Gareth Rees", Membership.Role.MEMBER, datetime.date(2007, 12, 1)),
    ("compact-board", "Rhian Pritchard", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("compact-board", "Ian Bellshaw", Membership.Role.OBSERVER, datetime.date(2008, 8, 1)),
    ("officers-group", "Iolo Davies", Membership.Role.CHAIR, datetime.date(2008, 4, 1)),
    ("officers-group", "Alys Harris", Membership.Role.SECRETARIAT, datetime.date(2008, 4, 1)),
    ("officers-group", "Sian Stephens", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("officers-group", "Mark Matthews", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("officers-group", "Meinir Bowen", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("officers-group", "Bryn Owen", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("officers-group", "Julie Stevens", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("officers-group", "Catrin Dafydd", Membership.Role.MEMBER, datetime.date(2008, 4, 1)),
    ("funding-task-group", "Iolo Davies", Membership.Role.CHAIR, datetime.date(2008, 7, 1)),
    ("funding-task-group", "Sian Stephens", Membership.Role.MEMBER, datetime.date(2008, 7, 1)),
    ("scrutiny-body", "Gareth Rees", Membership.Role.MEMBER, datetime.date(2009, 4, 1)),
    ("scrutiny-body", "Julie Stevens", Membership.Role.MEMBER, datetime.date(2009, 4, 1)),
    ("scrutiny-body", "Catrin Dafydd", Membership.Role.MEMBER, datetime.date(2009, 4, 1)),
    ("leadership-group", "Rhian Pritchard", Membership.Role.MEMBER, datetime.date(2009, 4, 1)),
    ("health-care-forum", "Rhian Pritchard", Membership.Role.MEMBER, datetime.date(2008, 1, 1)),
]

# The Compact's adoption, as in the seed; the stored adoption date also records the shift a
# database was loaded with, so loading again (in a later month) reuses it.
ADOPTED_ON = datetime.date(2008, 7, 1)
# The latest event of the 2008-09 story that has already happened: the Officers Group's review
# of the Community Strategy Partnership (12 March 2009), after the February 2009 Board. It
# lands in the month before loading at the latest, so the held meetings, the Update 4 report
# and the reviews are all in the past and the planned meetings in the future.
STORY_LAST_EVENT = datetime.date(2009, 3, 12)


# --- Demo data ----------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What ``load_demo`` has made so far, handed to each app's demo loader in turn."""

    compact: Any
    organisations: dict[str, Any]  # by short name: "VAMT", "MTCBC", "LHB", ...
    people: dict[str, Any]  # by initials: "ID", "AH", ...
    bodies: dict[str, Any]  # by slug: "compact-board", "officers-group", ...
    users: dict[str, Any]  # by username: "officer", "board", "admin", "representative"
    write: Callable[[str], None]  # progress output
    # Whole months the 2008-09 story is moved forward so that it reads as current (see
    # ``compact.demo.demo_shift_months``); every demo date goes through :meth:`date`.
    shift_months: int = 0

    def date(self, original: datetime.date) -> datetime.date:
        """A date of the 2008-09 story, moved by the demo's shift."""
        return shift_date(original, self.shift_months)

    def in_force(self, original: datetime.date) -> datetime.date:
        """A moved start date that today's events rely on (a membership, a code in force): the
        whole-month shift can put 1 April 2009 a few days ahead, so it is never after today."""
        return min(self.date(original), timezone.localdate())


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[[DemoContext], None]
    order: int = 100  # lower runs first; plans 10, partnerships 20, representatives 30 ...

    @property
    def key(self) -> str:
        return self.name


def _month_index(date: datetime.date) -> int:
    return date.year * 12 + date.month - 1


def shift_date(original: datetime.date, months: int) -> datetime.date:
    """The date ``months`` later. A month's last day stays the month's last day (the plan
    reads "Nov 08" as 30 November 2008), and a day the new month lacks becomes its last day."""
    index = _month_index(original) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if original.day == calendar.monthrange(original.year, original.month)[1]:
        return datetime.date(year, month + 1, last)
    return datetime.date(year, month + 1, min(original.day, last))


def demo_shift_months(today: datetime.date) -> int:
    """Whole months that move :data:`STORY_LAST_EVENT` to the latest day on or before today
    (never backwards)."""
    months = _month_index(today) - _month_index(STORY_LAST_EVENT)
    if today.day < STORY_LAST_EVENT.day:
        months -= 1
    return max(months, 0)


def _loaded_shift(today: datetime.date) -> int:
    """The shift this database was loaded with, else today's: a second load must find the
    meetings, reviews and memberships it made the first time, whatever the month."""
    adopted_on = (
        Compact.objects.filter(slug="merthyr-tydfil").values_list("adopted_on", flat=True).first()
    )
    if adopted_on is None:
        return demo_shift_months(today)
    return max(_month_index(adopted_on) - _month_index(ADOPTED_ON), 0)


USERS = [
    # username, person name, role, staff
    ("officer", "Iolo Davies", Role.OFFICER, False),
    ("board", "Bryn Owen", Role.BOARD, False),
    ("admin", "Gwen Evans", Role.ADMINISTRATOR, True),
    ("representative", "Rhian Pritchard", Role.REPRESENTATIVE, False),
]


@transaction.atomic
def load_demo(*, write: Callable[[str], None] = lambda _: None) -> DemoContext:
    """Create or refresh the whole demo, then hand over to each app's registered loader."""
    today = timezone.localdate()
    shift = _loaded_shift(today)
    compact, _ = Compact.objects.update_or_create(
        slug="merthyr-tydfil",
        defaults={
            "name": "The Merthyr Tydfil Compact",
            "area": "Merthyr Tydfil",
            "adopted_on": shift_date(ADOPTED_ON, shift),
            "summary": (
                "A partnership agreement which supports strategic working relations between the "
                "third sector and the public sector as represented by Merthyr Tydfil County "
                "Borough Council (MTCBC) and Cwm Taf Health Board in Merthyr Tydfil."
            ),
            # Fictional contact details for the public home page's "raise a concern".
            "contact_email": "compact@vamt.example.org",
            "contact_details": "Compact Development Officer, VAMT\nTel. 01685 000000",
        },
    )
    organisations = {
        short: Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short, "sector": sector}
        )[0]
        for short, name, sector in ORGANISATIONS
    }
    people: dict[str, Person] = {}
    people_by_name: dict[str, Person] = {}
    for initials, full_name, org, job_title in PEOPLE:
        person, _ = Person.objects.update_or_create(
            full_name=full_name,
            defaults={
                "initials": initials,
                "organisation": organisations[org],
                "job_title": job_title,
                "email": f"{full_name.lower().replace(' ', '.')}@example.org",
            },
        )
        people_by_name[full_name] = person
        if initials:
            people[initials] = person
    bodies: dict[str, Body] = {}
    for slug, name, kind, per_year, parent, remit in BODIES:
        bodies[slug], _ = Body.objects.update_or_create(
            slug=slug,
            defaults={
                "compact": compact,
                "name": name,
                "kind": kind,
                "expected_meetings_per_year": per_year,
                "parent": bodies.get(parent) if parent else None,
                "remit": remit,
                # The Board meets in public: its dates appear on the public home page.
                "meetings_public": kind == Body.Kind.BOARD,
            },
        )
    for slug, full_name, role, start in MEMBERSHIPS:
        person = people_by_name[full_name]
        Membership.objects.get_or_create(
            body=bodies[slug],
            person=person,
            role=role,
            # Current members: a moved start date is never after today.
            defaults={
                "start_date": min(shift_date(start, shift), today),
                "organisation": person.organisation,
            },
        )
    users = {}
    user_model = get_user_model()
    for username, full_name, role, staff in USERS:
        user, created = user_model.objects.get_or_create(username=username)
        person = people_by_name[full_name]
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name, user.email = first, last, person.email
        user.is_staff = staff
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=str(role))[0])
        if person.user_id != user.pk:
            for previous in Person.objects.filter(user=user).exclude(pk=person.pk):
                previous.user = None
                previous.save()
            person.user = user
            person.save()
        users[username] = user
    write(f"Demo dates: the 2008-09 story moved forward {shift} months.")
    write(
        f"Compact, {len(organisations)} organisations, {len(people_by_name)} people, "
        f"{len(bodies)} bodies and {len(users)} demo logins ready."
    )
    context = DemoContext(
        compact=compact,
        organisations=organisations,
        people=people,
        bodies=bodies,
        users=users,
        write=write,
        shift_months=shift,
    )
    # Compact's own data: the codes register first (partnerships and disputes cite its
    # commitments), the Board's meetings last (their agendas carry the upper apps' papers).
    from compact.demo.board import load_codes, load_meetings
    from compact.demo.welsh import compact_in_welsh

    compact_in_welsh(compact)
    load_codes(context)
    for loader in registry.items(DemoLoader):
        write(f"Loading demo: {loader.name}")
        loader.load(context)
    load_meetings(context)
    return context
