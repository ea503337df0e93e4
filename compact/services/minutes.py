"""Writes for minutes: general and item-by-item minutes, decisions and their numbers, the moves
of ``compact.minutes_procedure`` (circulate, approve, sign) and amendments to frozen minutes.

Officers write minutes (``actor=None`` is the system: the demo and commands). Every move is
guarded by the procedure's table; anything it does not list is refused with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact import minutes_procedure as procedure
from compact.links import ActionLinkTarget
from compact.minutes_procedure import MinutesStatus
from compact.models import (
    Action,
    ActionLink,
    AgendaItem,
    Decision,
    DecisionNumber,
    ItemMinutes,
    Meeting,
    Minutes,
    MinutesAmendment,
)
from compact.permissions import can_prepare_meeting
from compact.platform import registry
from compact.platform.history import delete_with_history, save_with_history
from compact.platform.locking import check_version


def _require_preparer(actor: Any) -> None:
    if actor is not None and not can_prepare_meeting(actor):
        raise PermissionDenied(_("Only Compact officers can prepare meetings."))


def _day(value: Any) -> str:
    return date_format(timezone.localtime(value), "d F Y") if value else ""


def _frozen_error(minutes: Minutes) -> ValidationError:
    return ValidationError(
        _(
            "These minutes were approved on %(date)s and are frozen: they cannot be edited. "
            "Record an amendment instead (who, when and why are kept)."
        )
        % {"date": _day(minutes.approved_on)}
    )


def _check_can_minute(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Minutes are drafted after the meeting has taken place."))


def _locked_minutes(meeting: Meeting, *, create: bool) -> Minutes | None:
    # Lock the meeting as well: two first drafts must not both create minutes.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").first()
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None and create:
        minutes = Minutes(meeting=meeting, text="")
    return minutes


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The body's next meeting that is not cancelled."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )


# --- Writing ------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    text: str,
    expected_version: int | None = None,
    actor: Any = None,
    text_cy: str | None = None,
) -> Minutes:
    """Draft or redraft a meeting's general minutes unless someone else saved them since
    ``expected_version`` (0: the editor saw none; None: no check, for system callers), then
    :class:`~compact.platform.locking.EditConflict` carries what is saved now; approved minutes
    are frozen. ``text_cy``: the Welsh (None leaves it as it is)."""
    _require_preparer(actor)
    _check_can_minute(meeting)
    if not text.strip() and not (text_cy or "").strip():
        raise ValidationError({"text": _("Write the minutes.")})
    minutes = _locked_minutes(meeting, create=True)
    assert minutes is not None
    welsh = minutes.text_cy if text_cy is None else text_cy
    if minutes.pk is None:
        minutes.text, minutes.text_cy = text, welsh
        save_with_history(minutes, actor=actor, reason="Minutes drafted")
        return minutes
    if not minutes.is_editable:
        raise _frozen_error(minutes)
    submitted = {"text": text} if text_cy is None else {"text": text, "text_cy": text_cy}
    check_version(minutes, expected_version=expected_version, submitted=submitted)
    if (minutes.text, minutes.text_cy) != (text, welsh):
        minutes.text, minutes.text_cy = text, welsh
        minutes.version += 1
        save_with_history(minutes, actor=actor, reason="Minutes redrafted")
    return minutes


@transaction.atomic
def item_minutes_save(
    *,
    item: AgendaItem,
    discussion: str,
    expected_version: int | None = None,
    actor: Any = None,
    discussion_cy: str | None = None,
) -> ItemMinutes:
    """Write or rewrite the discussion of one agenda item (the minutes are started if need
    be); a save at a stale version raises ``EditConflict``; frozen minutes are refused.
    ``discussion_cy``: the Welsh (None leaves it as it is)."""
    _require_preparer(actor)
    meeting = item.meeting
    _check_can_minute(meeting)
    minutes = _locked_minutes(meeting, create=True)
    assert minutes is not None
    if minutes.pk is None:
        save_with_history(minutes, actor=actor, reason="Minutes started")
    elif not minutes.is_editable:
        raise _frozen_error(minutes)
    entry = ItemMinutes.objects.select_for_update().filter(minutes=minutes, item=item).first()
    if entry is None:
        entry = ItemMinutes(
            minutes=minutes, item=item, discussion=discussion, discussion_cy=discussion_cy or ""
        )
        save_with_history(entry, actor=actor, reason="Item minuted")
        return entry
    welsh = entry.discussion_cy if discussion_cy is None else discussion_cy
    submitted = {"discussion": discussion}
    if discussion_cy is not None:
        submitted["discussion_cy"] = discussion_cy
    check_version(entry, expected_version=expected_version, submitted=submitted)
    if (entry.discussion, entry.discussion_cy) != (discussion, welsh):
        entry.discussion, entry.discussion_cy = discussion, welsh
        entry.version += 1
        save_with_history(entry, actor=actor, reason="Item minutes redrafted")
    return entry


def _give_number(decision: Decision, *, year: int) -> None:
    counter = DecisionNumber.objects.select_for_update().filter(year=year).first()
    if counter is None:
        counter = DecisionNumber.objects.create(year=year)
        counter = DecisionNumber.objects.select_for_update().get(pk=counter.pk)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    decision.year, decision.sequence = year, counter.last
    decision.numbered_on = timezone.now()


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem | None,
    text: str,
    meeting: Meeting | None = None,
    actor: Any = None,
    text_cy: str = "",
) -> Decision:
    """Record a decision taken on an item (or, with ``item=None``, in the general minutes of
    ``meeting``). In minutes already circulated it is numbered at once; a draft's decisions
    are numbered when the minutes are circulated. Frozen minutes take no new decisions."""
    _require_preparer(actor)
    meeting = item.meeting if item is not None else meeting
    if meeting is None:
        raise ValidationError(_("Choose the meeting or the item the decision was taken on."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting.")})
    if not text.strip() and not text_cy.strip():
        raise ValidationError({"text": _("Write the decision.")})
    _check_can_minute(meeting)
    minutes = _locked_minutes(meeting, create=True)
    assert minutes is not None
    if minutes.pk is None:
        save_with_history(minutes, actor=actor, reason="Minutes started")
    elif not minutes.is_editable:
        raise _frozen_error(minutes)
    decision = Decision(minutes=minutes, item=item, text=text.strip(), text_cy=text_cy.strip())
    if minutes.status in procedure.NUMBERED:
        _give_number(decision, year=meeting.date.year)
    save_with_history(decision, actor=actor, reason="Decision recorded")
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, actor: Any = None) -> None:
    """Remove a decision from draft minutes. A numbered decision stays: its number is never
    given again, and a correction to it is an amendment."""
    _require_preparer(actor)
    decision = Decision.objects.select_for_update().select_related("minutes").get(pk=decision.pk)
    if decision.sequence:
        raise ValidationError(
            _(
                "Decision %(number)s has been circulated with its number and cannot be removed. "
                "Record a correction as an amendment once the minutes are approved, or redraft "
                "its wording."
            )
            % {"number": decision.number}
        )
    if not decision.minutes.is_editable:
        raise _frozen_error(decision.minutes)
    delete_with_history(decision, actor=actor, reason="Decision removed from draft minutes")


@transaction.atomic
def decision_update(
    *, decision: Decision, text: str, actor: Any = None, text_cy: str | None = None
) -> Decision:
    """Redraft a decision's wording while its minutes are not yet approved (``text_cy``: the
    Welsh; None leaves it as it is)."""
    _require_preparer(actor)
    decision = Decision.objects.select_for_update().select_related("minutes").get(pk=decision.pk)
    if not decision.minutes.is_editable:
        raise _frozen_error(decision.minutes)
    welsh = decision.text_cy if text_cy is None else text_cy.strip()
    if not text.strip() and not welsh:
        raise ValidationError({"text": _("Write the decision.")})
    decision.text, decision.text_cy = text.strip(), welsh
    save_with_history(decision, actor=actor, reason="Decision redrafted")
    return decision


# --- The procedure ------------------------------------------------------------------------


def _number_decisions(minutes: Minutes) -> None:
    # Lock the decisions only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to their item.
    waiting = sorted(
        Decision.objects.select_for_update(of=("self",))
        .filter(minutes=minutes, sequence__isnull=True)
        .select_related("item"),
        key=lambda d: (d.item.position if d.item else 0, d.item_id or 0, d.pk),
    )
    for decision in waiting:
        _give_number(decision, year=minutes.meeting.date.year)
        save_with_history(decision, actor=None, reason="Numbered on circulation")


@transaction.atomic
def minutes_move(
    *, minutes: Minutes, target: str, at_meeting: Meeting | None = None, actor: Any = None
) -> Minutes:
    """Move minutes along ``compact.minutes_procedure.TRANSITIONS``: circulate (numbers the
    decisions), withdraw for redrafting, approve at a later meeting of the same body (the next
    one by default), record the chair's signature. Any other move is refused."""
    _require_preparer(actor)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    step = procedure.transition(minutes.status, target)
    if step is None:
        raise ValidationError(_refusal(minutes, target))
    meeting = minutes.meeting
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if target == MinutesStatus.CIRCULATED:
        if not (minutes.text.strip() or minutes.items.exists() or minutes.decisions.exists()):
            raise ValidationError(_("Write the minutes before circulating them."))
        minutes.circulated_on, minutes.circulated_by = now, user
        _number_decisions(minutes)
    elif target == MinutesStatus.APPROVED:
        if at_meeting is None:
            at_meeting = next_meeting(meeting)
            if at_meeting is None:
                raise ValidationError(
                    _("Minutes are approved at the next meeting; programme it first.")
                )
        if at_meeting.body_id != meeting.body_id or at_meeting.date <= meeting.date:
            raise ValidationError(_("Minutes are approved at a later meeting of the same body."))
        if at_meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("Minutes cannot be approved at a cancelled meeting."))
        minutes.approved_at_meeting = at_meeting
        minutes.approved_on, minutes.approved_by = now, user
    elif target == MinutesStatus.SIGNED:
        minutes.signed_on, minutes.signed_by = now, user
    minutes.status = target
    reason = f"Minutes: {step.label}"
    if at_meeting is not None and target == MinutesStatus.APPROVED:
        reason += f" at the meeting of {at_meeting.date}"
    save_with_history(minutes, actor=actor, reason=str(reason))
    return minutes


