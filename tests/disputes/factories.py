"""Test data for disputes, on top of the root ``world`` fixture: ``DisputeFactory`` raises a
dispute through ``disputes.services.dispute_raise`` (parties, contacts, the first stage and
their history as in real use) and ``move`` takes it on through ``dispute_move``.

``dispute_world(world)`` adds (once per world) a code with commitments, a scrutiny body, and
the people with a part in disputes: a raiser, a named contact at the organisation concerned, a
scrutiny body member who sits on the panel, and an unrelated partner user. It then raises one
dispute at each stage through the services, so every rule is exercised the way users do.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from compact.models import Body, CodeOfPractice, Commitment, Organisation, Person
from disputes import services
from disputes.models import Dispute, SupportingDocument
from disputes.procedure import Closure, Stage
from tests.compact.factories import (
    BodyFactory,
    CodeOfPracticeFactory,
    CommitmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

# The extra people a dispute involves, beside the world's one-user-per-role.
DISPUTE_ROLES = ("raiser", "contact", "panel", "unrelated")


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Evidence") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type or "application/pdf")


@dataclass
class DisputeWorld:
    world: Any
    code: CodeOfPractice
    commitment: Commitment
    other_commitment: Commitment
    scrutiny: Body
    concerned_org: Organisation
    neutral_org: Organisation
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    disputes: dict[str, Dispute] = field(default_factory=dict)
    document: SupportingDocument | None = None

    def user(self, role: str) -> Any:
        return self.users.get(role) or self.world.users.get(role)


def _person_with_user(name: str, org: Organisation, username: str) -> tuple[Person, Any]:
    user = UserFactory(username=username)
    person = PersonFactory(
        full_name=name, organisation=org, email=f"{username}@example.org", user=user
    )
    return person, user


def base_world(world: Any) -> DisputeWorld:
    """The code, the scrutiny body and the people, without any dispute."""
    if "disputes_base" in world.extra:
        return world.extra["disputes_base"]
    code = CodeOfPracticeFactory(
        compact=world.compact,
        title="Partnership Working Code of Practice",
        slug="partnership-working-code",
        status=CodeOfPractice.Status.AGREED,
    )
    commitment = CommitmentFactory(
        code=code,
        party=Commitment.Party.PUBLIC,
        number=2,
        text="Ensure that third sector organisations are involved from the outset",
    )
    other = CommitmentFactory(
        code=code,
        party=Commitment.Party.ALL,
        number=7,
        text="Respond positively to any problems or issues arising from partnership working",
    )
    scrutiny = BodyFactory(
        compact=world.compact, name="Test Scrutiny Body", slug="test-scrutiny", kind="scrutiny"
    )
    neutral = OrganisationFactory(
        name="Testshire Carers", short_name="TCarers", sector=Organisation.Sector.THIRD
    )
    result = DisputeWorld(
        world=world,
        code=code,
        commitment=commitment,
        other_commitment=other,
        scrutiny=scrutiny,
        concerned_org=world.public_org,
        neutral_org=neutral,
    )
    for role, name, org in (
        ("raiser", "Rowena Raiser", world.third_org),
        ("contact", "Colin Contact", world.public_org),
        ("panel", "Penny Panel", neutral),
        ("unrelated", "Una Unrelated", neutral),
    ):
        result.people[role], result.users[role] = _person_with_user(name, org, f"{role}-user")
    MembershipFactory(
        body=scrutiny,
        person=result.people["panel"],
        organisation=neutral,
        start_date=datetime.date(2020, 1, 1),
    )
    world.extra["disputes_base"] = result
    return result


class DisputeFactory(DjangoModelFactory):
    """A dispute raised through ``dispute_raise``: give ``raised_by`` (a person with a user and
    an organisation), ``concerns``, ``contacts`` and ``commitment``; the actor is the raiser's
    user unless given."""

    class Meta:
        model = Dispute

    subject = "Left out of the steering group"
    what_happened = "The council set up a group without us."
    outcome_sought = "A seat on the group."
    raised_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    actor = factory.LazyAttribute(lambda dispute: dispute.raised_by.user)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Dispute:
        return services.dispute_raise(**kwargs)


def raise_dispute(dw: DisputeWorld, subject: str = "Left out of the steering group", **kw: Any):
    kw.setdefault("raised_by", dw.people["raiser"])
    kw.setdefault("concerns", [dw.concerned_org])
    kw.setdefault("contacts", [dw.people["contact"]])
    kw.setdefault("commitment", dw.commitment)
    return DisputeFactory(subject=subject, **kw)


def move(dw: DisputeWorld, dispute: Dispute, to_stage: str, **kw: Any) -> Any:
    kw.setdefault("reason", "Next step of the procedure.")
    kw.setdefault("actor", dw.world.users["officer"])
    if to_stage == Stage.MEDIATION:
        kw.setdefault("mediator_name", "Meg Mediator")
    if to_stage == Stage.SCRUTINY:
        kw.setdefault("panel", [dw.people["panel"]])
    if to_stage == Stage.CLOSED:
        kw.setdefault("closure", Closure.RESOLVED)
        kw.setdefault("outcome", "Agreed a seat.")
    return services.dispute_move(dispute=dispute, to_stage=to_stage, **kw)


WALKER_DOCUMENT = "disputes/access-walker-evidence.png"


def dispute_world(world: Any) -> DisputeWorld:
    """The base world plus one dispute at informal, mediation, scrutiny and closed."""
    dw = base_world(world)
    if dw.disputes:
        return dw
    informal = raise_dispute(dw, "Informal one")
    mediation = raise_dispute(dw, "Mediation one")
    move(dw, mediation, Stage.MEDIATION)
    scrutiny = raise_dispute(dw, "Scrutiny one")
    move(dw, scrutiny, Stage.MEDIATION)
    move(dw, scrutiny, Stage.SCRUTINY)
    closed = raise_dispute(dw, "Closed one")
    move(dw, closed, Stage.CLOSED)
    dw.disputes = {
        "informal": informal,
        "mediation": mediation,
        "scrutiny": scrutiny,
        "closed": closed,
    }
    # A document on the informal dispute; one small fixed file, so runs do not pile up files.
    if not default_storage.exists(WALKER_DOCUMENT):
        default_storage.save(WALKER_DOCUMENT, ContentFile(png_bytes()))
    document = SupportingDocument(
        dispute=informal,
        original_name="evidence.png",
        content_type="image/png",
        size=default_storage.size(WALKER_DOCUMENT),
        uploaded_by=dw.users["raiser"],
    )
    document.file.name = WALKER_DOCUMENT
    document.save()
    dw.document = document
    return dw
