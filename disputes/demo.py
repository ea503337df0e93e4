"""Demo disputes in Merthyr Tydfil: a few concerns at different stages, one closed, one before
a panel of the scrutiny body. Keyed on the subject, so loading twice changes nothing.

The commitments they cite come from the Partnership Working Code of Practice seed; the code and
those commitments are get-or-created on the same keys the board's import uses (code slug
``partnership-working-code``, commitment ``(party, number)``), so both demos converge.
"""

from __future__ import annotations

import datetime
import re
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from compact.demo import DEMO_DATA_DIR
from compact.models import CodeOfPractice, Commitment, Membership, Person
from compact.models.codes import PARTNERSHIP_CODE_SLUG
from disputes import services
from disputes.models import Dispute
from disputes.procedure import Closure, Stage

CODE_SLUG = PARTNERSHIP_CODE_SLUG
CODE_TITLE = "Partnership Working Code of Practice"
SEED = DEMO_DATA_DIR / "partnership-working-code-of-practice.txt"

# The headings in the seed that open each party's numbered list.
PARTY_HEADINGS = (
    ("All parties will", Commitment.Party.ALL),
    ("Public sector organisations will", Commitment.Party.PUBLIC),
    ("Voluntary Action Merthyr Tydfil will", Commitment.Party.VAMT),
    ("Third sector organisations will", Commitment.Party.THIRD),
)


@cache
def seed_commitments() -> dict[tuple[str, int], str]:
    """The code's numbered commitments from the seed text, by (party, number)."""
    found: dict[tuple[str, int], str] = {}
    party: str | None = None
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("Implementation and Monitoring"):
            break
        heading = next((p for text, p in PARTY_HEADINGS if text in line), None)
        if heading is not None:
            party = heading
            continue
        match = re.match(r"^(\d+)\.\s+(.+)$", line)
        if party and match:
            found[(party, int(match.group(1)))] = match.group(2).strip()
    return found


def _commitment(code: CodeOfPractice, party: str, number: int) -> Commitment:
    commitment, _ = Commitment.objects.get_or_create(
        code=code,
        party=party,
        number=number,
        defaults={"text": seed_commitments()[(party, number)]},
    )
    return commitment


def _person(full_name: str, organisation: Any, job_title: str) -> Person:
    person, _ = Person.objects.get_or_create(
        full_name=full_name,
        defaults={
            "organisation": organisation,
            "job_title": job_title,
            "email": f"{full_name.lower().replace(' ', '.')}@example.org",
        },
    )
    return person


