"""Writes for meetings: the programme, agendas and papers, attendance, minutes and actions.

Each function checks that the actor may prepare meetings (``actor=None`` is the system: the
demo loader and management commands), validates, writes in one transaction and records who
and why in the history.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.models import (
    AgendaItem,
    Body,
    BodyAgendaSettings,
    Decision,
    ItemMinutes,
    Meeting,
    MinutesAmendment,
    Paper,
    Person,
    StandardItem,
)
from compact.papers import PaperProvider
from compact.permissions import can_prepare_meeting
from compact.platform import registry
from compact.platform.history import save_with_history, stamp_history
from compact.platform.language import text_of
from compact.platform.uploads import PAPERS, check_upload
from compact.services.meeting_records import action_add as action_add
from compact.services.meeting_records import action_complete as action_complete
from compact.services.meeting_records import attendance_record as attendance_record
from compact.services.meeting_records import declaration_add as declaration_add
from compact.services.meeting_records import rotation_rule_set as rotation_rule_set
from compact.services.minutes import minutes_approve as minutes_approve
from compact.services.minutes import minutes_save as minutes_save
from compact.services.minutes import next_meeting as next_meeting

WAG_DIGEST_TITLE = "WAG policy digest"
WAG_DIGEST_TITLE_CY = "Crynodeb o bolisïau LlCC"
WAG_DIGEST_PLACEHOLDER = (
    "Summary of Welsh Assembly Government policy and guidance relevant to the third sector "
    "since the last meeting. (The secretariat completes this paper before circulation.)"
)
WAG_DIGEST_PLACEHOLDER_CY = (
    "Crynodeb o bolisïau a chanllawiau Llywodraeth Cynulliad Cymru sy'n berthnasol i'r "
    "trydydd sector ers y cyfarfod diwethaf. (Mae'r ysgrifenyddiaeth yn cwblhau'r papur hwn "
    "cyn ei ddosbarthu.)"
)


def in_both_languages(render: Callable[[], Any]) -> tuple[str, str]:
    """(English, Welsh) of a text made by code (a report's label, "latest"), so a title it
    gives is stored in both languages whatever the officer's own. A label fixed in English
    when its provider registered is looked up in the Welsh catalogue. The Welsh is empty when
    it is the same as the English (nothing translated)."""
    with translation.override("en"):
        english = str(render())
    with translation.override("cy"):
        welsh = str(render())
        if welsh == english:
            welsh = translation.gettext(english)
    return english, "" if welsh == english else welsh


def _require_preparer(actor: Any) -> None:
    if actor is not None and not can_prepare_meeting(actor):
        raise PermissionDenied(_("Only Compact officers can prepare meetings."))


def _agenda_changed(meeting_id: int) -> None:
    """Once the agenda is final, every change to it (items, papers, the meeting's details)
    rebuilds the pack, until it is circulated."""
    from compact.services.packs import board_pack_queue

    meeting = Meeting.objects.filter(pk=meeting_id, agenda_final_at__isnull=False).first()
    if meeting is not None and meeting.status != Meeting.Status.CANCELLED:
        board_pack_queue(meeting=meeting)


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _check_no_overlap(meeting: Meeting) -> None:
    """A body cannot hold two meetings at once; cancelled meetings do not count."""
    clash = (
        Meeting.objects.filter(body_id=meeting.body_id, date=meeting.date)
        .exclude(pk=meeting.pk)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(start_time__lt=meeting.end_time, end_time__gt=meeting.start_time)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "%(body)s already has a meeting on %(date)s from %(start)s to %(end)s. "
                "Choose a time that does not overlap it, or cancel that meeting first."
            )
            % {
                "body": meeting.body,
                "date": date_format(clash.date, "d F Y"),
                "start": _time(clash.start_time),
                "end": _time(clash.end_time),
            }
        )


def standing_items_for(body: Body) -> list[tuple[str, str, str]]:
    """(title, its Welsh, provider key or "") of the standing items each new agenda of
    ``body`` gets."""
    standing = [
        (*in_both_languages(lambda provider=provider: provider.label), provider.key)
        for provider in registry.items(PaperProvider)
        if provider.standing and body.kind in provider.standing_body_kinds
    ]
    if body.kind == Body.Kind.BOARD:
        standing.append((WAG_DIGEST_TITLE, WAG_DIGEST_TITLE_CY, ""))
    return standing


# Standard items that close an agenda; the others open it, in StandardItem's order.
TRAILING_ITEMS = frozenset({StandardItem.OTHER_BUSINESS, StandardItem.NEXT_MEETING})


def standard_items_of(body: Body) -> list[str]:
    """The standard items a body's new agendas get, in their usual order."""
    row = BodyAgendaSettings.objects.filter(body=body).first()
    chosen = set(row.standard_items) if row else set()
    return [kind for kind in StandardItem.values if kind in chosen]


@transaction.atomic
def standard_items_set(*, body: Body, kinds: list[str], actor: Any = None) -> BodyAgendaSettings:
    """Choose the standard items (apologies, declarations of interest, minutes of the last
    meeting, ...) that each new agenda of ``body`` starts or ends with."""
    _require_preparer(actor)
    unknown = set(kinds) - set(StandardItem.values)
    if unknown:
        raise ValidationError(
            {"standard_items": _("Unknown standard items: %s") % ", ".join(sorted(unknown))}
        )
    row = BodyAgendaSettings.objects.filter(body=body).first() or BodyAgendaSettings(body=body)
    row.standard_items = [kind for kind in StandardItem.values if kind in set(kinds)]
    save_with_history(row, actor=actor, reason="Standard agenda items chosen")
    return row


def _standard_item_add(meeting: Meeting, kind: str, *, actor: Any) -> AgendaItem:
    # Named in both languages, whatever the officer's own (the label is a translated string).
    with translation.override("en"):
        title = str(StandardItem(kind).label)
    with translation.override("cy"):
        title_cy = str(StandardItem(kind).label)
    return agenda_item_add(
        meeting=meeting,
        title=title,
        title_cy=title_cy,
        purpose=AgendaItem.Purpose.DECISION
        if kind == StandardItem.MINUTES
        else AgendaItem.Purpose.INFORMATION,
        standing=True,
        standard_kind=kind,
        actor=actor,
    )


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    venue: str = "",
    online_link: str = "",
    notes: str = "",
    notes_cy: str = "",
    status: str = Meeting.Status.PLANNED,
    actor: Any = None,
) -> Meeting:
    """Programme a meeting; it may not overlap another of the same body. Standing items (the
    registered standing papers, the WAG policy digest for the Board) are added to its agenda."""
    _require_preparer(actor)
    # Lock the body so two officers cannot programme clashing meetings at the same moment.
    Body.objects.select_for_update().get(pk=body.pk)
    meeting = Meeting(
        body=body,
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        online_link=online_link,
        notes=notes,
        notes_cy=notes_cy,
        status=status,
    )
    meeting.full_clean()
    if not venue and not online_link:
        raise ValidationError({"venue": _("Give a venue or an online link (or both).")})
    _check_no_overlap(meeting)
    save_with_history(meeting, actor=actor, reason="Meeting programmed")
    kinds = standard_items_of(body)
    for kind in kinds:
        if kind not in TRAILING_ITEMS:
            _standard_item_add(meeting, kind, actor=actor)
    for title, title_cy, provider_key in standing_items_for(body):
        item = agenda_item_add(
            meeting=meeting,
            title=title,
            title_cy=title_cy,
            purpose=AgendaItem.Purpose.DISCUSSION
            if provider_key
            else AgendaItem.Purpose.INFORMATION,
            standing=True,
            actor=actor,
        )
        if provider_key:
            paper_generate(item=item, provider_key=provider_key, value="latest", actor=actor)
        else:
            paper_write(
                item=item,
                title=title,
                title_cy=title_cy,
                text=WAG_DIGEST_PLACEHOLDER,
                text_cy=WAG_DIGEST_PLACEHOLDER_CY,
                actor=actor,
            )
    for kind in kinds:
        if kind in TRAILING_ITEMS:
            _standard_item_add(meeting, kind, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Any = None, **fields: Any) -> Meeting:
    """Change a meeting's date, times, venue, link or status; overlaps are refused."""
    _require_preparer(actor)
    Body.objects.select_for_update().get(pk=meeting.body_id)
    allowed = {
        "date", "start_time", "end_time", "venue", "online_link", "notes", "notes_cy", "status"
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"meeting_update cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    if not meeting.venue and not meeting.online_link:
        raise ValidationError({"venue": _("Give a venue or an online link (or both).")})
    if meeting.status != Meeting.Status.CANCELLED:
        _check_no_overlap(meeting)
    save_with_history(meeting, actor=actor, reason="Meeting updated")
    _agenda_changed(meeting.pk)
    return meeting


# --- Agenda -------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    title_cy: str = "",
    presenter: Person | None = None,
    purpose: str = AgendaItem.Purpose.DISCUSSION,
    minutes_allowed: int | None = None,
    standing: bool = False,
    standard_kind: str = "",
    actor: Any = None,
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _require_preparer(actor)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        title=title,
        title_cy=title_cy,
        presenter=presenter,
        purpose=purpose,
        minutes_allowed=minutes_allowed,
        standing=standing,
        standard_kind=standard_kind,
    )
    save_with_history(item, actor=actor, reason="Agenda item added")
    _agenda_changed(meeting.pk)
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor: Any = None, **fields: Any) -> AgendaItem:
    """Change an item's title, presenter, purpose or time allowed."""
    _require_preparer(actor)
    for name in ("title", "title_cy", "presenter", "purpose", "minutes_allowed"):
        if name in fields:
            setattr(item, name, fields[name])
    save_with_history(item, actor=actor, reason="Agenda item changed")
    _agenda_changed(item.meeting_id)
    return item


