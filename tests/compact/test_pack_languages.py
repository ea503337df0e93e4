"""The board pack in Welsh, in English or bilingual, as the officer chooses (issue 14, papers):
real PDFs, their words and dates, the cache per language and the circulation e-mails."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from compact.models import BoardPack, NotificationPreference
from compact.services.meetings import action_add, agenda_item_add, minutes_save, paper_write
from compact.services.packs import board_pack_build, board_pack_circulate
from tests.compact.factories import make_meeting

pytestmark = pytest.mark.django_db

NOV = datetime.date(2008, 11, 19)


@pytest.fixture
def meeting(world: Any) -> Any:
    november = make_meeting(world.board, date=NOV)
    minutes_save(meeting=november, text="The Board agreed the plan.")
    action_add(meeting=november, description="Write to the Police", owner=world.people["officer"])
    february = make_meeting(world.board, venue="Ty Dysgu")
    item = agenda_item_add(meeting=february, title="Funding code")
    paper_write(item=item, title="Funding note", text="The fund opens in April.")
    return february


def _pages(pack: BoardPack) -> list[str]:
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def _outline(pack: BoardPack) -> list[str]:
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [entry.title for entry in reader.outline if not isinstance(entry, list)]


def test_welsh_pack_has_welsh_words_months_and_page_numbers(meeting: Any) -> None:
    pack, built = board_pack_build(meeting=meeting, language="cy")
    assert built and pack.language == "cy" and pack.filename.endswith("-cy.pdf")
    text = " ".join(_pages(pack))
    outline = _outline(pack)
    assert outline[0] == "Clawr" and "Log camau gweithredu" in outline
    assert "Cofnodion y cyfarfod blaenorol (19 Tachwedd 2008)" in outline
    assert "Tudalen1o" in text and "Page1of" not in text
    assert "Actionlog" not in text and "November" not in text


def test_english_pack_has_no_welsh(meeting: Any) -> None:
    pack, _built = board_pack_build(meeting=meeting, language="en")
    text = " ".join(_pages(pack))
    assert pack.filename.endswith(f"-v{pack.version}.pdf")
    assert "Page1of" in text and "Tudalen" not in text and "Tachwedd" not in text
    assert "Minutes of the previous meeting (19 November 2008)" in _outline(pack)


def test_bilingual_pack_puts_each_part_in_welsh_then_english(meeting: Any) -> None:
    welsh, _built = board_pack_build(meeting=meeting, language="cy")
    english, _built = board_pack_build(meeting=meeting, language="en")
    pack, _built = board_pack_build(meeting=meeting, language="bilingual")
    pages = _pages(pack)
    # Every part twice (Welsh, then English): twice the pages of either language.
    assert len(pages) == len(_pages(welsh)) + len(_pages(english))
    total = len(pages)
    assert all(f"Tudalen{n}o{total}/Page{n}of{total}" in text for n, text in enumerate(pages, 1))
    outline = _outline(pack)
    assert outline[0] == "Clawr / Cover" and "Log camau gweithredu / Action log" in outline
    # The written paper: its Welsh version before its English one, next to each other.
    text = " ".join(pages)
    assert text.index("Tudalen") < text.index("Page1")
    log = [n for n, page in enumerate(pages) if "WritetothePolice" in page]
    assert len(log) == 2 and log[1] == log[0] + 1


def test_each_language_is_its_own_cached_version(meeting: Any) -> None:
    welsh, built = board_pack_build(meeting=meeting, language="cy")
    english, built_english = board_pack_build(meeting=meeting, language="en")
    assert built and built_english and welsh.fingerprint != english.fingerprint
    again, rebuilt = board_pack_build(meeting=meeting, language="cy")
    assert (again.pk, rebuilt) == (welsh.pk, False)
    # An automatic rebuild (no language given) keeps the newest version's language.
    latest, rebuilt = board_pack_build(meeting=meeting)
    assert (latest.pk, rebuilt) == (english.pk, False)


def test_circulated_pack_is_frozen_in_its_language_only(meeting: Any, world: Any) -> None:
    welsh, _built = board_pack_build(meeting=meeting, language="cy")
    board_pack_circulate(
        pack=welsh, recipients=[world.users["board"]], link_for=lambda version: "https://x/p"
    )
    paper_write(item=meeting.items.get(title="Funding code"), title="Late", text="Added later.")
    frozen, built = board_pack_build(meeting=meeting, language="cy")
    assert (frozen.pk, built) == (welsh.pk, False)
    english, built = board_pack_build(meeting=meeting, language="en")
    assert built and english.language == "en"


def test_officer_chooses_the_language_on_the_meeting_page(meeting: Any, client_for: Any) -> None:
    client = client_for("officer")
    page = client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}))
    html = page.content.decode()
    assert 'name="language"' in html and 'value="bilingual"' in html
    response = client.post(
        reverse("compact:pack_build", kwargs={"pk": meeting.pk}), {"language": "bilingual"}
    )
    assert response.status_code == 302
    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.language == "bilingual"
    html = client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}))
    assert "Welsh and English (Welsh first)" in html.content.decode()


def test_unknown_language_is_refused_with_a_message_and_nothing_built(
    meeting: Any, client_for: Any
) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("compact:pack_build", kwargs={"pk": meeting.pk}), {"language": "fr"}, follow=True
    )
    assert "Choose the language of the pack" in response.content.decode()
    assert not BoardPack.objects.filter(meeting=meeting).exists()


def test_circulation_links_to_the_chosen_version_in_each_readers_language(
    meeting: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    board_pack_build(meeting=meeting, language="en")
    pack, _built = board_pack_build(meeting=meeting, language="bilingual")
    welsh_reader, unknown = world.users["board"], world.users["administrator"]
    NotificationPreference.objects.create(user=welsh_reader, language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_circulate(
            pack=pack,
            recipients=[welsh_reader, unknown],
            link_for=lambda version: f"https://compact.example.org/packs/{version.pk}/",
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    welsh = by_address[welsh_reader.email]
    assert f"/packs/{pack.pk}/" in welsh.body
    assert "Iaith y pecyn: Cymraeg a Saesneg (Cymraeg yn gyntaf)." in welsh.body
    assert "Language of the pack" not in welsh.body and "February" not in welsh.subject
    both = by_address[unknown.email]
    assert both.body.index("Iaith y pecyn") < both.body.index("Language of the pack")
