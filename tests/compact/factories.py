"""Test data for the ground floor: factory_boy factories for users (with a role), the
directory (compacts, organisations, people, bodies, memberships), codes of practice and
meetings, plus small helpers for papers and providers used by the compact tests.

Meetings go through ``compact.services.meetings.meeting_create`` (its history record and
standing agenda items exist as in real use); the directory rows are plain creates. The
builder functions (``make_user``, ``make_meeting``) are thin calls to the factories.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from compact.models import (
    Body,
    CodeOfPractice,
    Commitment,
    Compact,
    Meeting,
    Membership,
    Organisation,
    Person,
)
from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform import registry
from compact.platform.access import Role
from compact.platform.pdf import html_to_pdf
from compact.services.meetings import meeting_create

TEST_PASSWORD = "not-the-demo-password"

# Roles as the access table names them (conftest.ROLE_NAMES), to the group each one is.
ROLE_GROUPS = {
    "representative": Role.REPRESENTATIVE,
    "board": Role.BOARD,
    "officer": Role.OFFICER,
    "administrator": Role.ADMINISTRATOR,
    "contributor": Role.CONTRIBUTOR,
}


def grant_role(user: Any, role: str | None) -> Any:
    """Give ``user`` one role of the access table: a group (administrators are staff too) or
    ``"superuser"``; ``None`` leaves a signed-in user with no role."""
    if role == "superuser":
        user.is_superuser = True
        user.is_staff = True
        user.save()
    elif role is not None:
        user.groups.add(Group.objects.get(name=str(ROLE_GROUPS.get(role, role))))
        if role in {"administrator", Role.ADMINISTRATOR}:
            user.is_staff = True
            user.save()
    return user


class UserFactory(DjangoModelFactory):
    """A user made with ``create_user`` (so the password is hashed as at sign-up);
    ``UserFactory(role="officer")`` grants a role."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    password = TEST_PASSWORD
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return model_class._default_manager.create_user(*args, **kwargs)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if create:
            grant_role(self, extracted)


def make_user(django_user_model: Any, username: str, role: str | None, **extra: Any) -> Any:
    """A user with one role of the access table (kept for the tests that call it)."""
    return UserFactory(username=username, role=role, **extra)


class CompactFactory(DjangoModelFactory):
    class Meta:
        model = Compact

    name = "Test Compact"
    slug = factory.Sequence(lambda n: f"compact-{n}")
    area = "Testshire"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = ""
    sector = Organisation.Sector.THIRD


class PersonFactory(DjangoModelFactory):
    """A person in the directory; no organisation and no user unless given
    (``PersonFactory(user=UserFactory(username="nia"))``)."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = None
    email = ""


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    compact = factory.SubFactory(CompactFactory)
    name = factory.Sequence(lambda n: f"Body {n}")
    slug = factory.LazyAttribute(lambda body: slugify(body.name))
    kind = Body.Kind.TASK_GROUP


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    start_date = datetime.date(2020, 1, 1)


class CodeOfPracticeFactory(DjangoModelFactory):
    class Meta:
        model = CodeOfPractice

    compact = factory.SubFactory(CompactFactory)
    title = factory.Sequence(lambda n: f"Code {n}")
    slug = factory.LazyAttribute(lambda code: slugify(code.title))


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    code = factory.SubFactory(CodeOfPracticeFactory)
    party = Commitment.Party.ALL
    number = factory.Sequence(lambda n: n + 1)
    text = "Consult"


class MeetingFactory(DjangoModelFactory):
    """A meeting programmed through ``meeting_create`` (history, standing agenda items)."""

    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = datetime.date(2009, 2, 10)
    start_time = datetime.time(10, 0)
    end_time = datetime.time(12, 0)
    venue = "Unit 4"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Meeting:
        return meeting_create(**kwargs)


def tiny_pdf(text: str = "Hello", pages: int = 1) -> bytes:
    """A real PDF made by our renderer, with ``pages`` pages."""
    body = "".join(
        f'<div style="break-after: page">{text} {number}</div>' for number in range(1, pages + 1)
    )
    return html_to_pdf(f"<html><body>{body}</body></html>")


def pdf_upload(name: str = "paper.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else tiny_pdf(), "application/pdf"
    )


def make_meeting(
    body: Body,
    date: datetime.date = datetime.date(2009, 2, 10),
    start: datetime.time = datetime.time(10, 0),
    end: datetime.time = datetime.time(12, 0),
    **extra: Any,
) -> Meeting:
    return MeetingFactory(body=body, date=date, start_time=start, end_time=end, **extra)


class ReportProvider:
    """Registers a generated-paper provider for one test and removes it afterwards."""

    def __init__(
        self,
        key: str = "tests.report",
        label: str = "Test report",
        *,
        standing: bool = False,
        pages: int = 1,
        options: list[PaperOption] | None = None,
    ) -> None:
        self.key = key
        self.version = "1"
        self.renders = 0
        self.pages = pages
        self.provider = PaperProvider(
            key=key,
            label=label,
            options=lambda: (
                options or [PaperOption("1", "Edition 1"), PaperOption("2", "Edition 2")]
            ),
            fingerprint=lambda value, as_of: hashlib.sha256(
                f"{value}-{self.version}".encode()
            ).hexdigest(),
            render=self._render,
            standing=standing,
        )

    def _render(self, value: str, as_of: Any = None) -> RenderedPaper:
        self.renders += 1
        return RenderedPaper(
            title=f"Test report {value}",
            pdf=tiny_pdf(f"Generated report {value} v{self.version}", self.pages),
        )

    def __enter__(self) -> ReportProvider:
        self._override = registry.overridden(self.provider)
        self._override.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._override.__exit__(*exc)
