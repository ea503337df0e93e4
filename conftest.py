"""Fixtures shared by the whole suite: a small Compact and one signed-in user per role, built
with the factories of ``tests/compact/factories.py``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

from compact.models import Body, Compact, Membership, Organisation, Person
from tests.compact.factories import (
    ROLE_GROUPS,
    BodyFactory,
    CompactFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_user,
)

# Roles as the access table names them; "anonymous" is not signed in.
ROLE_NAMES = (
    "anonymous",
    "representative",
    "board",
    "officer",
    "administrator",
    "superuser",
    "contributor",
)

# make_user and ROLE_GROUPS live with the factories; imported from here by older tests.
__all__ = ["ROLE_GROUPS", "ROLE_NAMES", "make_user"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: rate-limit counts and cached renderings of one
    test must not reach the next (the local-memory cache lives as long as the process)."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a sign-in in an earlier test (the client's
    force_login runs the user_logged_in signal, which switches to the person's stored language)
    must not leave this thread speaking Welsh."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    """A small Compact with one user (and Person) per role."""

    compact: Compact
    public_org: Organisation
    third_org: Organisation
    board: Body
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return self.users.get(role)


@pytest.fixture
def world(db: Any, django_user_model: Any) -> World:
    compact = CompactFactory(name="Test Compact", slug="test", area="Testshire")
    public_org = OrganisationFactory(
        name="Testshire Council", short_name="TC", sector=Organisation.Sector.PUBLIC
    )
    third_org = OrganisationFactory(
        name="Testshire Voluntary Action", short_name="TVA", sector=Organisation.Sector.THIRD
    )
    board = BodyFactory(
        compact=compact,
        name="Test Compact Board",
        slug="test-board",
        kind=Body.Kind.BOARD,
        expected_meetings_per_year=4,
    )
    result = World(compact=compact, public_org=public_org, third_org=third_org, board=board)
    for index, role in enumerate(ROLE_NAMES[1:], start=1):
        user = UserFactory(username=f"{role}-user", role=role)
        org = third_org if role in {"representative", "officer"} else public_org
        person = PersonFactory(
            full_name=f"{role.title()} Person",
            initials=f"X{index}",
            organisation=org,
            email=f"{role}@example.org",
            user=user,
        )
        result.users[role] = user
        result.people[role] = person
    MembershipFactory(
        body=board,
        person=result.people["board"],
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2020, 1, 1),
    )
    return result


@pytest.fixture
def client_for(client: Any, world: World) -> Any:
    """client_for("officer") -> a test client signed in as that role."""

    def sign_in(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return sign_in


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--bench", action="store_true", help="Run the benchmarks in tests/bench (make bench)."
    )


def pytest_ignore_collect(collection_path: Any, config: Any) -> bool | None:
    # Benchmarks measure; they are not tests and stay out of `make test`.
    if "bench" in collection_path.parts and not config.getoption("--bench"):
        return True
    return None