def _refusal(minutes: Minutes, target: str) -> str:
    if target == MinutesStatus.APPROVED and minutes.is_approved:
        if minutes.approved_at_meeting_id:
            return _("These minutes were already approved at the meeting of %(date)s.") % {
                "date": date_format(minutes.approved_at_meeting.date, "d F Y")
            }
        return _("These minutes were already approved.")
    if target == MinutesStatus.APPROVED and minutes.status == MinutesStatus.DRAFT:
        return _("Circulate the draft minutes before they are approved.")
    if target == MinutesStatus.SIGNED and not minutes.is_approved:
        return _("Minutes are signed once they are approved.")
    allowed = ", ".join(str(t.label) for t in procedure.transitions_from(minutes.status))
    message = _("Minutes that are %(status)s cannot be moved to %(target)s. Possible: %(allowed)s.")
    return message % {
        "status": minutes.get_status_display().lower(),
        "target": str(dict(MinutesStatus.choices).get(target, target)).lower(),
        "allowed": allowed or _("nothing"),
    }


def minutes_approve(
    *, minutes: Minutes, at_meeting: Meeting | None = None, actor: Any = None
) -> Minutes:
    """Approve circulated minutes at a later meeting of the same body (the next by default)."""
    return minutes_move(
        minutes=minutes, target=MinutesStatus.APPROVED, at_meeting=at_meeting, actor=actor
    )


