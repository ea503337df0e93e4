"""Addresses that make a file in the background queue it only on POST: a GET (a link, a
bookmark, a cross-site ``<img src=...>``) shows a page whose button POSTs back, and queues
nothing. The pages that offer these files ask for them with a POST form."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html import escape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.plans.factories import edit_progress, first_row, issue, make_plan

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SLUG = "offer-plan"


@dataclass(frozen=True)
class Offer:
    url_name: str
    kind: str
    role: str
    label: str
    back: str  # the words of the link back to the page the file belongs to
    slug: bool = False  # the URL takes the plan's slug
    query: str = ""

    def url(self) -> str:
        return reverse(self.url_name, args=[SLUG] if self.slug else []) + self.query

    def key(self) -> str:
        return f"{SLUG}{self.query}" if self.slug else ""


OFFERS = [
    Offer("plans:draft_pdf", "plans.draft_pdf", "officer",
          "Implementation plan: working draft with its changes (PDF)",
          "Back to the working draft&#x27;s changes", slug=True),
    Offer("plans:update_compare_pdf", "plans.compare_pdf", "board",
          "Implementation plan: two updates compared (PDF)", "Back to the comparison",
          slug=True, query="?since=1&until=2"),
    Offer("plans:progress_pdf", "plans.progress_pdf", "representative",
          "Implementation plan: progress report (PDF)", "Back to the progress report",
          slug=True, query="?since=1&until=2"),
    Offer("disputes:report_pdf", "disputes.monitoring_pdf", "board",
          "Disputes monitoring report (PDF)", "Back to the monitoring report"),
    Offer("representatives:report_pdf", "representatives.report_pdf", "officer",
          "Representatives&#x27; report (PDF)", "Back to the representatives&#x27; report"),
    Offer("partnerships:matrix_pdf", "partnerships.matrix_pdf", "board",
          "Compliance matrix (PDF)", "Back to the compliance matrix"),
]  # fmt: skip


@pytest.fixture
def plan(world: Any) -> Any:
    plan = make_plan(world, slug=SLUG, is_public=True, objectives=1, tasks=1)
    issue(plan, day=datetime.date(2008, 11, 20))
    edit_progress(first_row(plan), "Meetings held and reviewed")
    issue(plan, day=datetime.date(2009, 1, 26))
    return plan


@pytest.fixture
def database_queue(settings: Any, tmp_path: Any) -> None:
    """Queued tasks wait in the database (nothing is made), so a test sees what was queued."""
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path


def _csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the form carries a CSRF token"
    return found.group(1)


@pytest.mark.parametrize("offer", OFFERS, ids=lambda offer: offer.url_name)
def test_get_offers_the_file_and_queues_nothing(
    offer: Offer, plan: Any, client_for: Any, database_queue: None, tmp_path: Any
) -> None:
    response = client_for(offer.role).get(offer.url())
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{offer.label}</h1>" in page
    assert f'<form method="post" action="{escape(offer.url())}">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<button type="submit" class="btn btn-primary">Make the PDF</button>' in page
    assert f">{offer.back}</a>" in page
    assert not DBTaskResult.objects.exists()
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize("offer", OFFERS, ids=lambda offer: offer.url_name)
def test_the_offer_pages_button_queues_the_file_and_shows_its_status(
    offer: Offer, plan: Any, world: Any, database_queue: None
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[offer.role])
    token = _csrf_token(client.get(offer.url()).content.decode())

    response = client.post(offer.url(), {"csrfmiddlewaretoken": token})

    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {
        "kind": offer.kind,
        "key": offer.key(),
        "owner_id": world.users[offer.role].pk,
        "language": "en",  # the file is made in the language of who asked
    }
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("files:file_status", args=[str(queued.id)]))
    assert "being prepared" in client.get(response["Location"]).content.decode()


# A representative may read the plan's reports, but not its draft nor the Board's reports.
NOT_FOR_REPRESENTATIVES = [
    offer for offer in OFFERS if offer.kind not in {"plans.compare_pdf", "plans.progress_pdf"}
]


@pytest.mark.parametrize("offer", NOT_FOR_REPRESENTATIVES, ids=lambda offer: offer.url_name)
def test_a_role_that_may_not_have_the_file_cannot_queue_it(
    offer: Offer, plan: Any, client_for: Any, database_queue: None
) -> None:
    response = client_for("representative").post(offer.url())
    assert response.status_code in {403, 404}
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("url_name", ["plans:update_compare_pdf", "plans:progress_pdf"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_visitor_to_a_public_plan_gets_the_pdf_at_once_and_nothing_is_queued(
    url_name: str, method: str, plan: Any, client: Any, database_queue: None
) -> None:
    url = reverse(url_name, args=[plan.slug]) + "?since=1&until=2"
    response = getattr(client, method)(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not DBTaskResult.objects.exists()


def _post_form(url: str) -> str:
    return f'<form method="post" action="{escape(url)}"'


def _link(url: str) -> str:
    return f'<a href="{escape(url)}">'


QUERY = "?since=1&until=2"
# (who, the page, the background PDF it offers, whether both take the plan's slug, query)
PAGES = [
    ("officer", "plans:draft_changes", "plans:draft_pdf", True, ""),
    ("board", "plans:update_compare", "plans:update_compare_pdf", True, QUERY),
    ("board", "plans:progress_report", "plans:progress_pdf", True, QUERY),
    ("board", "disputes:report", "disputes:report_pdf", False, ""),
    ("officer", "representatives:report", "representatives:report_pdf", False, ""),
    ("board", "partnerships:matrix", "partnerships:matrix_pdf", False, ""),
]


def _url(name: str, slug: bool, query: str) -> str:
    return reverse(name, args=[SLUG] if slug else []) + query


@pytest.mark.parametrize(("role", "page", "pdf", "slug", "query"), PAGES, ids=[p[1] for p in PAGES])
def test_pages_ask_for_their_background_pdf_with_a_post_form(
    role: str, page: str, pdf: str, slug: bool, query: str, plan: Any, client_for: Any
) -> None:
    html = client_for(role).get(_url(page, slug, query)).content.decode()
    assert _post_form(_url(pdf, slug, query)) in html
    assert _link(_url(pdf, slug, query)) not in html


@pytest.mark.parametrize(("page", "pdf"), [PAGES[1][1:3], PAGES[2][1:3]])
def test_visitor_to_a_public_plan_gets_a_plain_pdf_link(
    page: str, pdf: str, plan: Any, client: Any
) -> None:
    html = client.get(_url(page, True, QUERY)).content.decode()
    assert _link(_url(pdf, True, QUERY)) in html
    assert _post_form(_url(pdf, True, QUERY)) not in html


def test_issued_update_pdf_stays_a_plain_link(plan: Any, client_for: Any) -> None:
    html = client_for("board").get(reverse("plans:update_report", args=[plan.slug, 2]))
    assert _link(reverse("plans:update_report_pdf", args=[plan.slug, 2])) in html.content.decode()
