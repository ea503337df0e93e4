"""Partnerships in two languages (issue 14), beyond the name and purpose: a place's title and
role description, a review's findings and follow-up actions; the register's CSV with Welsh
columns (and Welsh headers for a Welsh reader) that the import reads back; the compliance
matrix PDF in Welsh, English or both."""

from __future__ import annotations

import csv
import io
from typing import Any

import pdfplumber
import pytest
from django.conf import settings
from django.urls import reverse

from compact.platform.language import FALLBACK_MARKERS
from partnerships.models import Partnership, Review, ThirdSectorPlace
from partnerships.spreadsheets import ImportFailed, partnerships_import
from tests.background_files import fetch_generated
from tests.partnerships.factories import ReviewFactory, make_partnership, make_place, publish

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = FALLBACK_MARKERS["en"]
WELSH_ONLY = FALLBACK_MARKERS["cy"]
ONE_LANGUAGE = "Write this in English or in Welsh (or both)."


def in_language(client: Any, code: str) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


@pytest.fixture
def board(world: Any) -> Partnership:
    return make_partnership(
        world.compact, "Local Service Board", name_cy="Bwrdd Gwasanaethau Lleol", slug="lsb"
    )


def _review_post(**fields: Any) -> dict[str, Any]:
    return {
        "review_date": "2009-03-01",
        "reviewer": "Compact Officers Group",
        "rating": "effective",
        "findings": "",
        "findings_cy": "",
        "follow_up_actions": "",
        "follow_up_actions_cy": "",
        **fields,
    }


# --- places ---------------------------------------------------------------------------------


def test_place_editor_shows_both_languages_side_by_side(board: Any, client_for: Any) -> None:
    page = (
        client_for("officer")
        .get(reverse("partnerships:place_add", args=[board.slug]))
        .content.decode()
    )
    assert 'name="title_cy"' in page and 'name="role_description_cy"' in page
    assert "bilingual-pair" in page and 'lang="cy"' in page
    assert page.index('name="title"') < page.index('name="title_cy"') < page.index('name="kind"')


def test_place_in_welsh_only_is_saved_with_history_and_read_with_its_lang(
    board: Any, client_for: Any
) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("partnerships:place_add", args=[board.slug]),
        {
            "title": "",
            "title_cy": "Cynrychiolydd iechyd a gofal cymdeithasol",
            "kind": "elected",
            "number_of_places": 1,
            "role_description": "Speaks for health and care groups.",
            "role_description_cy": "",
        },
    )
    assert response.status_code == 302
    place = ThirdSectorPlace.objects.get(partnership=board)
    assert (place.title, place.title_cy) == ("", "Cynrychiolydd iechyd a gofal cymdeithasol")
    latest = place.history.latest()
    assert (latest.title_cy, latest.role_description) == (
        place.title_cy,
        "Speaks for health and care groups.",
    )
    english = in_language(client, "en").get(board.get_absolute_url()).content.decode()
    assert '<span lang="cy" class="lang-fallback">Cynrychiolydd iechyd' in english
    assert WELSH_ONLY in english
    welsh = in_language(client, "cy").get(board.get_absolute_url()).content.decode()
    assert "Cynrychiolydd iechyd a gofal cymdeithasol" in welsh
    assert '<span lang="en" class="lang-fallback">Speaks for health and care groups.' in welsh
    assert ENGLISH_ONLY in welsh


