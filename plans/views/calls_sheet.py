"""A contributor answers an update call by spreadsheet: download only my rows of the call,
upload them edited; each changed line becomes a proposal (nothing in the plan changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans.forms.progress import MyRowsUploadForm
from plans.models import Outcome, Proposal, UpdateCall
from plans.selectors.progress import progress_sheet_file
from plans.services import calls as services
from plans.services.progress import ProgressImportError, RowChange, import_progress
from plans.views.calls import _asked_call, contributors_only


def _closed_message(call: UpdateCall) -> str:
    return _(
        "This call closed on %(date)s: proposals can no longer be sent or changed, by form or "
        "by spreadsheet."
    ) % {"date": date_format(call.deadline, "j F Y")}


def _mine(request: HttpRequest, pk: int) -> tuple[UpdateCall, Any, list[Outcome]]:
    """The call and my rows in it; 404 to anyone it asked for no rows (officers included)."""
    call, person, rows = _asked_call(request, pk)
    if not rows or person is None:
        raise Http404
    return call, person, rows


@contributors_only
@require_GET
def my_rows_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """My rows of the call as the progress spreadsheet (Excel), to fill in and upload."""
    call, _person, rows = _mine(request, pk)
    sheet = progress_sheet_file(
        call.plan, "xlsx", outcomes=Outcome.objects.filter(pk__in=[row.pk for row in rows])
    )
    response = HttpResponse(sheet.content, content_type=sheet.content_type)
    filename = sheet.filename.replace("-progress-", f"-call{call.number}-my-rows-")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@contributors_only
@require_http_methods(["GET", "POST"])
def my_rows_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload my rows edited: all or nothing; each changed line becomes (or revises) my
    proposal for that row. Only the proposal fields may change."""
    call, person, rows = _mine(request, pk)
    open_for_answers = call.accepts_answers()
    form = MyRowsUploadForm(request.POST or None, request.FILES or None)
    problems = []
    status = 200
    if request.method == "POST" and not open_for_answers:
        messages.error(request, _closed_message(call))
        status = 422
    elif request.method == "POST" and form.is_valid():
        asked = {row.pk: row for row in rows}

        def on_row(change: RowChange) -> None:
            if change.outcome.pk not in asked:
                raise ValidationError(
                    _("row %(pk)d was not asked of you in this call; delete this line.")
                    % {"pk": change.outcome.pk}
                )
            earlier: Proposal | None = getattr(asked[change.outcome.pk], "proposal", None)
            # Cells left as downloaded keep what I proposed earlier in the browser.
            kept = earlier.values() if earlier is not None else {}
            services.propose(
                call=call,
                row=change.outcome,
                user=request.user,
                fields={**kept, **change.fields},
                note=earlier.note if earlier is not None else "",
                base_version=change.base_version,
                person=person,
            )

        try:
            result = import_progress(
                form.cleaned_data["file"],
                call.plan,
                request.user,
                on_row=on_row,
                editable=services.PROPOSAL_FIELDS,
            )
        except ProgressImportError as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _(
                    "Spreadsheet read. Proposals saved: %(changed)s; "
                    "rows unchanged: %(unchanged)s. "
                    "Nothing changes in the plan until an officer has reviewed them."
                )
                % {"changed": len(result.changes), "unchanged": result.unchanged},
            )
            return redirect("plans:my_rows", pk=call.pk)
        status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "plans/calls/my_rows_upload.html",
        {
            "call": call,
            "plan": call.plan,
            "form": form,
            "problems": problems,
            "rows": rows,
            "open_for_answers": open_for_answers,
            "closed_message": "" if open_for_answers else _closed_message(call),
        },
        status=status,
    )
