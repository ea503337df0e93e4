"""Meeting papers and amendments to approved minutes in English and Welsh (issue 14): officers
write both side by side, either may be empty (one is needed); readers get their language or
the other one marked with its ``lang``; the paper's PDF and the board pack in Welsh use the
Welsh; history keeps both; bad Welsh gets the English message and changes nothing."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from compact.minutes_procedure import MinutesStatus
from compact.models import AgendaItem, Meeting, Minutes, MinutesAmendment, Paper
from compact.platform.language import FALLBACK_MARKERS
from compact.platform.search import Query
from compact.selectors.search import search_papers
from compact.services.meetings import (
    WAG_DIGEST_TITLE,
    WAG_DIGEST_TITLE_CY,
    agenda_item_add,
    meeting_create,
    paper_generate,
    paper_write,
)
from compact.services.minutes import item_minutes_save, minutes_amend, minutes_move
from compact.services.packs import board_pack_build
from tests.compact.factories import ReportProvider, make_meeting

pytestmark = pytest.mark.django_db

ONE_LANGUAGE = "Write this in English or in Welsh (or both)."
NOV = datetime.date(2008, 11, 19)
FEB = datetime.date(2009, 2, 11)


def in_welsh(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def in_english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _pdf_text(content: bytes) -> str:
    """The PDF's words without white space (extraction splits and joins words at random)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _bookmarks(outline: list[Any]) -> list[str]:
    """Every bookmark's title, nested ones too."""
    titles: list[str] = []
    for entry in outline:
        titles += _bookmarks(entry) if isinstance(entry, list) else [entry.title]
    return titles


@pytest.fixture
def item(world: Any) -> AgendaItem:
    return agenda_item_add(meeting=make_meeting(world.board), title="Funding code")


def _write_url(item: AgendaItem) -> str:
    return reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "write"})


# --- papers ---------------------------------------------------------------------------------


def test_paper_form_shows_both_languages_and_saves_both_with_history(
    item: AgendaItem, client_for: Any
) -> None:
    client = client_for("officer")
    page = client.get(_write_url(item)).content.decode()
    assert "bilingual-pair" in page and 'name="title_cy"' in page and 'name="text_cy"' in page
    response = client.post(
        _write_url(item),
        {
            "title": "Funding note",
            "title_cy": "Nodyn cyllid",
            "text": "The fund opens in April.",
            "text_cy": "Mae'r gronfa'n agor ym mis Ebrill.",
        },
    )
    assert response.status_code == 302
    paper = item.papers.get()
    assert (paper.title, paper.title_cy) == ("Funding note", "Nodyn cyllid")
    assert paper.text_cy == "Mae'r gronfa'n agor ym mis Ebrill."
    latest = paper.history.latest()
    assert (latest.title_cy, latest.text_cy) == ("Nodyn cyllid", paper.text_cy)

    edit = reverse("compact:paper_edit", kwargs={"pk": paper.pk})
    form = client.get(edit).content.decode()
    assert 'value="Nodyn cyllid"' in form
    client.post(
        edit,
        {
            "title": "Funding note",
            "title_cy": "Nodyn ar gyllid",
            "text": "The fund opens in April.",
            "text_cy": "Mae'r gronfa'n agor ym mis Mai.",
        },
    )
    paper.refresh_from_db()
    assert paper.title_cy == "Nodyn ar gyllid"
    assert paper.history.latest().text_cy == "Mae'r gronfa'n agor ym mis Mai."
    assert paper.history.count() == 2


def test_paper_in_welsh_only_is_saved_and_read_with_its_lang(
    item: AgendaItem, client_for: Any
) -> None:
    client = client_for("officer")
    response = client.post(
        _write_url(item),
        {"title": "", "title_cy": "Nodyn cyllid", "text": "", "text_cy": "Mae'r gronfa'n agor."},
    )
    assert response.status_code == 302
    paper = item.papers.get()
    assert str(paper) == "Nodyn cyllid" and paper.title == ""
    url = item.meeting.get_absolute_url()
    english = in_english(client).get(url).content.decode()
    assert (
        f'<span lang="cy" class="lang-fallback">Nodyn cyllid '
        f'<span class="lang-fallback-marker">{FALLBACK_MARKERS["cy"]}</span></span>' in english
    )
    welsh = in_welsh(client).get(url).content.decode()
    assert (
        ">Nodyn cyllid</a>" in welsh and "lang-fallback" not in welsh.split("Nodyn cyllid")[0][-80:]
    )