def test_too_long_welsh_title_gets_the_english_message_and_changes_nothing(
    board: Any, client_for: Any
) -> None:
    place = make_place(board, title="Deputy", title_cy="Dirprwy")
    response = client_for("officer").post(
        reverse("partnerships:place_edit", args=[place.pk]),
        {
            "title": "Deputy",
            "title_cy": "C" * 201,
            "kind": "elected",
            "number_of_places": 1,
            "version": place.version,
        },
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    place.refresh_from_db()
    assert (place.title_cy, place.version) == ("Dirprwy", 1)


def test_public_register_names_the_place_in_the_readers_language(
    world: Any, board: Any, client_for: Any
) -> None:
    make_place(board, title="Health representative", title_cy="Cynrychiolydd iechyd")
    make_place(board, title="", kind=ThirdSectorPlace.Kind.VAMT_STAFF)
    publish(world.compact)
    client = in_language(client_for("anonymous"), "cy")
    page = client.get(reverse("partnerships:public")).content.decode()
    assert "Cynrychiolydd iechyd" in page and "Health representative" not in page
    english = in_language(client, "en").get(reverse("partnerships:public")).content.decode()
    assert "Health representative" in english and "Cynrychiolydd iechyd" not in english
    assert "VAMT staff in a supporting or specialist role" in english  # no title: the kind


# --- reviews --------------------------------------------------------------------------------


def test_review_needs_findings_in_one_language(board: Any, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("partnerships:review_add", args=[board.slug])
    empty = client.post(url, _review_post())
    assert empty.status_code == 200 and ONE_LANGUAGE in empty.content.decode()
    assert not Review.objects.exists()
    page = client.get(url).content.decode()
    assert 'name="findings_cy"' in page and 'name="follow_up_actions_cy"' in page
    welsh_only = client.post(
        url,
        _review_post(
            findings_cy="Mae’r cynrychiolwyr wedi’u briffio’n dda.",
            follow_up_actions="Agree a papers deadline.",
        ),
    )
    assert welsh_only.status_code == 302
    review = Review.objects.get()
    assert review.findings == "" and review.findings_cy.startswith("Mae’r")
    assert review.history.latest().findings_cy == review.findings_cy


def test_review_reads_in_the_readers_language_with_the_fallback_marked(
    board: Any, client_for: Any
) -> None:
    ReviewFactory(
        partnership=board,
        findings="Representatives are well briefed.",
        findings_cy="Mae’r cynrychiolwyr wedi’u briffio’n dda.",
        follow_up_actions="Agree a papers deadline.",
    )
    client = client_for("board")
    welsh = in_language(client, "cy").get(board.get_absolute_url()).content.decode()
    assert "Mae’r cynrychiolwyr wedi’u briffio’n dda." in welsh
    assert "Representatives are well briefed." not in welsh
    assert '<span lang="en" class="lang-fallback">Agree a papers deadline.' in welsh
    english = in_language(client, "en").get(board.get_absolute_url()).content.decode()
    assert "Representatives are well briefed." in english and "Mae’r" not in english


def test_review_history_and_edit_keep_both_languages(board: Any, client_for: Any) -> None:
    review = ReviewFactory(partnership=board, findings="Fine", findings_cy="Iawn")
    response = client_for("officer").post(
        reverse("partnerships:review_edit", args=[review.pk]),
        _review_post(findings="Fine", findings_cy="Iawn iawn", version=review.version),
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.findings, review.findings_cy, review.version) == ("Fine", "Iawn iawn", 2)
    assert [h.findings_cy for h in review.history.order_by("history_id")][-1] == "Iawn iawn"


# --- the register's CSV ---------------------------------------------------------------------


def test_register_csv_has_welsh_columns_and_welsh_headers_for_a_welsh_reader(
    board: Any, client_for: Any
) -> None:
    board.purpose, board.purpose_cy = "Plans services.", "=Cynllunio gwasanaethau."
    board.save()
    client = client_for("board")
    english = in_language(client, "en").get(reverse("partnerships:export_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(english)))
    assert rows[0]["name"] == "Local Service Board"
    assert rows[0]["name_cy"] == "Bwrdd Gwasanaethau Lleol"
    assert rows[0]["purpose_cy"] == "'=Cynllunio gwasanaethau."  # a formula stays text
    header = english.splitlines()[0].split(",")
    assert header.index("name_cy") == header.index("name") + 1
    assert header.index("purpose_cy") == header.index("purpose") + 1

    welsh = in_language(client, "cy").get(reverse("partnerships:export_csv")).content
    welsh_header = welsh.decode().splitlines()[0].split(",")
    assert welsh_header[:3] == ["enw (Saesneg)", "enw (Cymraeg)", "math"]
    assert "diben (Cymraeg)" in welsh_header


def test_welsh_export_imports_back_with_both_languages(
    world: Any, board: Any, client_for: Any
) -> None:
    board.purpose_cy = "Cynllunio gwasanaethau."
    board.save()
    make_place(board, number_of_places=2)
    client = in_language(client_for("board"), "cy")
    content = client.get(reverse("partnerships:export_csv")).content
    ThirdSectorPlace.objects.all().delete()
    Partnership.objects.all().delete()
    partnerships_import(compact=world.compact, content=content, actor=world.users["officer"])
    imported = Partnership.objects.get()
    assert (imported.name, imported.name_cy) == ("Local Service Board", "Bwrdd Gwasanaethau Lleol")
    assert imported.purpose_cy == "Cynllunio gwasanaethau."
    assert imported.history.latest().name_cy == "Bwrdd Gwasanaethau Lleol"


def test_import_of_a_too_long_welsh_name_names_the_row_and_saves_nothing(world: Any) -> None:
    content = (
        "name,name_cy,type,purpose_cy\n"
        "Good Group,Grŵp Da,forum,Diben\n"
        f"Long Group,{'C' * 201},forum,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        partnerships_import(compact=world.compact, content=content, actor=world.users["officer"])
    assert any(
        error.startswith("Row 3:") and "at most 200 characters" in error
        for error in failed.value.errors
    ), failed.value.errors
    assert not Partnership.objects.exists()


def test_import_refuses_a_control_character_in_a_welsh_column(world: Any) -> None:
    content = "name,name_cy,type\nGroup,Grŵp\x07,forum\n"
    with pytest.raises(ImportFailed) as failed:
        partnerships_import(compact=world.compact, content=content, actor=world.users["officer"])
    assert failed.value.errors[0].startswith("Row 2, column name_cy:")
    assert not Partnership.objects.exists()


# --- the compliance matrix PDF --------------------------------------------------------------


def test_matrix_pdf_in_welsh_english_or_both(
    board: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    page = client.get(reverse("partnerships:matrix")).content.decode()
    assert f"{reverse('partnerships:matrix_pdf')}?language=" in page

    def text_of(language: str) -> str:
        url = f"{reverse('partnerships:matrix_pdf')}?language={language}"
        with pdfplumber.open(io.BytesIO(fetch_generated(client, url))) as document:
            return "\n".join(page.extract_text() or "" for page in document.pages)

    welsh = text_of("cy")
    assert "Bwrdd Gwasanaethau Lleol" in welsh and "Local Service Board" not in welsh
    english = text_of("en")
    assert "Local Service Board" in english and "Bwrdd Gwasanaethau Lleol" not in english
    both = text_of("bilingual")
    assert both.index("Bwrdd Gwasanaethau Lleol") < both.index("Local Service Board")
    assert client.get(f"{reverse('partnerships:matrix_pdf')}?language=fr").status_code == 404


def test_representatives_report_names_the_place_in_the_papers_language(
    board: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_place(board, title="Health representative", title_cy="Cynrychiolydd iechyd")
    client = client_for("board")
    page = in_language(client, "cy").get(reverse("representatives:report")).content.decode()
    assert "Cynrychiolydd iechyd" in page and "Health representative" not in page
    url = f"{reverse('representatives:report_pdf')}?language=bilingual"
    in_language(client, "en")  # fetch_generated reads the English status page
    with pdfplumber.open(io.BytesIO(fetch_generated(client, url))) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert text.index("Cynrychiolydd iechyd") < text.index("Health representative")
