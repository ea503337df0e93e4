"""Board packs: content, bookmarks, page numbers, caching, circulation and who may download."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from compact.models import BoardPack, Circulation, Membership, Paper
from compact.services.meetings import (
    action_add,
    agenda_item_add,
    minutes_save,
    paper_generate,
    paper_upload,
    paper_write,
)
from compact.services.packs import board_pack_build, board_pack_circulate
from tests.compact.factories import BodyFactory, ReportProvider, make_meeting, pdf_upload, tiny_pdf

NOV = datetime.date(2008, 11, 19)


@pytest.fixture
def provider():
    with ReportProvider(
        key="tests.plan", label="Implementation Plan update", pages=3
    ) as registered:
        yield registered


@pytest.fixture
def meeting(world, provider):
    november = make_meeting(world.board, date=NOV)
    minutes_save(meeting=november, text="The Board agreed the plan.")
    action_add(meeting=november, description="Write to the Police", owner=world.people["officer"])
    february = make_meeting(world.board, venue="Ty Dysgu")
    plan = agenda_item_add(
        meeting=february, title="Implementation plan", presenter=world.people["officer"]
    )
    paper_generate(item=plan, provider_key="tests.plan", value="latest")
    funding = agenda_item_add(meeting=february, title="Funding code")
    paper_upload(item=funding, upload=pdf_upload("Funding draft.pdf", tiny_pdf("Funding draft", 2)))
    agenda_item_add(meeting=february, title="Any other business")
    return february


def _reader(pack: BoardPack) -> PdfReader:
    with pack.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _flat(text: str) -> str:
    """Text without whitespace: PDF extraction splits kerned words ("T est")."""
    return re.sub(r"\s+", "", text)


def _outline(reader: PdfReader) -> list:
    def walk(entries):
        titles = []
        for entry in entries:
            if isinstance(entry, list):
                titles.append(walk(entry))
            else:
                titles.append(entry.title)
        return titles

    return walk(reader.outline)


def test_pack_has_cover_agenda_papers_minutes_and_action_log_with_bookmarks(meeting):
    pack, built = board_pack_build(meeting=meeting)
    reader = _reader(pack)
    assert built and pack.version == 1
    # cover 1 + agenda 1 + WAG digest 1 + plan 3 + funding 2 + minutes 1 + action log 1
    assert len(reader.pages) == pack.page_count == 10
    assert _outline(reader) == [
        "Cover",
        "Agenda",
        "1. WAG policy digest",
        ["WAG policy digest"],
        "2. Implementation plan",
        ["Implementation Plan update (latest)"],
        "3. Funding code",
        ["Funding draft"],
        "4. Any other business",
        "Minutes of the previous meeting (19 November 2008)",
        "Action log",
    ]
    texts = [_flat(page.extract_text()) for page in reader.pages]
    assert "TestCompact" in texts[0] and "TyDysgu" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Page{number}of10" in text
    assert "Generatedreportlatest" in texts[4]
    assert "Fundingdraft1" in texts[6]
    assert "TheBoardagreedtheplan." in texts[8] and "DRAFT" in texts[8]
    assert "WritetothePolice" in texts[9]


def test_agenda_shows_the_page_each_paper_starts_on(meeting):
    pack, _built = board_pack_build(meeting=meeting)
    agenda = _reader(pack).pages[1].extract_text()
    assert re.search(r"Paper: Implementation Plan update \(latest\)\s+4", agenda)
    assert re.search(r"Paper: Funding draft\s+7", agenda)
    assert re.search(r"Action log\s+10", agenda)


def test_unchanged_pack_is_not_rebuilt_and_a_change_makes_a_new_version(meeting, provider):
    first, built = board_pack_build(meeting=meeting)
    renders = provider.renders
    again, rebuilt = board_pack_build(meeting=meeting)
    assert (again.pk, rebuilt, provider.renders) == (first.pk, False, renders)

    provider.version = "2"  # the plan changed: its fingerprint changes
    second, built = board_pack_build(meeting=meeting)
    assert built and second.version == 2
    assert "Generated report latest v2" in _reader(second).pages[4].extract_text()
    assert BoardPack.objects.filter(meeting=meeting).count() == 2  # version 1 is kept


def test_a_damaged_stored_paper_is_left_out_and_the_pack_still_builds(meeting):
    paper = Paper.objects.get(kind=Paper.Kind.UPLOAD)
    with paper.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 truncated")
    paper.file_sha256 = "changed"
    paper.save()
    pack, built = board_pack_build(meeting=meeting)
    assert built
    assert "Funding draft: The uploaded file is missing or damaged." in pack.problems
    texts = [page.extract_text() for page in _reader(pack).pages]
    assert any("could not be included" in text for text in texts)
    assert any("Generated report latest" in text for text in texts)


def test_a_failing_provider_does_not_stop_the_pack(meeting, provider):
    def explode(value):
        raise RuntimeError("plan database offline")

    object.__setattr__(provider.provider, "render", explode)
    pack, _built = board_pack_build(meeting=meeting)
    assert "could not be generated" in pack.problems
    assert pack.page_count == 8  # the 3-page report became a 1-page notice


def test_circulation_emails_a_link_and_the_recipient_downloads_the_pack(
    meeting, world, client_for, django_capture_on_commit_callbacks
):
    pack, _built = board_pack_build(meeting=meeting)
    client = client_for("officer")
    page = client.get(reverse("compact:pack_circulate", kwargs={"pk": pack.pk})).content.decode()
    assert "Board Person" in page
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(
            reverse("compact:pack_circulate", kwargs={"pk": pack.pk}),
            {"recipients": [str(world.users["board"].pk)]},
        )
    assert with_commit.status_code == 302
    circulation = Circulation.objects.get()
    assert (circulation.recipient, circulation.pack) == (world.users["board"], pack)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["board-user@example.org"]
    assert f"/compact/packs/{pack.pk}/download/" in message.body
    assert not message.attachments

    board = client_for("board")
    response = board.get(reverse("compact:pack_download", kwargs={"pk": pack.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and len(PdfReader(io.BytesIO(content)).pages) == 10
    circulation.refresh_from_db()
    assert circulation.first_downloaded_at is not None
    officer_page = client_for("officer").get(
        reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})
    )
    assert "(board-user@example.org)" in officer_page.content.decode()


def test_circulating_twice_does_not_send_the_same_version_again(meeting, world):
    pack, _built = board_pack_build(meeting=meeting)
    link = lambda version: "https://example.org/pack"  # noqa: E731
    board_pack_circulate(pack=pack, recipients=[world.users["board"]], link_for=link)
    again = board_pack_circulate(pack=pack, recipients=[world.users["board"]], link_for=link)
    assert again == [] and Circulation.objects.count() == 1


def test_board_member_of_another_body_cannot_see_the_meeting_or_its_pack(
    meeting, world, client_for, django_user_model
):
    pack, _built = board_pack_build(meeting=meeting)
    other = BodyFactory(compact=world.compact, name="Other board", slug="other", kind="board")
    membership = Membership.objects.get(person=world.people["board"])
    membership.body = other
    membership.save()
    client = client_for("board")
    assert (
        client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 404
    )
    assert client.get(reverse("compact:pack_download", kwargs={"pk": pack.pk})).status_code == 404
    programme = client.get(reverse("compact:meeting_programme")).content.decode()
    assert "Test Compact Board" not in programme


def test_board_member_sees_approved_minutes_but_not_drafts(world, client_for):
    november = make_meeting(world.board, date=NOV)
    make_meeting(world.board)
    minutes = minutes_save(meeting=november, text="Secret draft wording")
    client = client_for("board")
    url = reverse("compact:meeting_detail", kwargs={"pk": november.pk})
    page = client.get(url).content.decode()
    assert "Secret draft wording" not in page and "once they are circulated" in page
    from compact.services.meetings import minutes_approve
    from compact.services.minutes import minutes_circulate

    minutes_approve(minutes=minutes_circulate(minutes=minutes))
    assert "Secret draft wording" in client.get(url).content.decode()


def test_export_board_pack_command_writes_the_pdf(meeting, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command("export_board_pack", meeting=meeting.pk, out=str(out))
    assert len(PdfReader(out).pages) == 10


def test_written_paper_text_change_rebuilds_the_pack(meeting):
    first, _built = board_pack_build(meeting=meeting)
    item = meeting.items.get(title="Any other business")
    paper_write(item=item, title="AOB note", text="Date of next meeting")
    second, built = board_pack_build(meeting=meeting)
    assert built and second.version == first.version + 1 and second.page_count == 11


def test_export_board_pack_command_names_a_missing_meeting(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no meeting with id 999"):
        call_command("export_board_pack", meeting=999, out=str(tmp_path / "x.pdf"))


def test_the_agenda_shows_declarations_of_interest_made_for_the_meeting(meeting, world):
    from compact.services.meetings import declaration_add

    first, _built = board_pack_build(meeting=meeting)
    plan_item = meeting.items.get(title="Implementation plan")
    declaration_add(
        meeting=meeting,
        person=world.people["board"],
        item=plan_item,
        interest="Trustee of Testshire <Voluntary> Action",
        actor=world.users["officer"],
    )
    declaration_add(
        meeting=meeting, person=world.people["officer"], interest="Member of the LHB panel",
        actor=world.users["officer"],
    )  # fmt: skip

    second, built = board_pack_build(meeting=meeting)

    assert built and second.version == first.version + 1
    agenda = _flat(_reader(second).pages[1].extract_text())
    assert (
        _flat("Declaration of interest: Board Person, Trustee of Testshire <Voluntary>") in agenda
    )
    assert _flat("Officer Person: Member of the LHB panel") in agenda
