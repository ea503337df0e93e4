"""The core app's files made in the background: the board pack and the directory of bodies
(registered by ``compact.registrations``).

An officer presses "Generate board pack"; the worker builds (or reuses) the pack version with
``board_pack_build`` and hands the officer a copy on the status page. The version itself is
stored as a ``BoardPack`` as before, so the meeting page lists it and it can be circulated.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from compact.platform.access import Role
from compact.platform.background import FileProducer, ProducedFile
from compact.platform.pdf import html_to_pdf
from compact.platform.pdf.languages import PAPER_LANGUAGES

BOARD_PACK = "compact.board_pack"


def pack_key(meeting_id: int, language: str) -> str:
    """The key of a pack's build: the meeting and the language chosen ("12?language=cy")."""
    return f"{meeting_id}?language={language}"


def _split(key: str) -> tuple[str, str]:
    """(meeting id, language) of a key; the language is "" for a bare meeting id."""
    meeting_id, _sep, query = key.partition("?")
    language = query.removeprefix("language=") if query else ""
    if query and (language == query or language not in PAPER_LANGUAGES):
        raise LookupError(f"Not a pack key: {key!r}")
    return meeting_id, language


def _meeting(key: str) -> Any:
    from compact.models import Meeting

    meeting_id, _language = _split(key)
    if not meeting_id.isdigit():
        raise LookupError(f"Not a meeting: {key!r}")
    return Meeting.objects.select_related("body__compact").get(pk=int(meeting_id))


def _may_build(user: Any, key: str) -> bool:
    from compact.models import Meeting
    from compact.permissions import can_prepare_meeting

    try:
        meeting = _meeting(key)
    except (LookupError, Meeting.DoesNotExist):
        return False
    return can_prepare_meeting(user, meeting)


def _build(key: str, *, owner: Any) -> ProducedFile:
    from compact.services.packs import board_pack_build

    _meeting_id, language = _split(key)
    pack, _built = board_pack_build(meeting=_meeting(key), actor=owner, language=language or None)
    with pack.file.open("rb") as handle:
        return ProducedFile(pack.filename, handle.read())


@task()
def board_pack_build_task(*, meeting_id: int) -> int | None:
    """Build a meeting's pack without anyone asking (the agenda was finalised or changed);
    queued, once per meeting at a time, by ``compact.services.packs.board_pack_queue``."""
    from compact.services.packs import board_pack_build_queued

    pack = board_pack_build_queued(meeting_id=meeting_id)
    return pack.pk if pack is not None else None


def _meeting_page(key: str) -> str:
    return reverse("compact:meeting_detail", kwargs={"pk": int(_split(key)[0])}) + "#pack"


def _bodies_pdf(key: str) -> ProducedFile:
    from compact import selectors

    html = render_to_string(
        "files/bodies_pdf.html",
        {
            "bodies": list(selectors.body_list()),
            "title": _("Bodies of the Compact"),
            "for_pdf": True,
        },
    )
    return ProducedFile("bodies-of-the-compact.pdf", html_to_pdf(html))


def producers() -> list[FileProducer]:
    return [
        FileProducer(
            kind=BOARD_PACK,
            label=_("Board pack"),
            produce=_build,
            roles=frozenset({Role.OFFICER}),
            permitted=_may_build,
            takes_owner=True,
            back_url=_meeting_page,
            back_label=_("Back to the meeting"),
        ),
        FileProducer(
            kind="compact.bodies_pdf", label=_("Bodies of the Compact (PDF)"), produce=_bodies_pdf
        ),
    ]
