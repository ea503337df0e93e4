"""Bilingual content beyond the plan (issue 14): codes of practice and their commitments,
meetings (agenda items, minutes, decisions, actions), the public home page and partnerships
each have an English and a Welsh version. Editors write both side by side; readers get their
language or the other one marked with its own ``lang``; history keeps both."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pdfplumber
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from compact.demo import DEMO_DATA_DIR
from compact.models import (
    Action,
    AgendaItem,
    CodeOfPractice,
    Commitment,
    Compact,
    Decision,
    ItemMinutes,
    Minutes,
)
from compact.platform.language import FALLBACK_MARKERS
from compact.platform.locking import EditConflict
from compact.platform.search import Query
from compact.selectors.search import search_decisions, search_meetings
from compact.services import meetings as meeting_services
from compact.services import minutes as minutes_services
from compact.services.codes_import import PARTNERSHIP_CODE_SLUG, import_partnership_code
from tests.compact.factories import make_meeting
from tests.queries import request_queries

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = FALLBACK_MARKERS["en"]  # "(Saesneg yn unig / English only)"
WELSH_ONLY = FALLBACK_MARKERS["cy"]
SEED = DEMO_DATA_DIR / "partnership-working-code-of-practice.txt"
ONE_LANGUAGE = "Write this in English or in Welsh (or both)."


def in_welsh(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def in_english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def code(world: Any) -> CodeOfPractice:
    return import_partnership_code(compact=world.compact, path=SEED, owner_body=world.board)


def _first_commitment(code: CodeOfPractice) -> Commitment:
    return code.commitments.get(party="all", number=1)


def _commitment_post(commitment: Commitment, **changes: Any) -> dict[str, Any]:
    return {
        "party": commitment.party,
        "number": commitment.number,
        "text": commitment.text,
        "text_cy": commitment.text_cy,
        "reason": "",
        **changes,
    }


# --- codes of practice ---------------------------------------------------------------------


def test_code_editor_shows_both_languages_and_saves_both_with_history(
    code: CodeOfPractice, client_for: Any
) -> None:
    client = client_for("officer")
    edit = reverse("compact:code_edit", args=[code.slug])
    page = client.get(edit).content.decode()
    assert 'name="title_cy"' in page and 'name="summary_cy"' in page
    assert "bilingual-pair" in page and 'lang="cy"' in page

    response = client.post(
        edit,
        {
            "title": code.title,
            "title_cy": "Cod Ymarfer Gweithio mewn Partneriaeth",
            "kind": code.kind,
            "status": code.status,
            "summary": "",
            "summary_cy": "Sut mae’r partneriaid yn gweithio gyda’i gilydd.",
        },
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.title_cy == "Cod Ymarfer Gweithio mewn Partneriaeth"
    assert code.summary_cy.startswith("Sut mae")
    latest = code.history.latest()
    assert (latest.title, latest.title_cy) == (
        "Partnership Working Code of Practice",
        "Cod Ymarfer Gweithio mewn Partneriaeth",
    )

    welsh = in_welsh(client).get(reverse("compact:code_detail", args=[code.slug])).content
    welsh_page = welsh.decode()
    assert "<h1>Cod Ymarfer Gweithio mewn Partneriaeth</h1>" in welsh_page
    # The commitments have no Welsh yet: the English, marked and with its own lang.
    assert '<span lang="en" class="lang-fallback">Contribute to creating' in welsh_page
    assert ENGLISH_ONLY in welsh_page
    english = in_english(client).get(reverse("compact:code_detail", args=[code.slug]))
    english_page = english.content.decode()
    assert "<h1>Partnership Working Code of Practice</h1>" in english_page
    # The summary is only in Welsh: an English reader gets it, marked.
    assert '<span lang="cy" class="lang-fallback">Sut mae' in english_page
    assert WELSH_ONLY in english_page


def test_commitment_in_welsh_only_is_saved_and_read_with_its_lang(
    code: CodeOfPractice, client_for: Any
) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("compact:commitment_add", args=[code.slug]),
        {"party": "all", "number": 10, "text": "", "text_cy": "Parchu’r Gymraeg", "reason": ""},
    )
    assert response.status_code == 302
    commitment = code.commitments.get(party="all", number=10)
    assert (commitment.text, commitment.text_cy) == ("", "Parchu’r Gymraeg")
    assert str(commitment.history.latest().text_cy) == "Parchu’r Gymraeg"
    page = in_english(client).get(reverse("compact:code_detail", args=[code.slug])).content
    assert '<span lang="cy" class="lang-fallback">Parchu’r Gymraeg' in page.decode()


def test_commitment_needs_one_language_and_bad_welsh_changes_nothing(
    code: CodeOfPractice, client_for: Any
) -> None:
    client = client_for("officer")
    commitment = _first_commitment(code)
    before = (commitment.text, commitment.text_cy, commitment.history.count())
    edit = reverse("compact:commitment_edit", args=[commitment.pk])

    empty = client.post(edit, _commitment_post(commitment, text="", text_cy=""))
    assert empty.status_code == 200 and ONE_LANGUAGE in empty.content.decode()

    code_edit = reverse("compact:code_edit", args=[code.slug])
    too_long = client.post(
        code_edit,
        {"title": code.title, "title_cy": "C" * 201, "kind": code.kind, "status": code.status},
    )
    assert too_long.status_code == 200
    assert "at most 200 characters" in too_long.content.decode()
    commitment.refresh_from_db()
    code.refresh_from_db()
    assert (commitment.text, commitment.text_cy, commitment.history.count()) == before
    assert code.title_cy == ""


def test_code_page_costs_the_same_queries_in_welsh(code: CodeOfPractice, client_for: Any) -> None:
    client = client_for("board")
    url = reverse("compact:code_detail", args=[code.slug])
    in_english(client).get(url)
    with request_queries() as english:
        in_english(client).get(url)
    for commitment in code.commitments.all():
        commitment.text_cy = f"Ymrwymiad {commitment.number}"
        commitment.save()
    with request_queries() as welsh:
        page = in_welsh(client).get(url).content.decode()
    assert "Ymrwymiad 1" in page
    assert len(welsh.captured_queries) == len(english.captured_queries)


# --- meetings and minutes ------------------------------------------------------------------


def test_agenda_item_in_welsh_only_reads_in_both_languages(world: Any, client_for: Any) -> None:
    meeting = make_meeting(world.board)
    client = client_for("officer")
    response = client.post(
        reverse("compact:agenda_item_create", args=[meeting.pk]),
        {"title": "", "title_cy": "Adroddiad y Cadeirydd", "purpose": "information"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, title_cy="Adroddiad y Cadeirydd")
    assert str(item) == "Adroddiad y Cadeirydd"
    english = in_english(client).get(meeting.get_absolute_url()).content.decode()
    assert '<span lang="cy" class="lang-fallback">Adroddiad y Cadeirydd' in english
    welsh = in_welsh(client).get(meeting.get_absolute_url()).content.decode()
    assert "Adroddiad y Cadeirydd <span" not in welsh  # theirs: no marker
    assert ">Adroddiad y Cadeirydd<" in welsh

    refused = in_english(client).post(
        reverse("compact:agenda_item_create", args=[meeting.pk]),
        {"title": "", "title_cy": "", "purpose": "information"},
    )
    assert ONE_LANGUAGE in refused.content.decode()
    too_long = client.post(
        reverse("compact:agenda_item_edit", args=[item.pk]),
        {"title": "Chair's report", "title_cy": "A" * 201, "purpose": "information"},
    )
    assert "at most 200 characters" in too_long.content.decode()
    item.refresh_from_db()
    assert (item.title, item.title_cy) == ("", "Adroddiad y Cadeirydd")
    assert not AgendaItem.objects.filter(meeting=meeting, title="", title_cy="").exists()


def test_standard_items_are_named_in_both_languages(world: Any) -> None:
    meeting = make_meeting(world.board)
    with translation.override("cy"):  # an officer reading Welsh adds it
        item = meeting_services._standard_item_add(meeting, "apologies", actor=None)
    assert (item.title, item.title_cy) == ("Apologies", "Ymddiheuriadau")


def test_minutes_decisions_and_actions_are_written_and_read_in_both_languages(
    world: Any, client_for: Any
) -> None:
    meeting = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    item = meeting_services.agenda_item_add(
        meeting=meeting, title="Implementation Plan", title_cy="Cynllun Gweithredu"
    )
    client = client_for("officer")
    saved = client.post(
        reverse("compact:minutes_edit", args=[meeting.pk]),
        {"text": "The Board met.", "text_cy": "Cyfarfu’r Bwrdd.", "version": 0},
    )
    assert saved.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.text_cy, minutes.history.latest().text_cy) == ("Cyfarfu’r Bwrdd.",) * 2
    client.post(
        reverse("compact:item_minutes_edit", args=[item.pk]),
        {"discussion": "", "discussion_cy": "Cytunwyd ar y cynllun.", "version": 0},
    )
    entry = ItemMinutes.objects.get(item=item)
    assert (entry.discussion, entry.discussion_cy) == ("", "Cytunwyd ar y cynllun.")
    client.post(
        reverse("compact:decision_add", args=[meeting.pk]),
        {"item": item.pk, "text": "The plan is agreed.", "text_cy": "Cytunir ar y cynllun."},
    )
    decision = Decision.objects.get(item=item)
    assert decision.history.latest().text_cy == "Cytunir ar y cynllun."
    client.post(
        reverse("compact:action_create", args=[meeting.pk]),
        {
            "description": "",
            "description_cy": "Dosbarthu’r cynllun",
            "owner": world.people["officer"].pk,
            "item": item.pk,
        },
    )
    action = Action.objects.get(meeting=meeting)
    assert (action.description, action.description_cy) == ("", "Dosbarthu’r cynllun")

    welsh = in_welsh(client).get(meeting.get_absolute_url()).content.decode()
    for text in ("Cyfarfu’r Bwrdd.", "Cytunwyd ar y cynllun.", "Cytunir ar y cynllun."):
        assert text in welsh
    assert "Dosbarthu’r cynllun" in welsh and "Cynllun Gweithredu" in welsh
    english = in_english(client).get(meeting.get_absolute_url()).content.decode()
    assert "The plan is agreed." in english
    assert '<div lang="cy" class="lang-fallback"><p>Cytunwyd ar y cynllun.</p>' in english
    minutes_services.minutes_circulate(minutes=minutes)
    register = in_welsh(client).get(reverse("compact:decision_register_csv")).content.decode()
    assert "Cytunir ar y cynllun." in register and "Cynllun Gweithredu" in register


def test_welsh_decision_needs_one_language_and_too_long_welsh_title_changes_nothing(
    world: Any, client_for: Any
) -> None:
    meeting = make_meeting(world.board)
    client = client_for("officer")
    refused = client.post(
        reverse("compact:decision_add", args=[meeting.pk]), {"text": "", "text_cy": "  "}
    )
    assert refused.status_code == 200
    assert not Decision.objects.exists()
    action = client.post(
        reverse("compact:action_create", args=[meeting.pk]),
        {"description": "", "description_cy": "", "owner": world.people["officer"].pk},
    )
    assert ONE_LANGUAGE in action.content.decode()
    assert not Action.objects.exists()


def test_a_stale_welsh_edit_of_the_minutes_is_a_conflict_and_changes_nothing(world: Any) -> None:
    meeting = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    officer = world.users["officer"]
    minutes_services.minutes_save(meeting=meeting, text="One", text_cy="Un", actor=officer)
    minutes_services.minutes_save(
        meeting=meeting, text="One", text_cy="Dau", expected_version=1, actor=officer
    )
    with pytest.raises(EditConflict) as caught:
        minutes_services.minutes_save(
            meeting=meeting, text="One", text_cy="Tri", expected_version=1, actor=officer
        )
    assert caught.value.current == {"text": "One", "text_cy": "Dau"}
    assert Minutes.objects.get(meeting=meeting).text_cy == "Dau"


def test_meeting_page_costs_the_same_queries_in_welsh(world: Any, client_for: Any) -> None:
    meeting = make_meeting(world.board)
    item = meeting_services.agenda_item_add(meeting=meeting, title="Finance")
    minutes_services.minutes_save(meeting=meeting, text="Met.", actor=None)
    minutes_services.decision_record(item=item, text="Agreed.", actor=None)
    client = client_for("officer")
    in_english(client).get(meeting.get_absolute_url())
    with request_queries() as english:
        in_english(client).get(meeting.get_absolute_url())
    AgendaItem.objects.filter(pk=item.pk).update(title_cy="Cyllid")
    Decision.objects.filter(item=item).update(text_cy="Cytunwyd.")
    with request_queries() as welsh:
        page = in_welsh(client).get(meeting.get_absolute_url()).content.decode()
    assert "Cyllid" in page and "Cytunwyd." in page
    assert len(welsh.captured_queries) == len(english.captured_queries)


def test_search_finds_agenda_items_and_decisions_by_their_welsh(world: Any) -> None:
    meeting = make_meeting(world.board)
    item = meeting_services.agenda_item_add(
        meeting=meeting, title="Volunteering", title_cy="Gwirfoddoli"
    )
    minutes_services.minutes_save(meeting=meeting, text="Met.", actor=None)
    decision = minutes_services.decision_record(
        item=item, text="Agreed.", text_cy="Cytunwyd ar y strategaeth wirfoddoli.", actor=None
    )
    minutes_services.minutes_circulate(minutes=decision.minutes)
    officer = world.users["officer"]
    with translation.override("en"):
        items = search_meetings(officer, Query.parse("Gwirfoddoli"), 5)
        decisions = search_decisions(officer, Query.parse("strategaeth"), 5)
    assert [hit.title.split(" (")[0] for hit in items] == ["Volunteering"]
    assert "strategaeth" in "".join(text for text, _match in decisions[0].snippet)


# --- the public home page ------------------------------------------------------------------


def test_public_home_reads_in_welsh_and_its_editor_saves_both(
    world: Any, client: Any, client_for: Any
) -> None:
    officer = client_for("officer")
    response = officer.post(
        reverse("compact:compact_edit"),
        {
            "name": "Test Compact",
            "name_cy": "Compact Prawf",
            "area": "Testshire",
            "area_cy": "Swydd Prawf",
            "summary": "A partnership agreement.",
            "summary_cy": "Cytundeb partneriaeth.",
            "contact_email": "",
            "contact_details": "Tel. 01685 000000",
            "contact_details_cy": "",
        },
    )
    assert response.status_code == 302
    compact = Compact.objects.get(pk=world.compact.pk)
    assert compact.history.latest().summary_cy == "Cytundeb partneriaeth."
    officer.logout()
    welsh = in_welsh(client).get(reverse("home")).content.decode()
    assert "<h1>Compact Prawf</h1>" in welsh and "Cytundeb partneriaeth." in welsh
    assert "Swydd Prawf" in welsh
    contact = in_welsh(client).get(reverse("compact:contact")).content.decode()
    assert '<span lang="en" class="lang-fallback">Tel. 01685 000000' in contact
    english = in_english(client).get(reverse("home")).content.decode()
    assert "<h1>Test Compact</h1>" in english and "A partnership agreement." in english


def test_public_home_needs_its_english_name_and_bad_welsh_changes_nothing(
    world: Any, client_for: Any
) -> None:
    officer = client_for("officer")
    data = {"name": "Test Compact", "area": "Testshire", "summary": "", "contact_email": ""}
    refused = officer.post(reverse("compact:compact_edit"), {**data, "name_cy": "C" * 201})
    assert refused.status_code == 200
    assert Compact.objects.get(pk=world.compact.pk).name_cy == ""


# --- partnerships --------------------------------------------------------------------------


def test_partnership_name_and_purpose_in_welsh_on_the_register_and_its_pdf(
    world: Any, client_for: Any
) -> None:
    from partnerships.models import Partnership
    from partnerships.papers import matrix_pdf
    from partnerships.services import partnership_update
    from tests.partnerships.factories import make_partnership

    partnership = make_partnership(world.compact, "Local Service Board", purpose="Plans.")
    client = client_for("officer")
    form = client.get(reverse("partnerships:edit", args=[partnership.slug])).content.decode()
    assert 'name="name_cy"' in form and 'name="purpose_cy"' in form
    partnership.name_cy = "Bwrdd Gwasanaethau Lleol"
    partnership.purpose_cy = ""
    partnership_update(
        partnership=partnership,
        other_cvcs=[],
        actor=world.users["officer"],
        expected_version=partnership.version,
    )
    saved = Partnership.objects.get(pk=partnership.pk)
    assert saved.history.latest().name_cy == "Bwrdd Gwasanaethau Lleol"

    detail = in_welsh(client).get(reverse("partnerships:detail", args=[partnership.slug]))
    page = detail.content.decode()
    assert "<h1>Bwrdd Gwasanaethau Lleol</h1>" in page
    assert '<span lang="en" class="lang-fallback">Plans.' in page
    found = in_welsh(client).get(reverse("partnerships:list"), {"search": "Gwasanaethau"})
    assert "Bwrdd Gwasanaethau Lleol" in found.content.decode()
    with translation.override("cy"):
        pdf = matrix_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "Bwrdd Gwasanaethau Lleol" in text


# --- the demo ------------------------------------------------------------------------------


def test_demo_codes_meeting_and_public_home_have_welsh_once(settings: Any) -> None:
    from compact.demo import load_demo

    settings.DEBUG = True
    load_demo()
    models = (Compact, CodeOfPractice, Commitment, AgendaItem, Minutes, Decision, Action)

    def welsh_writes() -> int:
        return sum(
            model.history.filter(history_change_reason="Demo: Welsh version").count()
            for model in models
        )

    written = welsh_writes()
    load_demo()  # twice: the Welsh is written once
    assert welsh_writes() == written > 40

    assert Compact.objects.get(slug="merthyr-tydfil").name_cy == "Compact Merthyr Tudful"
    code = CodeOfPractice.objects.get(slug=PARTNERSHIP_CODE_SLUG)
    assert code.title_cy == "Cod Ymarfer Gweithio mewn Partneriaeth"
    assert code.summary_cy.startswith("Sut mae")
    assert not code.commitments.filter(text_cy="").exists()
    november = Minutes.objects.get(meeting__body__slug="compact-board", status="approved")
    assert november.text_cy.startswith("Yn bresennol:")
    assert not november.decisions.filter(text_cy="").exists()
    assert AgendaItem.objects.filter(title_cy__startswith="Cofnodion cyfarfod").exists()
    assert Action.objects.exclude(description_cy="").count() == 5


def test_a_code_version_in_welsh_only_is_read_with_its_lang(
    code: CodeOfPractice, client_for: Any
) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("compact:code_version_add", args=[code.slug]),
        {"label": "2", "date": "2009-06-01", "text": "", "text_cy": "Testun y cod.", "notes": ""},
    )
    assert response.status_code == 302
    version = code.versions.get(label="2")
    assert (version.text, version.text_cy) == ("", "Testun y cod.")
    page = in_english(client).get(reverse("compact:code_version_view", args=[version.pk]))
    assert '<div lang="cy" class="lang-fallback"><p>Testun y cod.</p>' in page.content.decode()
    empty = client.post(
        reverse("compact:code_version_add", args=[code.slug]),
        {"label": "3", "date": "2009-06-01", "text": "", "text_cy": "", "notes": ""},
    )
    assert "Upload the document as PDF or paste its text." in empty.content.decode()
    assert not code.versions.filter(label="3").exists()


def test_the_conflict_page_of_an_items_minutes_compares_the_welsh_too(
    world: Any, client_for: Any
) -> None:
    meeting = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    item = meeting_services.agenda_item_add(meeting=meeting, title="Finance")
    minutes_services.item_minutes_save(
        item=item, discussion="Agreed.", discussion_cy="Cytunwyd.", actor=None
    )
    minutes_services.item_minutes_save(
        item=item, discussion="Agreed.", discussion_cy="Cytunwyd yn llawn.", expected_version=1
    )
    client = client_for("officer")
    stale = {"discussion": "Agreed.", "discussion_cy": "Fy fersiwn i.", "version": 1}
    page = in_english(client).post(reverse("compact:item_minutes_edit", args=[item.pk]), stale)
    html = page.content.decode()
    assert "Discussion in Welsh" in html and "Fy fersiwn i." in html
    assert "Cytunwyd yn llawn." in html
    assert ItemMinutes.objects.get(item=item).discussion_cy == "Cytunwyd yn llawn."