def minutes_circulate(*, minutes: Minutes, actor: Any = None) -> Minutes:
    """Circulate draft minutes; their decisions are numbered."""
    return minutes_move(minutes=minutes, target=MinutesStatus.CIRCULATED, actor=actor)


# --- Amendments ---------------------------------------------------------------------------


@transaction.atomic
def minutes_amend(
    *,
    minutes: Minutes,
    text: str = "",
    reason: str = "",
    text_cy: str = "",
    reason_cy: str = "",
    item: AgendaItem | None = None,
    actor: Any = None,
) -> MinutesAmendment:
    """Record a correction to approved (frozen) minutes: the approved text is kept and the
    amendment is shown beside it with who made it, when and why (each in English, Welsh or
    both)."""
    _require_preparer(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_approved:
        raise ValidationError(
            _("These minutes are not approved yet: redraft them instead of amending them.")
        )
    if item is not None and item.meeting_id != minutes.meeting_id:
        raise ValidationError({"item": _("Choose an item of this meeting.")})
    errors = {}
    if not text.strip() and not text_cy.strip():
        errors["text"] = _("Write the amendment.")
    if not reason.strip() and not reason_cy.strip():
        errors["reason"] = _("Say why the approved minutes are amended.")
    if errors:
        raise ValidationError(errors)
    amendment = MinutesAmendment(
        minutes=minutes,
        item=item,
        text=text.strip(),
        text_cy=text_cy.strip(),
        reason=reason.strip(),
        reason_cy=reason_cy.strip(),
        made_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    amendment.full_clean()
    amendment.save()
    return amendment


# --- Action links -------------------------------------------------------------------------


def action_links_set(*, action: Action, links: Iterable[tuple[str, int]]) -> list[ActionLink]:
    """Link an action to rows of other apps (registered ``ActionLinkTarget`` keys); unknown
    targets or rows are refused. Called by ``action_add`` inside its transaction."""
    made = []
    for key, target_id in links:
        target = registry.get(ActionLinkTarget, key)
        if target is None or int(target_id) not in target.describe([int(target_id)]):
            raise ValidationError({"links": _("The linked row no longer exists.")})
        link, _created = ActionLink.objects.get_or_create(
            action=action, target=key, target_id=int(target_id)
        )
        made.append(link)
    return made