def test_reader_gets_their_language_on_the_meeting_page(item: AgendaItem, client_for: Any) -> None:
    paper_write(item=item, title="Funding note", title_cy="Nodyn cyllid", text="T", text_cy="C")
    client = client_for("board")
    welsh = in_welsh(client).get(item.meeting.get_absolute_url()).content.decode()
    assert ">Nodyn cyllid</a>" in welsh and "Funding note" not in welsh
    english = in_english(client).get(item.meeting.get_absolute_url()).content.decode()
    assert ">Funding note</a>" in english and "Nodyn cyllid" not in english


def test_paper_needs_one_language_and_too_long_welsh_changes_nothing(
    item: AgendaItem, client_for: Any
) -> None:
    client = in_english(client_for("officer"))
    refused = client.post(
        _write_url(item), {"title": "", "title_cy": "", "text": "", "text_cy": ""}
    )
    assert refused.status_code == 200
    assert refused.content.decode().count(ONE_LANGUAGE) == 2  # the title and the text
    assert not item.papers.exists()

    english_too_long = client.post(
        _write_url(item), {"title": "E" * 201, "text": "Text"}
    ).content.decode()
    welsh_too_long = client.post(
        _write_url(item), {"title": "Note", "title_cy": "C" * 201, "text": "Text"}
    ).content.decode()
    message = "Ensure this value has at most 200 characters (it has 201)."
    assert message in english_too_long and message in welsh_too_long
    assert not item.papers.exists()

    paper = paper_write(item=item, title="Note", text="Text")
    edit = reverse("compact:paper_edit", kwargs={"pk": paper.pk})
    response = client.post(edit, {"title": "Note", "title_cy": "C" * 201, "text": "Changed"})
    assert message in response.content.decode()
    paper.refresh_from_db()
    assert (paper.title_cy, paper.text, paper.history.count()) == ("", "Text", 1)


def test_paper_pdf_in_welsh_uses_the_welsh_and_marks_english_fallback(
    item: AgendaItem, client_for: Any
) -> None:
    paper = paper_write(
        item=item,
        title="Funding note",
        title_cy="Nodyn cyllid",
        text="The fund opens in April.",
        text_cy="Mae'r gronfa'n agor ym mis Ebrill.",
    )
    client = client_for("board")
    url = reverse("compact:paper_view", kwargs={"pk": paper.pk})
    welsh = _pdf_text(client.get(url, {"language": "cy"}).content)
    assert flat("Nodyn cyllid") in welsh and flat("Mae'r gronfa'n agor ym mis Ebrill.") in welsh
    assert flat("The fund opens") not in welsh
    english = _pdf_text(client.get(url, {"language": "en"}).content)
    assert flat("The fund opens in April.") in english and flat("gronfa") not in english
    both = _pdf_text(client.get(url, {"language": "bilingual"}).content)
    assert both.index(flat("gronfa")) < both.index(flat("The fund opens"))

    english_only = paper_write(item=item, title="Venue note", text="Ty Dysgu, level 2.")
    url = reverse("compact:paper_view", kwargs={"pk": english_only.pk})
    welsh = _pdf_text(client.get(url, {"language": "cy"}).content)
    assert flat("Ty Dysgu, level 2.") in welsh and flat("Saesneg yn unig") in welsh


def test_welsh_board_pack_has_the_welsh_paper(world: Any) -> None:
    meeting = make_meeting(world.board)
    item = agenda_item_add(meeting=meeting, title="Funding code", title_cy="Cod cyllido")
    paper_write(
        item=item,
        title="Funding note",
        title_cy="Nodyn cyllid",
        text="The fund opens in April.",
        text_cy="Mae'r gronfa'n agor ym mis Ebrill.",
    )
    pack, built = board_pack_build(meeting=meeting, language="cy")
    assert built
    with pack.file.open("rb") as handle:
        content = handle.read()
    text = _pdf_text(content)
    assert flat("Nodyn cyllid") in text and flat("Mae'r gronfa'n agor ym mis Ebrill.") in text
    assert flat("The fund opens") not in text and flat("Funding note") not in text
    assert "Nodyn cyllid" in _bookmarks(PdfReader(io.BytesIO(content)).outline)
    english, _built = board_pack_build(meeting=meeting, language="en")
    assert english.fingerprint != pack.fingerprint


