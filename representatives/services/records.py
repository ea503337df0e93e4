"""Declarations of interest, feedback reports and sector issues."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Body, Person
from compact.platform.access import Role, has_role
from compact.platform.history import save_with_history
from partnerships.models import Partnership
from representatives.models import (
    Appointment,
    Declaration,
    FeedbackReport,
    SectorIssue,
)
from representatives.services.common import _require_officer, _today


def _own_person(actor: Any) -> Person:
    person = Person.objects.filter(user=actor).first()
    if person is None or not has_role(actor, Role.REPRESENTATIVE):
        raise PermissionDenied(_("Only representatives declare interests and file reports."))
    return person


def _check_declaration(
    kind: str, partnership: Partnership | None, meeting_date: Any, item: str
) -> None:
    if kind == Declaration.Kind.MEETING_ITEM and not (partnership and meeting_date and item):
        raise ValidationError(
            _("For a meeting item, give the partnership, the meeting date and the item.")
        )


@transaction.atomic
def declaration_create(
    *,
    kind: str,
    interest: str,
    actor: Any,
    partnership: Partnership | None = None,
    meeting_date: datetime.date | None = None,
    item: str = "",
    action_taken: str = "",
) -> Declaration:
    """A representative declares an interest, general or for a partnership meeting item."""
    person = _own_person(actor)
    _check_declaration(kind, partnership, meeting_date, item)
    declaration = Declaration(
        person=person,
        kind=kind,
        partnership=partnership,
        meeting_date=meeting_date,
        item=item.strip(),
        interest=interest.strip(),
        action_taken=action_taken.strip(),
    )
    save_with_history(declaration, actor=actor, reason="Declared")
    return declaration


@transaction.atomic
def declaration_update(*, declaration: Declaration, actor: Any, **fields: Any) -> Declaration:
    """A representative edits their own declaration."""
    person = _own_person(actor)
    if declaration.person_id != person.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(declaration, name, value.strip() if isinstance(value, str) else value)
    _check_declaration(
        declaration.kind, declaration.partnership, declaration.meeting_date, declaration.item
    )
    save_with_history(declaration, actor=actor, reason="Updated")
    return declaration


@transaction.atomic
def feedback_file(
    *,
    appointment: Appointment,
    meeting_date: datetime.date,
    discussed: str,
    actor: Any,
    issues_raised: str = "",
    sector_should_know: str = "",
) -> FeedbackReport:
    """After a partnership meeting the representative files a short report."""
    person = _own_person(actor)
    if appointment.person_id != person.pk:
        raise PermissionDenied
    if meeting_date > _today():
        raise ValidationError({"meeting_date": _("Report on a meeting that has happened.")})
    report = FeedbackReport(
        appointment=appointment,
        meeting_date=meeting_date,
        discussed=discussed.strip(),
        issues_raised=issues_raised.strip(),
        sector_should_know=sector_should_know.strip(),
    )
    save_with_history(report, actor=actor, reason="Filed")
    return report


@transaction.atomic
def feedback_update(*, report: FeedbackReport, actor: Any, **fields: Any) -> FeedbackReport:
    """The representative edits their own report until VAMT publishes it."""
    person = _own_person(actor)
    if report.appointment.person_id != person.pk:
        raise PermissionDenied
    if report.status == FeedbackReport.Status.PUBLISHED:
        raise ValidationError(_("This report has been published and can no longer be edited."))
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    save_with_history(report, actor=actor, reason="Updated")
    return report


@transaction.atomic
def feedback_publish(*, report: FeedbackReport, forum: Body, actor: Any) -> FeedbackReport:
    """A VAMT officer publishes a filed report to the relevant forum or network."""
    _require_officer(actor)
    report = FeedbackReport.objects.select_for_update().get(pk=report.pk)
    if report.status == FeedbackReport.Status.PUBLISHED:
        raise ValidationError(_("This report has already been published."))
    if forum.kind != Body.Kind.NETWORK:
        raise ValidationError({"forum": _("Publish to a forum or network.")})
    report.status = FeedbackReport.Status.PUBLISHED
    report.published_to = forum
    report.published_at = timezone.now()
    report.published_by = actor
    save_with_history(report, actor=actor, reason="Published")
    return report


@transaction.atomic
def sector_issue_queue(
    *, appointment: Appointment, issue: str, actor: Any, raised_through: Body | None = None
) -> SectorIssue:
    """VAMT queues an issue collected from the sector for the representative to take."""
    _require_officer(actor)
    if not appointment.is_current:
        raise ValidationError(_("Queue issues only for a current representative."))
    sector_issue = SectorIssue(
        appointment=appointment, issue=issue.strip(), raised_through=raised_through, queued_by=actor
    )
    save_with_history(sector_issue, actor=actor, reason="Queued")
    return sector_issue


@transaction.atomic
def sector_issue_take(*, sector_issue: SectorIssue, outcome: str, actor: Any) -> SectorIssue:
    """The representative records that they took the issue to the partnership."""
    person = _own_person(actor)
    if sector_issue.appointment.person_id != person.pk:
        raise PermissionDenied
    if sector_issue.status == SectorIssue.Status.TAKEN:
        raise ValidationError(_("This issue has already been taken to the partnership."))
    sector_issue.status = SectorIssue.Status.TAKEN
    sector_issue.taken_at = timezone.now()
    sector_issue.outcome = outcome.strip()
    save_with_history(sector_issue, actor=actor, reason="Taken")
    return sector_issue
