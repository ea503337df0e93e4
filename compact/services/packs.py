"""Writes for board packs: build (cached by content), circulate, record downloads."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.models import BoardPack, Circulation, Meeting, PackBuildRequest
from compact.papers.boardpack import build_pack_pdf, pack_contents, pack_fingerprint
from compact.permissions import can_download_pack, can_prepare_meeting
from compact.platform.language import text_for
from compact.platform.pdf.languages import paper_language, paper_language_name
from compact.services.attendance import answer_link_for
from compact.services.notifications import notify_board, send_quietly


def _require_preparer(actor: Any) -> None:
    if actor is not None and not can_prepare_meeting(actor):
        raise PermissionDenied(_("Only Compact officers can build and circulate board packs."))


def board_pack_current(meeting: Meeting, language: str | None = None) -> BoardPack | None:
    """The newest version of the meeting's pack (in ``language``, when given)."""
    packs = BoardPack.objects.filter(meeting=meeting)
    if language is not None:
        packs = packs.filter(language=language)
    return packs.order_by("-version").first()


def board_pack_circulated(meeting: Meeting, language: str | None = None) -> BoardPack | None:
    """The newest version of the meeting's pack (in ``language``, when given) that was sent to
    anyone: once circulated, the pack is frozen (members hold that paper; later edits and plan
    updates do not change it)."""
    packs = BoardPack.objects.filter(meeting=meeting, circulations__isnull=False)
    if language is not None:
        packs = packs.filter(language=language)
    return packs.order_by("-version").first()


def board_pack_language(meeting: Meeting) -> str:
    """The language a pack is built in when nobody chose (an automatic rebuild): the one of
    the meeting's newest version, else the site's default."""
    latest = board_pack_current(meeting)
    return latest.language if latest is not None else paper_language(settings.LANGUAGE_CODE)


def board_pack_build(
    *, meeting: Meeting, actor: Any = None, language: str | None = None
) -> tuple[BoardPack, bool]:
    """Build the meeting's pack in ``language`` ("cy", "en" or "bilingual"; as the newest
    version when not given) unless the newest version in it already shows the same content,
    or a version in it has been circulated (frozen: that version is returned, never rebuilt).
    Returns (pack, built): ``built`` is False when nothing new was made."""
    _require_preparer(actor)
    language = paper_language(language) if language else board_pack_language(meeting)
    circulated = board_pack_circulated(meeting, language)
    if circulated is not None:
        return circulated, False
    contents = pack_contents(meeting)
    fingerprint = pack_fingerprint(contents, language)
    latest = board_pack_current(meeting, language)
    if latest is not None and latest.fingerprint == fingerprint and latest.file:
        return latest, False
    started = time.perf_counter()
    # Rendering happens outside the write transaction: it can take seconds.
    built = build_pack_pdf(contents, language)
    seconds = time.perf_counter() - started
    return _store_pack(meeting, fingerprint, built, seconds, actor, language), True


def board_pack_queue(*, meeting: Meeting) -> bool:
    """Ask the worker to build the meeting's pack, once however many changes ask: True when a
    build was queued, False when one is already waiting or the pack is circulated (frozen).
    The build is queued when the caller's transaction commits, so it sees the change."""
    if board_pack_circulated(meeting) is not None:
        return False
    with transaction.atomic():
        _request, created = PackBuildRequest.objects.get_or_create(meeting=meeting)
    if created:
        from compact.papers.files import board_pack_build_task

        meeting_id = meeting.pk
        transaction.on_commit(lambda: board_pack_build_task.enqueue(meeting_id=meeting_id))
    return created


def board_pack_build_queued(*, meeting_id: int) -> BoardPack | None:
    """The worker's side of :func:`board_pack_queue`: take the request, then build (or reuse,
    or keep the circulated version). None if the meeting is gone."""
    PackBuildRequest.objects.filter(meeting_id=meeting_id).delete()
    meeting = Meeting.objects.select_related("body__compact").filter(pk=meeting_id).first()
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return None
    pack, _built = board_pack_build(meeting=meeting, actor=None)
    return pack