@transaction.atomic
def load_disputes_demo(context: Any) -> None:
    orgs, people, users = context.organisations, context.people, context.users
    code, _ = CodeOfPractice.objects.get_or_create(
        slug=CODE_SLUG,
        defaults={
            "compact": context.compact,
            "title": CODE_TITLE,
            "kind": CodeOfPractice.Kind.CODE,
            "status": CodeOfPractice.Status.AGREED,
        },
    )
    officer = users["officer"]
    rhian = Person.objects.get(full_name="Rhian Pritchard")
    julie = Person.objects.get(full_name="Julie Stevens")
    carers = _person("Dewi Morgan", orgs["MT Carers"], "Centre Manager")
    interlink = _person("Eleri Watkins", orgs["Interlink"], "Partnerships Officer")
    police_contact = Person.objects.get(full_name="Ian Bellshaw")
    scrutiny = context.bodies["scrutiny-body"]
    # A third-sector voice on the scrutiny body from outside the parties below.
    Membership.objects.get_or_create(
        body=scrutiny,
        person=interlink,
        role=Membership.Role.MEMBER,
        defaults={
            "start_date": context.in_force(datetime.date(2009, 4, 1)),
            "organisation": interlink.organisation,
        },
    )
    today = timezone.localdate()

    def days_ago(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    def raise_once(subject: str, **kwargs: Any) -> Dispute | None:
        if Dispute.objects.filter(subject=subject).exists():
            return None
        raiser = kwargs.pop("raised_by")
        return services.dispute_raise(
            subject=subject,
            raised_by=raiser,
            actor=raiser.user or officer,
            **kwargs,
        )

    # 1. The representative's own concern, still at informal resolution (and overdue).
    raise_once(
        "Not invited to the Communities First steering group",
        raised_by=rhian,
        concerns=[orgs["MTCBC"]],
        contacts=[julie],
        commitment=_commitment(code, Commitment.Party.PUBLIC, 2),
        what_happened=(
            "The council set up the Gurnos Communities First steering group in March without "
            "asking VAMT to canvass the third sector for a representative."
        ),
        outcome_sought="A third-sector seat on the steering group, filled through VAMT.",
        raised_on=days_ago(40),
    )

    # 2. In mediation, with two sessions.
    dispute = raise_once(
        "Carers' forum not told of changes to respite services",
        raised_by=carers,
        concerns=[orgs["LHB"]],
        contacts=[people["SS"]],
        commitment=_commitment(code, Commitment.Party.PUBLIC, 6),
        what_happened=(
            "Changes to respite provision were agreed at the health board's planning group "
            "without VAMT or the carers' forum being told."
        ),
        outcome_sought="An explanation, and carers consulted before the next change.",
        raised_on=days_ago(50),
    )
    if dispute is not None:
        record = services.dispute_move(
            dispute=dispute,
            to_stage=Stage.MEDIATION,
            reason="The parties could not agree informally within the target time.",
            mediator_name="Alys Harris",
            on=days_ago(20),
            actor=officer,
        )
        for ago, notes in ((14, "First meeting: timeline agreed."), (6, "Draft protocol.")):
            services.mediation_session_add(
                record=record, held_on=days_ago(ago), notes=notes, actor=officer
            )

    # 3. Referred to the scrutiny body; the panel is drawn from members outside the parties.
    dispute = raise_once(
        "Representative replaced without consulting the sector",
        raised_by=people["AH"],
        concerns=[orgs["CT NHS Trust"]],
        contacts=[people["MB"]],
        commitment=_commitment(code, Commitment.Party.ALL, 7),
        what_happened=(
            "The trust asked a different third-sector organisation to sit on its patient "
            "experience group instead of the elected representative."
        ),
        outcome_sought="The elected representative reinstated.",
        raised_on=days_ago(120),
    )
    if dispute is not None:
        services.dispute_move(
            dispute=dispute,
            to_stage=Stage.MEDIATION,
            reason="Informal discussion did not resolve it.",
            mediator_name="Catrin Dafydd",
            on=days_ago(90),
            actor=officer,
        )
        services.dispute_move(
            dispute=dispute,
            to_stage=Stage.SCRUTINY,
            reason="No agreement in mediation.",
            panel=[julie, interlink],
            on=days_ago(30),
            actor=officer,
        )

    # 4. Closed: resolved after mediation.
    dispute = raise_once(
        "Police partnership terms of reference omit the Compact",
        raised_by=interlink,
        concerns=[orgs["Police"]],
        contacts=[police_contact],
        commitment=_commitment(code, Commitment.Party.ALL, 2),
        what_happened=(
            "The community safety partnership's new terms of reference make no mention of "
            "the Partnership Working Code."
        ),
        outcome_sought="The code referenced in the terms of reference.",
        raised_on=days_ago(200),
    )
    if dispute is not None:
        services.dispute_move(
            dispute=dispute,
            to_stage=Stage.MEDIATION,
            reason="Needs a facilitated conversation.",
            mediator_name="Iolo Davies",
            on=days_ago(170),
            actor=officer,
        )
        services.dispute_move(
            dispute=dispute,
            to_stage=Stage.CLOSED,
            reason="Agreement reached in mediation.",
            closure=Closure.RESOLVED,
            outcome="The terms of reference were revised to cite the code.",
            agreed_actions="Partnership secretaries to check terms of reference yearly.",
            lessons_learned="Send the code to every new partnership when it is set up.",
            on=days_ago(140),
            actor=officer,
        )
    context.write("Disputes: 4 demo disputes (informal, mediation, scrutiny panel, closed).")
