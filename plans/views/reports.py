"""Issued updates and their reports: lists, the report with changes in blue, PDFs and
exports, comparing updates, the working draft's changes, issuing an update, the Board paper's
cover and the progress report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact.platform.access import ALL_ROLES, Role, has_role, public, roles_required
from compact.platform.background import offer_or_start
from compact.platform.forms import apply_validation_error
from compact.platform.pdf.languages import (
    language_suffix,
    language_url,
    other_paper_languages,
    paper_language,
    paper_language_choices,
    paper_language_or_404,
)
from compact.platform.throttle import public_pdf_allowed, too_many_requests
from plans.forms.reports import CompareForm, IssueUpdateForm, PaperForm
from plans.models import ImplementationPlan, PlanUpdate
from plans.permissions import can_issue_update
from plans.report_docx import DOCX_CONTENT_TYPE, export_docx
from plans.report_files import (
    COMPARE_PDF,
    DRAFT_PDF,
    PROGRESS_PDF,
    compare_choice,
    compare_comparison,
    compare_pdf,
    draft_comparison,
    progress_context,
    progress_pdf,
)
from plans.reports import (
    describe,
    export_csv,
    export_xlsx,
    format_date,
    render_report_html,
    update_comparison,
)
from plans.reports import update_report_pdf as cached_update_pdf
from plans.selectors.reports import (
    PlanComparison,
    issue_state,
    plan_updates,
    update_by_number,
)


def _issued_update(plan: ImplementationPlan, number: int) -> PlanUpdate:
    update = update_by_number(plan, number)
    if update is None:
        raise Http404("No such update")
    return update


def _readable_plan(request: HttpRequest, slug: str) -> ImplementationPlan:
    """The plan, if this visitor may read its issued updates; 404 otherwise."""
    plan = get_object_or_404(ImplementationPlan.objects.select_related("compact"), slug=slug)
    if not (plan.is_public or has_role(request.user, *ALL_ROLES)):
        raise Http404("No such plan")
    return plan


def _officer_plan(slug: str) -> ImplementationPlan:
    return get_object_or_404(ImplementationPlan.objects.select_related("compact"), slug=slug)


def _key(plan: ImplementationPlan, request: HttpRequest) -> str:
    """What a background producer needs to make the same PDF: the slug and the query."""
    return f"{plan.slug}?{request.GET.urlencode()}"


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _report_links(
    request: HttpRequest, plan: ImplementationPlan, *, post_pdf: bool = False, **urls: str
) -> list[dict]:
    """The links above a report. ``post_pdf``: the PDF is made in the background, so its entry
    is a button that POSTs (``post``), never a link a GET could follow."""
    labels = {
        "full": _("Full report"),
        "changes": _("Changes only"),
        "pdf": _("Download PDF"),
        "csv": _("Download CSV"),
        "xlsx": _("Download Excel"),
        "docx": _("Download Word"),
        "docx_deletions": _("Download Word with deletions struck through"),
        "list": _("All updates"),
    }
    links = []
    for name, url in urls.items():
        links.append({"url": url, "label": labels[name], "post": post_pdf and name == "pdf"})
        if name == "pdf":
            links += [
                {"url": language_url(url, code), "label": label, "post": post_pdf}
                for code, label in other_paper_languages()
            ]
        if name == "docx":
            # The Word file in the other languages too, as the PDF (the English one imports).
            links += [
                {
                    "url": language_url(url, code),
                    "label": _("Download Word: %(language)s") % {"language": language_name},
                    "post": False,
                }
                for code, language_name in paper_language_choices()
                if code != paper_language()
            ]
    links.append({"url": reverse("plans:update_list", args=[plan.slug]), "label": labels["list"]})
    return links


def _render_report(
    request: HttpRequest,
    comparison: PlanComparison,
    *,
    changes_only: bool = False,
    links: list[dict] | None = None,
) -> HttpResponse:
    extra = {
        "report_links": links,
        "can_edit_paper": comparison.until is not None
        and can_issue_update(request.user, comparison.plan),
    }
    html = render_report_html(comparison, request=request, changes_only=changes_only, extra=extra)
    return HttpResponse(html)


@public
@require_GET
def update_index(request: HttpRequest) -> HttpResponse:
    """The plans this visitor may read, each with its latest issued update."""
    plans = ImplementationPlan.objects.order_by("-created_at")
    if not has_role(request.user, *ALL_ROLES):
        plans = plans.filter(is_public=True)
    plans = list(plans)
    latest: dict[int, PlanUpdate] = {}
    for update in PlanUpdate.objects.filter(plan__in=plans).order_by("plan_id", "number"):
        latest[update.plan_id] = update
    if len(plans) == 1 and plans[0].pk in latest:
        return redirect("plans:update_list", slug=plans[0].slug)
    entries = [{"plan": plan, "latest": latest.get(plan.pk)} for plan in plans]
    return render(request, "plans/update_index.html", {"entries": entries})


@public
@require_GET
def update_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _readable_plan(request, slug)
    updates = list(plan_updates(plan))
    return render(
        request,
        "plans/update_list.html",
        {
            "plan": plan,
            "updates": updates,
            "is_officer": has_role(request.user, Role.OFFICER),
            "compare_form": CompareForm(updates=updates) if len(updates) > 1 else None,
        },
    )


def _update_links(request: HttpRequest, plan: ImplementationPlan, number: int) -> list[dict]:
    args = [plan.slug, number]
    return _report_links(
        request,
        plan,
        full=reverse("plans:update_report", args=args),
        changes=reverse("plans:update_changes", args=args),
        pdf=reverse("plans:update_report_pdf", args=args),
        csv=reverse("plans:update_export", args=[*args, "csv"]),
        xlsx=reverse("plans:update_export", args=[*args, "xlsx"]),
        docx=reverse("plans:update_word", args=args),
        docx_deletions=reverse("plans:update_word", args=args) + "?deletions=1",
    )


@public
@require_GET
def update_report(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The plan as at Update N with every change from Update N-1 marked."""
    plan = _readable_plan(request, slug)
    update = _issued_update(plan, number)
    update.plan = plan
    return _render_report(
        request, update_comparison(update), links=_update_links(request, plan, number)
    )