@transaction.atomic
def _store_pack(
    meeting: Meeting, fingerprint: str, built: Any, seconds: float, actor: Any, language: str
) -> BoardPack:
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    circulated = board_pack_circulated(meeting, language)
    if circulated is not None:
        return circulated  # circulated while this one was rendering: keep what was sent
    latest = board_pack_current(meeting, language)
    if latest is not None and latest.fingerprint == fingerprint:
        return latest  # someone else built the same pack meanwhile
    version = (BoardPack.objects.filter(meeting=meeting).aggregate(v=Max("version"))["v"] or 0) + 1
    digest = hashlib.sha256(built.pdf).hexdigest()
    pack = BoardPack(
        meeting=meeting,
        version=version,
        language=language,
        fingerprint=fingerprint,
        sha256=digest,
        page_count=built.pages,
        size=len(built.pdf),
        build_seconds=round(seconds, 3),
        problems="\n".join(built.problems),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    pack.file.save(
        f"meeting-{meeting.pk}/pack-v{version}-{digest[:12]}.pdf",
        ContentFile(built.pdf),
        save=False,
    )
    pack.full_clean()
    pack.save()
    return pack


@transaction.atomic
def board_pack_circulate(
    *,
    pack: BoardPack,
    recipients: Iterable[Any],
    link_for: Callable[[BoardPack], str],
    actor: Any = None,
) -> list[Circulation]:
    """Send a pack version to recipients by e-mail, as a link they open after signing in.
    A recipient already sent this version is not sent it again."""
    _require_preparer(actor)
    recipients = list(recipients)
    if not recipients:
        raise ValidationError(_("Choose at least one recipient."))
    missing = [str(user) for user in recipients if not user.email]
    if missing:
        raise ValidationError(
            _("These recipients have no e-mail address: %(names)s.") % {"names": ", ".join(missing)}
        )
    already = set(
        Circulation.objects.filter(pack=pack, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    meeting = pack.meeting
    link = link_for(pack)

    def subject() -> str:
        # The month in the reader's language, from the stored date.
        return _("Board pack: %(body)s, %(date)s (version %(version)s)") % {
            "body": meeting.body.name,
            "date": date_format(meeting.date, "d F Y"),
            "version": pack.version,
        }

    sent_by = actor if getattr(actor, "is_authenticated", False) else None
    # The pack's language named in the reader's ("Cymraeg a Saesneg"), so it is read in theirs.
    pack_language = paper_language_name(pack.language)
    circulations = []
    messages = []
    for user in recipients:
        if user.pk in already:
            continue
        circulation = Circulation(pack=pack, recipient=user, email=user.email, sent_by=sent_by)
        circulation.full_clean(exclude=["pack", "recipient"])
        circulation.save()
        circulations.append(circulation)
        context = {
            "user": user,
            "meeting": meeting,
            "pack": pack,
            "pack_language": pack_language,
            "link": link,
            "answer_link": answer_link_for(meeting, user),
        }
        body = text_for(
            user,
            lambda context=context: render_to_string("compact/email/pack_circulated.txt", context),
        )
        messages.append(
            EmailMessage(
                text_for(user, subject, separator=" / "),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    if messages:
        # Sent once the records are committed, so a recipient never gets a link to nothing;
        # a failing mail server is logged and the circulation stands.
        transaction.on_commit(lambda: send_quietly(messages, what=f"board pack {pack.pk}"))
    # The Board members who may open the pack are told as they chose (each time / weekly),
    # once per pack version; those just sent it above get no second e-mail.
    notify_board(
        kind="compact.pack_circulated",
        key=str(pack.pk),
        subject=subject,
        path=pack.get_absolute_url(),
        audience=lambda user: can_download_pack(user, pack),
        already_told=[c.recipient_id for c in circulations] + list(already),
    )
    return circulations


def board_pack_downloaded(*, pack: BoardPack, user: Any) -> None:
    """Note the first time a recipient downloads the version they were sent."""
    circulation = Circulation.objects.filter(
        pack=pack, recipient=user, first_downloaded_at__isnull=True
    ).first()
    if circulation is not None:
        circulation.first_downloaded_at = timezone.now()
        circulation.save(update_fields=["first_downloaded_at"])
