"""The progress spreadsheet in the browser: download the plan's rows, upload them edited."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans.forms.progress import ProgressUploadForm
from plans.models import ImplementationPlan
from plans.selectors.progress import progress_sheet_file
from plans.services.progress import ProgressImportError, import_progress
from plans.views.common import _form_errors_status, _plan_url, officers


@officers
@require_GET
def progress_sheet(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The plan's rows as an Excel or CSV file to fill in and upload again."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    sheet = progress_sheet_file(plan, "csv" if fmt == "csv" else "xlsx")
    response = HttpResponse(sheet.content, content_type=sheet.content_type)
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename}"'
    return response


@officers
@require_http_methods(["GET", "POST"])
def progress_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload an edited progress spreadsheet: all or nothing, every problem listed."""
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    form = ProgressUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_progress(
                form.cleaned_data["file"],
                plan,
                request.user,
                reason=form.cleaned_data["reason"],
            )
        except ProgressImportError as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _(
                    "Spreadsheet imported: %(changed)s rows changed (%(merged)s merged with "
                    "changes saved since the download), %(unchanged)s unchanged."
                )
                % {
                    "changed": len(result.changes),
                    "merged": result.merged,
                    "unchanged": result.unchanged,
                },
            )
            return redirect(_plan_url(plan))
    status = 422 if problems else _form_errors_status(form)
    return render(
        request,
        "plans/progress_upload.html",
        {"plan": plan, "form": form, "problems": problems},
        status=status,
    )
