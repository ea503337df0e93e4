"""Small builders for representatives tests: places, rounds at any step, an appointed
representative with a signed code, a declaration and a feedback report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from compact.models import Body, Organisation, Person
from compact.platform.access import Role
from partnerships.models import Partnership, ThirdSectorPlace
from representatives import services
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    Nomination,
    SectorIssue,
    SelectionRound,
    Signature,
    SignUp,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(n)


def network(world: Any, slug: str = "health-forum") -> Body:
    body, _ = Body.objects.get_or_create(
        slug=slug,
        defaults={
            "compact": world.compact,
            "name": slug.replace("-", " ").title(),
            "kind": "network",
        },
    )
    return body


def place(world: Any, slug: str = "lsb", **extra: Any) -> ThirdSectorPlace:
    partnership, _ = Partnership.objects.get_or_create(
        slug=slug,
        defaults={
            "compact": world.compact,
            "name": f"Partnership {slug}",
            "type": Partnership.Type.STRATEGIC,
            "lead_body": world.public_org,
        },
    )
    defaults = {"kind": ThirdSectorPlace.Kind.ELECTED, "number_of_places": 1, "title": "Rep"}
    defaults.update(extra)
    return ThirdSectorPlace.objects.create(partnership=partnership, **defaults)


def conduct_version(world: Any, version: str = "1.0") -> CodeOfConductVersion:
    existing = CodeOfConductVersion.objects.filter(document__label=version).first()
    if existing:
        return existing
    return services.conduct_version_publish(
        version=version,
        text="The Third Sector Representative will; fulfil the role for an agreed term.",
        effective_on=days(-400),
        actor=world.users["officer"],
    )


def person(world: Any, name: str, org: Organisation | None = None) -> Person:
    return Person.objects.create(
        full_name=name, organisation=org or world.third_org, email=f"{name.split()[0]}@x.org"
    )


@dataclass
class RoundAt:
    round: SelectionRound
    nominations: list[Nomination]


def round_at(
    world: Any,
    step: str,
    *,
    the_place: ThirdSectorPlace | None = None,
    nominees: list[Person] | None = None,
    votes: list[int] | None = None,
) -> RoundAt:
    """A representation round advanced up to and including ``step``."""
    officer = world.users["officer"]
    the_place = the_place or place(world)
    forum = network(world)
    r = services.round_open(place=the_place, actor=officer, opened_on=days(-60))
    nominations: list[Nomination] = []
    order = [
        "opened",
        "timetable",
        "canvass",
        "nominated",
        "election",
        "declared",
        "informed",
        "appointed",
    ]
    upto = order.index(step)
    if upto >= 1:
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=world.public_org,
            nominations_close_on=days(-20) if upto >= 4 else days(10),
            election_on=days(-10) if upto >= 4 else days(20),
            appointment_on=days(-5) if upto >= 4 else days(30),
            agreed_on=days(-55),
            actor=officer,
        )
    if upto >= 2:
        services.round_canvass(
            selection_round=r,
            channels=[forum],
            wider_membership=False,
            canvassed_on=days(-50),
            actor=officer,
        )
    if upto >= 3:
        nominees = nominees if nominees is not None else [world.people["representative"]]
        for nominee in nominees:
            n = services.nomination_add(
                selection_round=r,
                person=nominee,
                nominated_by="A network member",
                received_on=days(-30),
                actor=officer,
            )
            services.nomination_check_eligibility(
                nomination=n, eligible=True, note="", actor=officer
            )
            nominations.append(n)
    if upto >= 4:
        services.round_open_election(
            selection_round=r, constituency=forum, opened_on=days(-15), actor=officer
        )
        if votes:
            services.election_record_votes(
                selection_round=r,
                votes={n.pk: v for n, v in zip(nominations, votes, strict=True)},
                actor=officer,
            )
    if upto >= 5:
        services.election_declare_result(selection_round=r, declared_on=days(-10), actor=officer)
    if upto >= 6:
        services.round_inform_statutory_body(
            selection_round=r,
            recipient="Chief Executive, Testshire Council",
            sent_on=days(-8),
            actor=officer,
        )
    if upto >= 7:
        elected = Nomination.objects.get(round=r, elected=True)
        services.appointment_make(
            selection_round=r,
            nomination=elected,
            term_start=days(-5),
            term_end=days(700),
            actor=officer,
        )
    r.refresh_from_db()
    for n in nominations:
        n.refresh_from_db()
    return RoundAt(round=r, nominations=nominations)


def make_representative(django_user_model: Any, username: str, name: str) -> tuple[Any, Person]:
    user = django_user_model.objects.create_user(username=username, password="x-not-used-x")
    user.groups.add(Group.objects.get(name=str(Role.REPRESENTATIVE)))
    return user, Person.objects.create(full_name=name, user=user, email=f"{username}@x.org")


@dataclass
class RepWorld:
    """Everything the access table and permission tests need, built once per world."""

    signup: SignUp
    round: SelectionRound
    appointment: Appointment
    signature: Signature
    declaration: Declaration
    report: FeedbackReport
    issue: SectorIssue
    version: CodeOfConductVersion


def rep_world(world: Any) -> RepWorld:
    if "rep" in world.extra:
        return world.extra["rep"]
    officer = world.users["officer"]
    rep_user = world.users["representative"]
    version = conduct_version(world)
    done = round_at(world, "appointed")
    appointment = Appointment.objects.get(round=done.round)
    signature = services.conduct_sign(
        version=version,
        partnership=appointment.partnership,
        typed_name=world.people["representative"].full_name,
        actor=rep_user,
    )
    declaration = services.declaration_create(
        kind="general", interest="Trustee of a charity", actor=rep_user
    )
    report = services.feedback_file(
        appointment=appointment, meeting_date=days(-1), discussed="The budget", actor=rep_user
    )
    issue = services.sector_issue_queue(
        appointment=appointment, issue="Hall hire costs", actor=officer
    )
    signup = services.signup_submit(
        full_name="Nia Williams",
        organisation_name="Testshire Carers",
        email="nia@example.org",
        interests="Carers",
        consent=True,
        site_url="http://testserver/",
    )
    services.signup_confirm(token=services.signup_token(signup))
    signup.refresh_from_db()
    result = RepWorld(
        signup=signup,
        round=done.round,
        appointment=appointment,
        signature=signature,
        declaration=declaration,
        report=report,
        issue=issue,
        version=version,
    )
    world.extra["rep"] = result
    return result