@public
@require_GET
def update_changes(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Only what changed in Update N."""
    plan = _readable_plan(request, slug)
    update = _issued_update(plan, number)
    update.plan = plan
    return _render_report(
        request,
        update_comparison(update),
        changes_only=True,
        links=_update_links(request, plan, number),
    )


@public
@require_GET
def update_report_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The PDF of Update N's report, rendered once and then served from the cache."""
    plan = _readable_plan(request, slug)
    update = _issued_update(plan, number)
    update.plan = plan
    language = paper_language_or_404(request)
    return _pdf_response(
        cached_update_pdf(update, language),
        f"{plan.slug}-update-{number}{language_suffix(language)}.pdf",
    )


def _export_response(comparison: PlanComparison, fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(export_csv(comparison), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(comparison),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@public
@require_GET
def update_export(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    """Update N's rows as CSV or Excel, each with the change it carries."""
    plan = _readable_plan(request, slug)
    update = _issued_update(plan, number)
    update.plan = plan
    return _export_response(update_comparison(update), fmt, f"{plan.slug}-update-{number}")


@public
@require_GET
def update_word(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Update N's report as the Board's Word table; ``?deletions=1`` keeps the deleted words,
    struck through (as the report page's switch); ``?language=cy|en|bilingual`` (default: the
    reader's, as the PDFs; only the English file imports back)."""
    plan = _readable_plan(request, slug)
    update = _issued_update(plan, number)
    update.plan = plan
    language = paper_language_or_404(request)
    content = export_docx(
        update_comparison(update),
        show_deletions=request.GET.get("deletions") == "1",
        language=language,
    )
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    name = f"{plan.slug}-update-{number}{language_suffix(language)}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
@require_GET
def update_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Any two issued updates compared: the newer one with the changes since the older."""
    plan = _readable_plan(request, slug)
    form, comparison = compare_comparison(request.GET, plan)
    if comparison is None:
        return render(request, "plans/update_compare.html", {"plan": plan, "form": form})
    query = request.GET.urlencode()
    links = _report_links(
        request,
        plan,
        # A visitor who is not signed in gets the PDF in the request: a plain link will do.
        post_pdf=request.user.is_authenticated,
        pdf=reverse("plans:update_compare_pdf", args=[plan.slug]) + "?" + query,
    )
    return _render_report(
        request, comparison, changes_only=request.GET.get("only") == "changes", links=links
    )


@public
@require_http_methods(["GET", "POST"])
def update_compare_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Made in the background for a signed-in reader (offered on GET, queued on POST, then the
    status page); a visitor to a public plan, who has no account to own a file, gets it
    rendered in the request, which changes nothing."""
    plan = _readable_plan(request, slug)
    paper_language_or_404(request)  # an unknown language: 404 before anything is queued
    if request.user.is_authenticated:
        _form, chosen = compare_choice(request.GET, plan)
        if chosen is None:
            raise Http404("Choose two updates to compare")
        return offer_or_start(request, kind=COMPARE_PDF, key=_key(plan, request))
    if not public_pdf_allowed(request):
        return too_many_requests(request)
    pdf, filename = compare_pdf(plan, request.GET)
    return _pdf_response(pdf, filename)


@roles_required(Role.OFFICER)
@require_GET
def draft_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """The working draft with its changes since the last update (not issued)."""
    plan = _officer_plan(slug)
    links = _report_links(
        request,
        plan,
        full=reverse("plans:draft_changes", args=[plan.slug]),
        changes=reverse("plans:draft_changes", args=[plan.slug]) + "?only=changes",
        post_pdf=True,
        pdf=reverse("plans:draft_pdf", args=[plan.slug]),
    )
    return _render_report(
        request,
        draft_comparison(plan),
        changes_only=request.GET.get("only") == "changes",
        links=links,
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def draft_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Made in the background: offered on GET, queued on POST; the status page then offers
    the PDF when the worker has made it."""
    plan = _officer_plan(slug)
    language = paper_language_or_404(request) if request.GET.get("language") else ""
    key = f"{plan.slug}?language={language}" if language else plan.slug
    return offer_or_start(request, kind=DRAFT_PDF, key=key)


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def update_issue(request: HttpRequest, slug: str) -> HttpResponse:
    """Preview the changes since the last update, then issue the next update."""
    from plans import services

    plan = _officer_plan(slug)
    comparison = draft_comparison(plan)
    next_number = comparison.since.number + 1 if comparison.since else 1
    form = IssueUpdateForm(request.POST or None, next_number=next_number, state=issue_state(plan))
    if request.method == "POST" and form.is_valid():
        try:
            update = services.plan_update_issue(
                plan=plan,
                actor=request.user,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
                expected_state=form.cleaned_data["state"],
                purpose=form.cleaned_data["purpose"],
                recommendation=form.cleaned_data["recommendation"],
                summary_cy=form.cleaned_data["summary_cy"],
                purpose_cy=form.cleaned_data["purpose_cy"],
                recommendation_cy=form.cleaned_data["recommendation_cy"],
            )
        except services.AlreadyIssued as already:
            messages.info(request, already.messages[0])
            return redirect("plans:update_report", slug=plan.slug, number=already.update.number)
        except ValidationError as error:
            if getattr(error, "code", None) == "draft_moved":
                # Show the new preview with the new state, keeping what the officer typed.
                data = request.POST.copy()
                data["state"] = issue_state(plan)
                form = IssueUpdateForm(data, state=data["state"], next_number=next_number)
                form.is_valid()
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Update %(number)s dated %(date)s issued.")
                % {"number": update.number, "date": format_date(update.date)},
            )
            return redirect("plans:update_report", slug=plan.slug, number=update.number)
    comparison = draft_comparison(plan)
    return render(
        request,
        "plans/update_issue.html",
        {
            "plan": plan,
            "form": form,
            "since": comparison.since,
            "changes": comparison.changes,
            "objectives": comparison.changes.changed_only(),
            "since_label": describe(comparison).since_label,
            "for_pdf": False,
        },
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def update_paper_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Edit the purpose and recommendation on an issued update's Board paper."""
    from plans import services

    plan = _officer_plan(slug)
    update = _issued_update(plan, number)
    update.plan = plan
    start = {
        "purpose": update.paper_purpose,
        "recommendation": update.paper_recommendation,
        "original_purpose": update.paper_purpose,
        "original_recommendation": update.paper_recommendation,
        "purpose_cy": update.paper_purpose_cy,
        "recommendation_cy": update.paper_recommendation_cy,
        "original_purpose_cy": update.paper_purpose_cy,
        "original_recommendation_cy": update.paper_recommendation_cy,
    }
    form = PaperForm(request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        welsh_sent = "original_purpose_cy" in request.POST
        try:
            services.plan_update_paper_edit(
                update=update,
                actor=request.user,
                purpose=data["purpose"],
                recommendation=data["recommendation"],
                # A form without the Welsh (an older page) leaves the Welsh as it is.
                purpose_cy=data["purpose_cy"] if welsh_sent else None,
                recommendation_cy=data["recommendation_cy"] if welsh_sent else None,
                expected=(
                    data["original_purpose"],
                    data["original_recommendation"],
                    *(
                        (data["original_purpose_cy"], data["original_recommendation_cy"])
                        if welsh_sent
                        else ()
                    ),
                ),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The Board paper's purpose and recommendation are saved."))
            return redirect("plans:update_report", slug=plan.slug, number=update.number)
    return render(
        request,
        "plans/update_paper_form.html",
        {"plan": plan, "update": update, "form": form},
        status=400 if form.errors else 200,
    )


@public
@require_GET
def plan_progress_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Annual progress: per objective, the rows achieved between two updates or dates."""
    plan = _readable_plan(request, slug)
    context = progress_context(request.GET, plan)
    context.update(for_pdf=False, base_template="base.html")
    context["pdf_url"] = (
        reverse("plans:progress_pdf", args=[plan.slug]) + "?" + request.GET.urlencode()
    )
    # Signed in, the PDF is queued, so the page asks for it with a POST (see progress_pdf).
    context["pdf_post"] = request.user.is_authenticated
    return render(request, "plans/progress_report.html", context)


@public
@require_http_methods(["GET", "POST"])
def plan_progress_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Like the compare PDF: in the background for a signed-in reader (offered on GET, queued
    on POST), in the request for a visitor to a public plan."""
    plan = _readable_plan(request, slug)
    paper_language_or_404(request)  # an unknown language: 404 before anything is queued
    if request.user.is_authenticated:
        return offer_or_start(request, kind=PROGRESS_PDF, key=_key(plan, request))
    if not public_pdf_allowed(request):
        return too_many_requests(request)
    return _pdf_response(progress_pdf(plan, request.GET), f"{slug}-progress.pdf")
