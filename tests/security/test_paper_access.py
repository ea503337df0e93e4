"""A generated paper carries its provider's own rule: a report refused on its own page is not
readable as a meeting paper, even by a member of the meeting's body."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from compact.models import Membership
from compact.papers import PaperProvider
from compact.platform import registry
from compact.services.meetings import agenda_item_add, paper_generate, paper_write
from tests.compact.factories import MembershipFactory, make_meeting

pytestmark = pytest.mark.security

# The meeting is the board's; the representative sits on the board as a member of the body
# (a third-sector representative) but does not hold the Board members role.
MEETING_ROLES = ("representative", "board", "officer", "superuser")


@pytest.fixture
def papers(world: Any) -> dict[str, Any]:
    MembershipFactory(
        body=world.board,
        person=world.people["representative"],
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2000, 1, 1),
    )
    item = agenda_item_add(meeting=make_meeting(world.board), title="Reports")
    return {
        "representatives": paper_generate(
            item=item, provider_key="representatives.report", value="latest"
        ),
        "matrix": paper_generate(
            item=item, provider_key="partnerships.compliance_matrix", value="latest"
        ),
        "written": paper_write(item=item, title="Chair's note", text="Welcome."),
    }


# Who reads each paper, role by role (the report pages: officers and board members).
EXPECTED = {
    "representatives": {"representative": 403, "board": 200, "officer": 200, "superuser": 200},
    "matrix": {"representative": 403, "board": 200, "officer": 200, "superuser": 200},
    "written": {"representative": 200, "board": 200, "officer": 200, "superuser": 200},
}


@pytest.mark.parametrize("role", MEETING_ROLES)
@pytest.mark.parametrize("paper", sorted(EXPECTED))
def test_paper_follows_its_providers_rule(
    papers: dict[str, Any], client_for: Any, role: str, paper: str
) -> None:
    response = client_for(role).get(reverse("compact:paper_view", args=[papers[paper].pk]))
    assert response.status_code == EXPECTED[paper][role]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ["administrator", "anonymous"])
def test_no_meeting_access_no_paper(papers: dict[str, Any], client_for: Any, role: str) -> None:
    for paper in papers.values():
        response = client_for(role).get(reverse("compact:paper_view", args=[paper.pk]))
        assert response.status_code in (302, 404)
        assert response.get("Content-Type") != "application/pdf"


def test_meeting_page_does_not_link_a_paper_the_member_may_not_read(
    papers: dict[str, Any], client_for: Any
) -> None:
    meeting = papers["written"].item.meeting
    page = client_for("representative").get(meeting.get_absolute_url()).content.decode()
    assert reverse("compact:paper_view", args=[papers["representatives"].pk]) not in page
    assert reverse("compact:paper_view", args=[papers["written"].pk]) in page
    assert "not open to your role" in page


def test_restricted_providers_declare_their_roles() -> None:
    """Each provider states its rule; only the plan's public update report is open to all."""
    declared = {provider.key: provider.roles for provider in registry.items(PaperProvider)}
    assert declared["plans.update_report"] is None
    restricted = (
        "representatives.report",
        "partnerships.compliance_matrix",
        "disputes.monitoring_report",
    )
    for key in restricted:
        assert declared[key], key
