"""Demo data: completed selection rounds, Rhian Pritchard appointed with a signed code, a
declaration and a feedback report, a round in progress, and sign-ups in the queue.

Idempotent: each part is created once (looked up by its place or email) and skipped after.
Dates are relative to today so that the dashboard's "term ends within 90 days" panel shows
something whenever the demo is loaded."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from compact.demo import DemoContext
from compact.demo.welsh import code_of_conduct_welsh
from compact.models import Organisation, Person
from compact.selectors import code_of_conduct_current
from compact.services.codes_import import parse_partnership_code
from partnerships.models import Partnership, ThirdSectorPlace
from representatives import services
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    SectorIssue,
    SelectionRound,
    Signature,
    SignUp,
)

SEED = (
    Path(settings.BASE_DIR) / "compact" / "demo_data" / "partnership-working-code-of-practice.txt"
)

PARTNERSHIPS = [
    # slug, name, type, lead body short name, place title, kind, places, deputy, term months
    (
        "local-service-board",
        "Merthyr Tydfil Local Service Board",
        Partnership.Type.STRATEGIC,
        "MTCBC",
        "Third-sector representative",
        ThirdSectorPlace.Kind.ELECTED,
        1,
        True,
        24,
    ),
    (
        "community-strategy-partnership",
        "Community Strategy Partnership",
        Partnership.Type.STRATEGIC,
        "MTCBC",
        "Third-sector representative",
        ThirdSectorPlace.Kind.ELECTED,
        1,
        False,
        24,
    ),
    (
        "health-social-care-forum",
        "Health, Social Care and Well-being Partnership",
        Partnership.Type.PLANNING,
        "LHB",
        "Third-sector member (carers)",
        ThirdSectorPlace.Kind.SPECIALIST,
        1,
        False,
        12,
    ),
]


def appendix_two_text() -> str:
    """The Code of Conduct text of Appendix 2, read as the codes register reads it."""
    return parse_partnership_code(SEED.read_text(encoding="utf-8")).appendix_2


def _partnership(
    context: DemoContext, row: tuple[Any, ...]
) -> tuple[Partnership, ThirdSectorPlace]:
    slug, name, kind, lead, title, place_kind, places, deputy, months = row
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        partnership = Partnership.objects.filter(compact=context.compact, name=name).first()
    if partnership is None:
        partnership = Partnership.objects.create(
            compact=context.compact,
            name=name,
            slug=slug,
            type=kind,
            lead_body=context.organisations[lead],
            status=Partnership.Status.ACTIVE,
        )
    place = partnership.places.filter(kind=place_kind).order_by("pk").first()
    if place is None:
        place = ThirdSectorPlace.objects.create(
            partnership=partnership,
            title=title,
            kind=place_kind,
            number_of_places=places,
            has_deputy=deputy,
            term_months=months,
        )
    return partnership, place


def _person(full_name: str, organisation: Organisation, job_title: str = "") -> Person:
    email = f"{full_name.lower().replace(' ', '.')}@example.org"
    person, _ = Person.objects.get_or_create(
        full_name=full_name,
        defaults={"organisation": organisation, "job_title": job_title, "email": email},
    )
    return person


def load_demo(context: DemoContext) -> None:
    # Demo emails (confirmation links, letters) go to memory, not the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _load(context)


@transaction.atomic
def _load(context: DemoContext) -> None:
    officer = context.users["officer"]
    admin = context.users["admin"]
    representative = context.users["representative"]
    orgs = context.organisations
    forum = context.bodies["health-care-forum"]
    children_forum = context.bodies["children-forum"]
    today = timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days)  # noqa: E731

    # The Code of Conduct (Appendix 2), version 1, published for signing: the register's own
    # version when it has one, else the seed's text and its Welsh (added to the register).
    if not CodeOfConductVersion.objects.exists():
        register_code, register_version = code_of_conduct_current()
        services.conduct_version_publish(
            version=register_version.label if register_version else "1",
            text=register_version.text if register_version else appendix_two_text(),
            text_cy=register_version.text_cy if register_version else code_of_conduct_welsh(),
            effective_on=context.in_force(datetime.date(2009, 4, 1)),
            actor=officer,
            code=register_code,
        )
    version = CodeOfConductVersion.objects.get(is_current=True)

    places = {row[0]: _partnership(context, row) for row in PARTNERSHIPS}
    csp, csp_place = places["community-strategy-partnership"]
    lsb, lsb_place = places["local-service-board"]
    _hsc, hsc_place = places["health-social-care-forum"]
    rhian = Person.objects.get(user=representative)
    huw = _person("Huw Jenkins", orgs["MT Carers"], "Carers' Development Worker")
    eleri = _person("Eleri Thomas", orgs["GCG"], "Youth Worker")

    # 1. A completed representation round: Rhian elected via the Health and Social Care Forum.
    if not csp_place.rounds.exists():
        r = services.round_open(place=csp_place, actor=officer, opened_on=ago(640))
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=orgs["MTCBC"],
            nominations_close_on=ago(600),
            election_on=ago(590),
            appointment_on=ago(580),
            agreed_on=ago(635),
            actor=officer,
        )
        services.round_canvass(
            selection_round=r,
            channels=[forum, children_forum],
            wider_membership=True,
            canvassed_on=ago(630),
            actor=officer,
        )
        first = services.nomination_add(
            selection_round=r,
            person=rhian,
            nominated_by="Gurnos Community Group",
            supporting_statement="Ten years running community projects on the Gurnos estate.",
            received_on=ago(610),
            actor=officer,
        )
        second = services.nomination_add(
            selection_round=r,
            person=huw,
            nominated_by="Merthyr Tydfil Carers Centre",
            supporting_statement="Represents carers' organisations across the borough.",
            received_on=ago(605),
            actor=officer,
        )
        third = services.nomination_add(
            selection_round=r,
            person=eleri,
            nominated_by="Gurnos Community Group",
            supporting_statement="Youth work and young people's participation.",
            received_on=ago(602),
            actor=officer,
        )
        for nomination in (first, second, third):
            services.nomination_check_eligibility(
                nomination=nomination, eligible=True, note="", actor=officer
            )
        services.round_open_election(
            selection_round=r, constituency=forum, opened_on=ago(595), actor=officer
        )
        services.election_record_votes(
            selection_round=r, votes={first.pk: 14, second.pk: 9, third.pk: 6}, actor=officer
        )
        services.election_declare_result(selection_round=r, declared_on=ago(590), actor=officer)
        services.round_inform_statutory_body(
            selection_round=r,
            recipient="Julie Stevens, Corporate Centre Manager, MTCBC",
            sent_on=ago(588),
            actor=officer,
        )
        appointment = services.appointment_make(
            selection_round=r,
            nomination=first,
            term_start=ago(580),
            term_end=today + datetime.timedelta(75),
            mandate_body=forum,
            actor=officer,
        )
        services.appointment_induction_record(
            appointment=appointment, items=services.INDUCTION_ITEMS, actor=officer
        )
        # Where the place has more than one seat, the runner-up was elected too.
        for other in r.nominations.filter(elected=True).exclude(pk=first.pk):
            services.appointment_make(
                selection_round=r,
                nomination=other,
                term_start=ago(580),
                mandate_body=forum,
                actor=officer,
            )
    appointment = Appointment.objects.filter(person=rhian, place=csp_place).first()
    if appointment and not Signature.objects.filter(person=rhian, version=version).exists():
        services.conduct_sign(
            version=version, partnership=csp, typed_name=rhian.full_name, actor=representative
        )
    if appointment and appointment.status == Appointment.Status.INDUCTION:
        services.appointment_induction_complete(appointment=appointment, actor=officer)
    if appointment and not Declaration.objects.filter(person=rhian).exists():
        services.declaration_create(
            kind="meeting_item",
            partnership=csp,
            meeting_date=ago(40),
            item="Item 5: Community facilities grant scheme",
            interest="Gurnos Community Group, which I co-ordinate, has applied to the scheme.",
            action_taken="Left the room for the item and took no part in the decision.",
            actor=representative,
        )
    if appointment and not FeedbackReport.objects.filter(appointment=appointment).exists():
        report = services.feedback_file(
            appointment=appointment,
            meeting_date=ago(40),
            discussed="Refresh of the Community Strategy; the community facilities grant scheme.",
            issues_raised="Short notice of consultations; the cost of hall hire for small groups.",
            sector_should_know="Consultation on the refreshed strategy opens next month.",
            actor=representative,
        )
        services.feedback_publish(report=report, forum=forum, actor=officer)
        services.sector_issue_queue(
            appointment=appointment,
            issue="Groups on the estate ask how the grant scheme's criteria were set.",
            raised_through=forum,
            actor=officer,
        )

    # 2. The membership process: the Health Board asked VAMT for a carers' member.
    if not hsc_place.rounds.exists():
        r = services.round_open(
            place=hsc_place,
            process=SelectionRound.Process.MEMBERSHIP,
            statutory_body=orgs["LHB"],
            notes="The LHB asked for a carers' perspective on the partnership.",
            opened_on=ago(300),
            actor=officer,
        )
        services.round_membership_circulate(
            selection_round=r,
            channels=[forum],
            wider_membership=False,
            circulated_on=ago(295),
            actor=officer,
        )
        interest = services.nomination_add(
            selection_round=r,
            person=huw,
            nominated_by="Self (expression of interest)",
            received_on=ago(285),
            actor=officer,
        )
        services.round_membership_choose(
            selection_round=r, nomination=interest, informed_on=ago(270), actor=officer
        )
        services.appointment_make(
            selection_round=r, nomination=interest, term_start=ago(260), actor=officer
        )

    # 3. A round in progress for the Local Service Board: canvassing, two nominations.
    if not lsb_place.rounds.exists():
        r = services.round_open(place=lsb_place, actor=officer, opened_on=ago(20))
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=orgs["MTCBC"],
            nominations_close_on=today + datetime.timedelta(14),
            election_on=today + datetime.timedelta(28),
            appointment_on=today + datetime.timedelta(42),
            agreed_on=ago(18),
            actor=officer,
        )
        services.round_canvass(
            selection_round=r,
            channels=[forum, children_forum],
            wider_membership=True,
            canvassed_on=ago(15),
            actor=officer,
        )
        services.nomination_add(
            selection_round=r,
            person=eleri,
            nominated_by="Gurnos Community Group",
            supporting_statement="Youth work and young people's participation.",
            received_on=ago(5),
            actor=officer,
        )

    # Sign-ups in the queue.
    signups = [
        ("Sioned Lewis", "Merthyr Tydfil Carers Centre", "sioned.lewis@example.org", True),
        ("Tomos Price", "Dowlais Community Partnership", "tomos.price@example.org", True),
        ("Mair Hughes", "Troedyrhiw Over 50s Forum", "mair.hughes@example.org", False),
    ]
    for name, organisation, email, confirmed in signups:
        if SignUp.objects.filter(email=email).exists():
            continue
        signup = services.signup_submit(
            full_name=name,
            organisation_name=organisation,
            email=email,
            interests="Older people, carers and community transport.",
            experience="Trustee of a local charity for six years.",
            consent=True,
            partnerships=[lsb],
            site_url="http://localhost:8000/",
        )
        if confirmed:
            services.signup_confirm(token=services.signup_token(signup))
    if not SignUp.objects.filter(status=SignUp.Status.REJECTED).exists():
        rejected = services.signup_submit(
            full_name="Test Person",
            organisation_name="Not a third-sector organisation Ltd",
            email="test.person@example.org",
            interests="Selling services to the council.",
            consent=True,
            site_url="http://localhost:8000/",
        )
        services.signup_confirm(token=services.signup_token(rejected))
        services.signup_reject(
            signup=rejected,
            reason="A private company, not a third-sector organisation.",
            actor=admin,
        )
    context.write(
        f"Representatives: {SelectionRound.objects.count()} rounds, "
        f"{Appointment.objects.count()} appointments, {SignUp.objects.count()} sign-ups, "
        f"{SectorIssue.objects.count()} sector issues."
    )
