"""The Board's monitoring report: the right counts, and no name, person or free text in the
HTML page, the CSV or the PDF paper."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from compact.models import Organisation, Person
from compact.papers import PaperProvider
from compact.platform import registry
from disputes.procedure import Closure, Stage
from disputes.selectors import monitoring_report
from tests.background_files import fetch_generated
from tests.compact.factories import OrganisationFactory, PersonFactory
from tests.disputes.factories import base_world, move, raise_dispute

# Distinctive names and words that must never reach the Board.
SECRETS = [
    "Zebedee Quillfeather",  # raiser
    "Ottoline Brackenbury",  # contact
    "Quokka Riverside Trust",  # raising organisation
    "QRT",
    "Vexhallow Borough Council",  # organisation concerned
    "VBC",
    "Grimsditch Steering Group",  # in what happened
    "Fenwick promised",  # outcome sought
    "Thistlewood mediator",
    "Marmaduke outcome",
    "Peregrine lessons",
]


@pytest.fixture
def secret_world(world: Any) -> Any:
    dw = base_world(world)
    raising = OrganisationFactory(
        name="Quokka Riverside Trust", short_name="QRT", sector=Organisation.Sector.THIRD
    )
    concerned = OrganisationFactory(
        name="Vexhallow Borough Council", short_name="VBC", sector=Organisation.Sector.PUBLIC
    )
    dw.people["unrelated"].user = None
    dw.people["unrelated"].save()
    raiser = PersonFactory(
        full_name="Zebedee Quillfeather", organisation=raising, user=dw.users["unrelated"]
    )
    contact = PersonFactory(full_name="Ottoline Brackenbury", organisation=concerned)
    today = timezone.localdate()
    for index in range(4):
        dispute = raise_dispute(
            dw,
            f"Grimsditch Steering Group {index}",
            raised_by=raiser,
            concerns=[concerned],
            contacts=[contact],
            what_happened="Grimsditch Steering Group met without us.",
            outcome_sought="Fenwick promised a seat.",
            raised_on=today - datetime.timedelta(days=100),
            actor=raiser.user,
        )
        move(
            dw,
            dispute,
            Stage.MEDIATION,
            mediator_name="Thistlewood mediator",
            on=today - datetime.timedelta(days=90),
        )
        if index < 2:
            move(
                dw,
                dispute,
                Stage.CLOSED,
                outcome="Marmaduke outcome",
                lessons_learned="Peregrine lessons",
                on=today - datetime.timedelta(days=100 - 30 * (index + 1)),
            )
    # One more, just raised.
    raise_dispute(dw, "Grimsditch Steering Group 9", raised_on=today)
    return dw


def test_report_counts_by_stage_commitment_sector_and_time(secret_world) -> None:
    report = monitoring_report()

    assert (report.total, report.open, report.closed) == (5, 3, 2)
    stages = {row.category: row.count for row in report.by_stage}
    assert stages == {
        str(Stage.INFORMAL.label): 1,
        str(Stage.MEDIATION.label): 2,
        str(Stage.SCRUTINY.label): 0,
        str(Stage.ESCALATION.label): 0,
        str(Stage.CLOSED.label): 2,
    }
    assert {row.category: row.count for row in report.by_closure}[str(Closure.RESOLVED.label)] == 2
    # Mediation is due after 42 days and began 90 days ago: both open ones are overdue.
    assert report.overdue == 2
    assert [(r.detail, r.count) for r in report.by_commitment] == [
        ("Public sector organisations 2", 5)
    ]
    # Closed after 30 and 60 days.
    assert report.median_days_to_resolution == 45
    assert report.mean_days_to_resolution == 45
    sectors = {row.category: row.shown for row in report.by_sector}
    assert sectors == {"Raised by third sector about public sector": "5"}


def test_small_sector_counts_are_shown_as_fewer_than_three(secret_world) -> None:
    dw = secret_world
    public_raiser = Person.objects.get(full_name="Board Person")
    raise_dispute(
        dw,
        "From the council",
        raised_by=public_raiser,
        concerns=[dw.world.third_org],
        contacts=[dw.world.people["representative"]],
        actor=dw.world.users["officer"],
    )
    sectors = {row.category: row.shown for row in monitoring_report().by_sector}
    assert sectors["Raised by public sector about third sector"] == "fewer than 3"
    assert sectors["Raised by third sector about public sector"] == "5"


def _pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_report_html_csv_and_pdf_name_no_party_person_or_free_text(secret_world, client) -> None:
    client.force_login(secret_world.world.users["board"])

    html = client.get(reverse("disputes:report")).content.decode()
    csv_text = client.get(reverse("disputes:report_csv")).content.decode()
    pdf_text = _pdf_text(fetch_generated(client, reverse("disputes:report_pdf")))
    paper = registry.get(PaperProvider, "disputes.monitoring_report").render("latest", localdate())
    paper_text = _pdf_text(paper.pdf)

    for rendering in (html, csv_text, pdf_text, paper_text):
        assert "Partnership Working Code of Practice" in rendering.replace("\n", " ")
        for secret in SECRETS:
            assert secret not in rendering, secret
        for subject_word in ("Grimsditch", "Quillfeather", "Brackenbury", "Vexhallow"):
            assert subject_word not in rendering


def test_csv_lists_every_section(secret_world, client) -> None:
    client.force_login(secret_world.world.users["officer"])
    response = client.get(reverse("disputes:report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Category", "Detail", "Count"]
    sections = {row[0] for row in rows[1:]}
    assert sections >= {
        "Summary",
        "By stage",
        "Closed as",
        "By code and commitment",
        "By sector",
        "Time to resolution",
    }
    assert ["Summary", "Open and overdue", "", "2"] in rows


def test_report_is_a_board_pack_paper_with_a_latest_option(secret_world) -> None:
    provider = registry.get(PaperProvider, "disputes.monitoring_report")
    assert provider is not None
    assert [option.value for option in provider.options()] == ["latest"]
    before = provider.fingerprint("latest", localdate())
    raise_dispute(secret_world, "Another")
    assert provider.fingerprint("latest", localdate()) != before
    paper = provider.render("latest", localdate())
    assert paper.pdf.startswith(b"%PDF")
    assert "Disputes monitoring report" in paper.title


def test_report_page_costs_a_fixed_number_of_queries(
    secret_world, client, django_assert_max_num_queries
) -> None:
    client.force_login(secret_world.world.users["board"])
    client.get(reverse("disputes:report"))
    for index in range(5):
        raise_dispute(secret_world, f"More {index}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("disputes:report"))
    assert response.status_code == 200


def test_dispute_list_costs_a_fixed_number_of_queries(
    secret_world, client, django_assert_max_num_queries
) -> None:
    client.force_login(secret_world.world.users["officer"])
    for index in range(10):
        raise_dispute(secret_world, f"More {index}")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("disputes:list"))
    assert response.content.decode().count("DR-") >= 15