def test_generated_and_standing_papers_are_named_in_both_languages(world: Any) -> None:
    meeting = meeting_create(
        body=world.board,
        date=datetime.date.today() + datetime.timedelta(days=30),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Ty Dysgu",
    )
    digest = Paper.objects.get(item__meeting=meeting, title=WAG_DIGEST_TITLE)
    assert digest.title_cy == WAG_DIGEST_TITLE_CY and "trydydd sector" in digest.text_cy
    assert digest.item.title_cy == WAG_DIGEST_TITLE_CY
    item = agenda_item_add(meeting=meeting, title="Report")
    with ReportProvider() as provider, translation.override("cy"):  # a Welsh reader adds it
        paper = paper_generate(item=item, provider_key=provider.key, value="latest")
    assert paper.title.endswith("(latest)") and paper.title_cy.endswith("(diweddaraf)")


def test_search_finds_a_paper_by_its_welsh(item: AgendaItem, world: Any) -> None:
    paper_write(item=item, title="Funding note", text="April", text_cy="Mae'r gronfa'n agor")
    with translation.override("cy"):
        hits = search_papers(world.users["officer"], Query.parse("gronfa"), 10)
    assert len(hits) == 1 and "gronfa" in "".join(part for part, _hit in hits[0].snippet)


def test_api_gives_both_languages_of_a_paper(item: AgendaItem) -> None:
    from compact.api import PaperSerializer

    paper = paper_write(item=item, title="", title_cy="Nodyn", text="", text_cy="Testun")
    data = PaperSerializer(paper).data
    assert (data["title"], data["title_cy"], data["text_cy"]) == ("", "Nodyn", "Testun")


# --- amendments to approved minutes ---------------------------------------------------------


@pytest.fixture
def approved(world: Any) -> Minutes:
    meeting = make_meeting(world.board, date=NOV)
    item = agenda_item_add(meeting=meeting, title="Plan update")
    february = make_meeting(world.board, date=FEB)
    item_minutes_save(item=item, discussion="Ten members attended.")
    minutes = Minutes.objects.get(meeting=meeting)
    minutes_move(minutes=minutes, target=MinutesStatus.CIRCULATED)
    minutes_move(minutes=minutes, target=MinutesStatus.APPROVED, at_meeting=february)
    return minutes


def _amend_url(minutes: Minutes) -> str:
    return reverse("compact:minutes_amend", kwargs={"pk": minutes.meeting_id})


def test_amendment_form_saves_both_languages_and_readers_get_theirs(
    approved: Minutes, client_for: Any
) -> None:
    client = client_for("officer")
    page = client.get(_amend_url(approved)).content.decode()
    assert 'name="text_cy"' in page and 'name="reason_cy"' in page and "bilingual-pair" in page
    response = client.post(
        _amend_url(approved),
        {
            "item": "",
            "text": "Eleven members attended.",
            "text_cy": "Roedd un ar ddeg o aelodau yn bresennol.",
            "reason": "Miscounted",
            "reason_cy": "Camgyfrif",
        },
    )
    assert response.status_code == 302
    amendment = MinutesAmendment.objects.get()
    assert (amendment.text_cy, amendment.reason_cy) == (
        "Roedd un ar ddeg o aelodau yn bresennol.",
        "Camgyfrif",
    )
    url = approved.meeting.get_absolute_url()
    reader = client_for("board")
    welsh = in_welsh(reader).get(url).content.decode()
    assert "Roedd un ar ddeg" in welsh and "Camgyfrif" in welsh
    assert "Eleven members" not in welsh and "Miscounted" not in welsh
    english = in_english(reader).get(url).content.decode()
    assert "Eleven members attended." in english and "Miscounted" in english
    assert "Roedd un ar ddeg" not in english