def _renumber(items: list[AgendaItem], *, actor: Any) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            save_with_history(item, actor=actor, reason="Agenda reordered")


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str, actor: Any = None) -> AgendaItem:
    """Move an item one place up or down the agenda."""
    _require_preparer(actor)
    if direction not in {"up", "down"}:
        raise ValidationError(_("Move an item up or down."))
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items, actor=actor)
    _agenda_changed(item.meeting_id)
    return next(other for other in items if other.pk == item.pk)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: Any = None) -> None:
    """Remove an item and its papers from the agenda; an item already minuted (discussion,
    decisions or amendments) stays, as the minutes refer to it."""
    _require_preparer(actor)
    if (
        ItemMinutes.objects.filter(item=item).exists()
        or Decision.objects.filter(item=item).exists()
        or MinutesAmendment.objects.filter(item=item).exists()
    ):
        raise ValidationError(
            _("%(item)s is in the minutes of the meeting and cannot be removed from its agenda.")
            % {"item": text_of(item, "title")}
        )
    meeting_id = item.meeting_id
    stamp_history(item, actor=actor)
    item.delete()
    remaining = list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position", "pk"))
    _renumber(remaining, actor=actor)
    _agenda_changed(meeting_id)


@transaction.atomic
def agenda_finalise(*, meeting: Meeting, actor: Any = None) -> Meeting:
    """Mark the agenda final: the pack is built in the background for the members, and
    rebuilt whenever the agenda changes until it is circulated."""
    _require_preparer(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no agenda to finalise."))
    if not meeting.items.exists():
        raise ValidationError(_("Add at least one item before finalising the agenda."))
    if meeting.agenda_final_at is None:
        meeting.agenda_final_at = timezone.now()
        save_with_history(meeting, actor=actor, reason="Agenda finalised")
    _agenda_changed(meeting.pk)
    return meeting


# --- Papers -------------------------------------------------------------------------------


@transaction.atomic
def paper_upload(
    *,
    item: AgendaItem,
    upload: UploadedFile,
    title: str = "",
    title_cy: str = "",
    actor: Any = None,
) -> Paper:
    """Attach an uploaded PDF; anything but a readable PDF under the size limit is refused."""
    _require_preparer(actor)
    try:
        checked = check_upload(upload, kinds=PAPERS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    paper = Paper(
        item=item,
        kind=Paper.Kind.UPLOAD,
        # Untitled in both languages: named after its file.
        title=title or ("" if title_cy else (upload.name or "").rsplit(".", 1)[0][:200]),
        title_cy=title_cy,
        file_sha256=checked.sha256,
        file_size=len(checked.content),
    )
    paper.file.save(f"paper-{checked.sha256[:16]}.pdf", ContentFile(checked.content), save=False)
    save_with_history(paper, actor=actor, reason="Paper uploaded")
    _agenda_changed(item.meeting_id)
    return paper


@transaction.atomic
def paper_write(
    *,
    item: AgendaItem,
    title: str = "",
    text: str = "",
    title_cy: str = "",
    text_cy: str = "",
    actor: Any = None,
) -> Paper:
    """Attach a paper written in the browser (rendered to PDF in the pack), in English,
    Welsh or both."""
    _require_preparer(actor)
    if not text.strip() and not text_cy.strip():
        raise ValidationError({"text": _("Write the paper's text.")})
    paper = Paper(
        item=item,
        kind=Paper.Kind.WRITTEN,
        title=title,
        title_cy=title_cy,
        text=text,
        text_cy=text_cy,
    )
    save_with_history(paper, actor=actor, reason="Paper written")
    _agenda_changed(item.meeting_id)
    return paper


@transaction.atomic
def paper_update_text(
    *,
    paper: Paper,
    title: str = "",
    text: str = "",
    title_cy: str = "",
    text_cy: str = "",
    actor: Any = None,
) -> Paper:
    """Edit a written paper (its title and text in English, Welsh or both)."""
    _require_preparer(actor)
    if paper.kind != Paper.Kind.WRITTEN:
        raise ValidationError(_("Only papers written in the browser can be edited here."))
    if not text.strip() and not text_cy.strip():
        raise ValidationError({"text": _("Write the paper's text.")})
    paper.title, paper.text = title, text
    paper.title_cy, paper.text_cy = title_cy, text_cy
    save_with_history(paper, actor=actor, reason="Paper edited")
    _agenda_changed(paper.item.meeting_id)
    return paper


@transaction.atomic
def paper_generate(
    *,
    item: AgendaItem,
    provider_key: str,
    value: str,
    title: str = "",
    title_cy: str = "",
    actor: Any = None,
) -> Paper:
    """Attach a generated paper from a registered provider ("latest" or one of its options);
    unless given, its title is the report's name and version, in English and in Welsh."""
    _require_preparer(actor)
    provider = registry.get(PaperProvider, provider_key)
    if provider is None:
        raise ValidationError({"provider_key": _("There is no report called %s.") % provider_key})
    if value != "latest":
        options = {option.value: option.label for option in provider.options()}
        if value not in options:
            raise ValidationError(
                {
                    "provider_value": _("%(report)s has no version %(value)s.")
                    % {"report": provider.label, "value": value}
                }
            )

    def named() -> str:
        # Called in each language: the option labels may be made in the active one.
        if value == "latest":
            label = _("latest")
        else:
            label = {option.value: option.label for option in provider.options()}[value]
        # A label fixed in English at registration is looked up in the active language.
        return f"{translation.gettext(str(provider.label))} ({label})"

    if not title and not title_cy:
        title, title_cy = in_both_languages(named)
    paper = Paper(
        item=item,
        kind=Paper.Kind.GENERATED,
        title=title,
        title_cy=title_cy,
        provider_key=provider_key,
        provider_value=value,
    )
    save_with_history(paper, actor=actor, reason="Generated paper added")
    _agenda_changed(item.meeting_id)
    return paper


@transaction.atomic
def paper_delete(*, paper: Paper, actor: Any = None) -> None:
    """Remove a paper from its item (the uploaded file stays in storage for earlier packs)."""
    _require_preparer(actor)
    meeting_id = paper.item.meeting_id
    stamp_history(paper, actor=actor)
    paper.delete()
    _agenda_changed(meeting_id)
