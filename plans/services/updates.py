"""Issuing updates of the plan, their stored snapshots and their Board paper's cover (see
:mod:`plans.services`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.platform.history import save_with_history
from compact.platform.language import text_of
from compact.services.notifications import notify_board
from plans.models import ImplementationPlan, PlanUpdate
from plans.permissions import can_issue_update
from plans.selectors.reports import (
    build_snapshot_blobs,
    draft_changed_since,
    issue_state,
    missing_snapshots,
)
from plans.services.items import _locked
from plans.snapshots import save_snapshots


def check_update_date(*, plan: ImplementationPlan, date: datetime.date) -> None:
    """Refuse a date the next update of ``plan`` may not have (PlanUpdate.clean holds the rule);
    for forms that check before the service issues."""
    PlanUpdate(plan=plan, date=date).clean()


class AlreadyIssued(ValidationError):
    """The update the officer was about to issue has been issued already (a second click, or
    another officer first): ``update`` is the one that was issued."""

    def __init__(self, message: str, *, update: PlanUpdate) -> None:
        super().__init__(message, code="already_issued")
        self.update = update


@transaction.atomic
def plan_update_issue(
    *,
    plan: ImplementationPlan,
    actor: Any,
    date: datetime.date,
    summary: str = "",
    number: int | None = None,
    expected_state: str | None = None,
    notify: bool = True,
    purpose: str = "",
    recommendation: str = "",
    summary_cy: str = "",
    purpose_cy: str = "",
    recommendation_cy: str = "",
) -> PlanUpdate:
    """Issue the next update of the plan, freezing the plan as it stands now. Its date may not
    be before the previous update's nor more than a year ahead (PlanUpdate.clean).

    Given ``expected_state`` (what the officer previewed, see
    :func:`plans.selectors.reports.issue_state`), it issues only while nothing was issued or
    edited since, and only when the plan changed since the previous update: issuing twice (a
    double click, two officers at once) issues once. Imports and scripts pass no state.
    ``number`` is for imports that continue a paper series (above the previous number).
    The Board is told by e-mail as each member chose (after commit); ``notify=False`` only for
    importing past papers, which is not news. ``purpose`` and ``recommendation`` head the Board
    paper; left blank they take the default wording for this update's number."""
    if actor is not None and not can_issue_update(actor, plan):
        raise PermissionDenied(_("Only officers may issue an update of the plan."))
    # The lock makes issuing one at a time per plan: a second request waits here, then sees
    # the first one's update below and is refused.
    ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
    previous = PlanUpdate.objects.filter(plan=plan).order_by("-number").first()
    if expected_state is not None and expected_state != issue_state(plan):
        expected_number = expected_state.partition("|")[0]
        if previous is not None and expected_number != str(previous.number):
            raise AlreadyIssued(
                _(
                    "Update %(number)s was issued at %(time)s while you were on this page, so "
                    "it was not issued again. Here it is."
                )
                % {
                    "number": previous.number,
                    "time": f"{timezone.localtime(previous.issued_at):%H:%M:%S}",
                },
                update=previous,
            )
        raise ValidationError(
            _(
                "The plan was edited while you were on this page: check the preview of the "
                "changes below again, then issue."
            ),
            code="draft_moved",
        )
    if (
        expected_state is not None
        and previous is not None
        and not draft_changed_since(plan, previous.issued_at)
    ):
        raise ValidationError(
            _(
                "Nothing has changed since Update %(number)s was issued, so there is nothing to "
                "issue: edit the plan first."
            )
            % {"number": previous.number},
            code="nothing_to_issue",
        )
    next_number = previous.number + 1 if previous else 1
    if number is not None:
        if number < next_number:
            raise ValidationError(
                {"number": _("The update number must be at least %d.") % next_number}
            )
        next_number = number
    update = PlanUpdate(
        plan=plan,
        number=next_number,
        date=date,
        summary=summary,
        summary_cy=summary_cy,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    update.purpose = purpose.strip() or PlanUpdate.default_purpose(next_number)
    update.recommendation = recommendation.strip() or PlanUpdate.default_recommendation()
    update.purpose_cy, update.recommendation_cy = purpose_cy.strip(), recommendation_cy.strip()
    with translation.override("cy"):  # the default wording in Welsh beside the English one
        if not (purpose.strip() or update.purpose_cy):
            update.purpose_cy = PlanUpdate.default_purpose(next_number)
        if not (recommendation.strip() or update.recommendation_cy):
            update.recommendation_cy = PlanUpdate.default_recommendation()
    save_with_history(update, actor=actor, reason=_("Issued Update %d") % next_number)
    # Frozen from now on: store the plan as it stands at issued_at, for the reports.
    snapshots_store(plan, [update])
    if notify:
        _notify_board_of_update(plan, update)
    return update


def snapshots_store(plan: ImplementationPlan, updates: Sequence[PlanUpdate]) -> int:
    """Store the snapshots of those ``updates`` that lack one in the current format (built from
    history at each ``issued_at``); returns how many were stored. Issuing calls it for the new
    update; ``manage.py store_snapshots`` for every update after a format change."""
    missing = missing_snapshots(updates)
    if missing:
        save_snapshots(build_snapshot_blobs(plan, missing))
    return len(missing)


def _notify_board_of_update(plan: ImplementationPlan, update: PlanUpdate) -> None:
    notify_board(
        kind="plans.update_issued",
        key=f"{plan.pk}:{update.number}",
        # Made in each language: the plan's title and the month in the reader's.
        subject=lambda: (
            _("%(plan)s: Update %(number)s issued (%(date)s)")
            % {
                "plan": text_of(plan, "title"),
                "number": update.number,
                "date": date_format(update.date, "j F Y"),
            }
        ),
        summary=update.summary,
        summary_cy=update.summary_cy,
        path=reverse("plans:update_report", kwargs={"slug": plan.slug, "number": update.number}),
    )


@transaction.atomic
def plan_update_paper_edit(
    *,
    update: PlanUpdate,
    actor: Any,
    purpose: str,
    recommendation: str,
    expected: tuple[str, ...] | None = None,
    purpose_cy: str | None = None,
    recommendation_cy: str | None = None,
) -> PlanUpdate:
    """Change the purpose and recommendation on an issued update's Board paper; the frozen
    report is untouched. ``expected`` is the (purpose, recommendation[, purpose_cy,
    recommendation_cy]) the editor started from: if someone saved other text since, nothing
    is written (no silent overwrite). The Welsh is left as it is when not given."""
    if actor is not None and not can_issue_update(actor, update.plan):
        raise PermissionDenied(_("Only officers may edit a Board paper's purpose."))
    locked = _locked(PlanUpdate, update.pk)
    purpose, recommendation = purpose.strip(), recommendation.strip()
    errors = {}
    if not purpose:
        errors["purpose"] = _("Say what the paper is for.")
    if not recommendation:
        errors["recommendation"] = _("Say what the Board is asked to do.")
    if errors:
        raise ValidationError(errors)
    saved = (locked.paper_purpose, locked.paper_recommendation, locked.paper_purpose_cy,
             locked.paper_recommendation_cy)  # fmt: skip
    if expected is not None and tuple(expected) != saved[: len(expected)]:
        raise ValidationError(
            _(
                "Someone else changed this paper's purpose or recommendation while you were "
                "editing. Nothing was saved: reload the page to see their text."
            )
        )
    welsh = (
        locked.purpose_cy if purpose_cy is None else purpose_cy.strip(),
        locked.recommendation_cy if recommendation_cy is None else recommendation_cy.strip(),
    )
    if (locked.purpose, locked.recommendation, locked.purpose_cy, locked.recommendation_cy) == (
        purpose, recommendation, *welsh
    ):  # fmt: skip
        return locked
    locked.purpose, locked.recommendation = purpose, recommendation
    locked.purpose_cy, locked.recommendation_cy = welsh
    save_with_history(
        locked, actor=actor, reason=_("Board paper: purpose and recommendation edited")
    )
    return locked