def test_amendment_in_welsh_only_is_marked_for_an_english_reader(
    approved: Minutes, client_for: Any, world: Any
) -> None:
    minutes_amend(
        minutes=approved,
        text_cy="Roedd un ar ddeg yno.",
        reason_cy="Camgyfrif",
        actor=world.users["officer"],
    )
    english = in_english(client_for("board")).get(approved.meeting.get_absolute_url())
    html = english.content.decode()
    assert '<div lang="cy" class="lang-fallback"><p>Roedd un ar ddeg yno.</p>' in html
    assert '<span lang="cy" class="lang-fallback">Camgyfrif' in html


def test_an_amendment_with_no_recorded_author_is_shown_as_by_the_system(
    approved: Minutes, client_for: Any
) -> None:
    minutes_amend(minutes=approved, text="Eleven members attended.", reason="Miscounted")
    html = in_english(client_for("board")).get(approved.meeting.get_absolute_url())
    assert "by the system" in html.content.decode()


def test_amendment_needs_one_language_of_each_and_nothing_is_saved(
    approved: Minutes, client_for: Any
) -> None:
    client = in_english(client_for("officer"))
    refused = client.post(
        _amend_url(approved), {"item": "", "text": "", "text_cy": "", "reason": "", "reason_cy": ""}
    )
    assert refused.content.decode().count(ONE_LANGUAGE) == 2
    only_text = client.post(
        _amend_url(approved), {"item": "", "text_cy": "Roedd un ar ddeg.", "reason": ""}
    )
    assert ONE_LANGUAGE in only_text.content.decode()
    assert not MinutesAmendment.objects.exists()


def test_welsh_pack_prints_the_welsh_amendment(approved: Minutes) -> None:
    minutes_amend(
        minutes=approved,
        text="Eleven members attended.",
        text_cy="Roedd un ar ddeg o aelodau yn bresennol.",
        reason="Miscounted",
        reason_cy="Camgyfrif",
    )
    february = Meeting.objects.get(date=FEB)
    pack, _built = board_pack_build(meeting=february, language="cy")
    with pack.file.open("rb") as handle:
        text = _pdf_text(handle.read())
    assert flat("Roedd un ar ddeg o aelodau yn bresennol.") in text and flat("Camgyfrif") in text
    assert flat("Eleven members") not in text
    english, _built = board_pack_build(meeting=february, language="en")
    with english.file.open("rb") as handle:
        text = _pdf_text(handle.read())
    assert flat("Eleven members attended.") in text and flat("Camgyfrif") not in text


# --- the demo -------------------------------------------------------------------------------


def test_demo_papers_have_their_welsh(settings: Any) -> None:
    from compact.demo import load_demo
    from compact.papers import PaperOption

    settings.DEBUG = True
    with ReportProvider(
        key="demo.plan",
        label="Implementation Plan - latest update (changes in blue)",
        standing=True,
        options=[PaperOption("4", "Update 4 - 26 January 2009")],
    ):
        load_demo()
    written = Paper.objects.get(title="Policies relevant to the third sector")
    assert written.title_cy == "Polisïau sy'n berthnasol i'r trydydd sector"
    assert "Bwrdd y Compact" in written.text_cy and "{september}" not in written.text_cy
    plan = Paper.objects.get(kind=Paper.Kind.GENERATED, item__meeting=written.item.meeting)
    assert plan.title.endswith("(Update 4 - 26 January 2009)")
    assert plan.title_cy.startswith("Cynllun Gweithredu - y diweddariad diweddaraf")
    digest = Paper.objects.get(item__meeting=written.item.meeting, title=WAG_DIGEST_TITLE)
    assert digest.title_cy == WAG_DIGEST_TITLE_CY


def test_uploaded_paper_takes_a_welsh_title(item: AgendaItem, client_for: Any) -> None:
    from tests.compact.factories import pdf_upload

    client = client_for("officer")
    url = reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "upload"})
    assert 'name="title_cy"' in client.get(url).content.decode()
    response = client.post(url, {"title": "", "title_cy": "Cyllideb", "file": pdf_upload()})
    assert response.status_code == 302
    paper = item.papers.get()
    assert (paper.title, paper.title_cy) == ("", "Cyllideb")
