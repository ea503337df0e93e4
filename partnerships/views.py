"""Views of the partnerships register: thin, each parses a form and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact.platform.access import Role, public, roles_required, signed_in
from compact.platform.background import offer_or_start
from compact.platform.forms import apply_validation_error
from compact.platform.language import text_of
from compact.platform.locking import conflict_page
from compact.platform.pdf.languages import paper_language_or_404
from compact.platform.uploads import DOCUMENTS, upload_response
from compact.selectors import compact_current
from partnerships import papers, selectors, services, spreadsheets
from partnerships.forms import (
    ChecklistForm,
    ImportForm,
    PartnershipForm,
    PlaceForm,
    RegisterFilterForm,
    RegisterSettingsForm,
    ReviewForm,
    VersionedForm,
)
from partnerships.models import ComplianceCheck, Partnership, Review, ThirdSectorPlace
from partnerships.permissions import (
    can_edit_register,
    can_view_contact_details,
    can_view_matrix,
)

officers_only = roles_required(Role.OFFICER)
board_and_officers = roles_required(Role.BOARD, Role.OFFICER)


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@signed_in
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    rows = selectors.register_rows(form.filters() if form.is_bound else None)
    return render(
        request,
        "partnerships/register_list.html",
        {
            "form": form,
            "rows": rows,
            "can_edit": can_edit_register(request.user),
            "can_view_matrix": can_view_matrix(request.user),
            "export_query": request.GET.urlencode(),
            "published": selectors.register_is_published(),
        },
    )


@signed_in
@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    rows = selectors.register_rows(form.filters() if form.is_bound else None)
    stamp = timezone.localdate().isoformat()
    return _csv_response(spreadsheets.register_csv(rows), f"partnerships-{stamp}.csv")


@signed_in
@require_GET
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        detail = selectors.partnership_detail(slug=slug)
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "detail": detail,
            "partnership": detail.partnership,
            "can_edit": can_edit_register(request.user),
            "show_contacts": can_view_contact_details(request.user),
        },
    )


@signed_in
@require_GET
def terms_of_reference(request: HttpRequest, slug: str) -> FileResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not partnership.terms_of_reference:
        raise Http404
    try:
        handle = partnership.terms_of_reference.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = partnership.terms_of_reference.name.rsplit("/", 1)[-1]
    kind = next((k for k in DOCUMENTS if filename.lower().endswith(k.extensions)), None)
    return upload_response(
        handle,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )


def _form_page(request: HttpRequest, form: BaseForm, **context: Any) -> HttpResponse:
    return render(request, "partnerships/form.html", {"form": form, **context})


def _conflict(
    request: HttpRequest,
    conflict: services.EditConflict,
    form_class: type[VersionedForm],
    url_name: str,
    *,
    multipart: bool = False,
) -> HttpResponse:
    """The shared conflict page (compact.platform.locking): what the editor submitted beside
    what is saved now, and a merge form of the saved record at its current version."""
    saved: Any = conflict.instance
    partnership = saved if isinstance(saved, Partnership) else saved.partnership
    key = {"slug": saved.slug} if isinstance(saved, Partnership) else {"pk": saved.pk}
    return conflict_page(
        request,
        conflict,
        form_class=form_class,
        action=reverse(url_name, kwargs=key),
        cancel_url=partnership.get_absolute_url(),
        extra_context={"partnership": partnership, "multipart": multipart},
        form_kwargs={"instance": saved},
    )


@officers_only
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    compact = compact_current()
    if compact is None:
        raise Http404(_("Set up the Compact first."))
    form = PartnershipForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        partnership = form.save(commit=False)
        partnership.compact = compact
        try:
            services.partnership_create(
                partnership=partnership,
                other_cvcs=list(form.cleaned_data["other_cvcs"]),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s added to the register.") % {"name": partnership})
            return redirect(partnership)
    return _form_page(
        request,
        form,
        title=_("Add a partnership"),
        multipart=True,
    )


@officers_only
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    form = PartnershipForm(request.POST or None, request.FILES or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        try:
            services.partnership_update(
                partnership=edited,
                other_cvcs=list(form.cleaned_data["other_cvcs"]),
                actor=request.user,
                expected_version=form.expected_version,
            )
        except services.EditConflict as conflict:
            return _conflict(
                request, conflict, PartnershipForm, "partnerships:edit", multipart=True
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": edited})
            return redirect(edited)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": text_of(partnership, "name")},
        partnership=partnership,
        multipart=True,
    )


@officers_only
@require_http_methods(["GET", "POST"])
def place_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    form = PlaceForm(request.POST or None, instance=ThirdSectorPlace(partnership=partnership))
    return _save_place(request, form, partnership, _("Add a third-sector place"))


@officers_only
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(ThirdSectorPlace.objects.select_related("partnership"), pk=pk)
    form = PlaceForm(request.POST or None, instance=place)
    return _save_place(request, form, place.partnership, _("Edit a third-sector place"))


def _save_place(
    request: HttpRequest, form: PlaceForm, partnership: Partnership, title: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            services.place_save(
                place=form.save(commit=False),
                actor=request.user,
                expected_version=form.expected_version,
            )
        except services.EditConflict as conflict:
            return _conflict(request, conflict, PlaceForm, "partnerships:place_edit")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Place saved."))
            return redirect(partnership)
    return _form_page(request, form, title=title, partnership=partnership)


@officers_only
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    commitments = selectors.checklist_commitments(partnership=partnership)
    checks = {c.commitment_id: c for c in ComplianceCheck.objects.filter(partnership=partnership)}
    form = ChecklistForm(
        request.POST or None,
        commitments=commitments,
        checks=checks,
        version=selectors.checklist_version(partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_checklist_record(
                partnership=partnership,
                entries=form.entries(),
                actor=request.user,
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc.message_dict)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Checklist saved."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/checklist_form.html",
        {"form": form, "partnership": partnership, "commitments": commitments},
    )


@officers_only
@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    form = ReviewForm(request.POST or None, instance=Review(partnership=partnership))
    return _save_review(request, form, partnership, _("Record a review"))


@officers_only
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.select_related("partnership"), pk=pk)
    form = ReviewForm(request.POST or None, instance=review)
    return _save_review(request, form, review.partnership, _("Edit a review"))


def _save_review(
    request: HttpRequest, form: ReviewForm, partnership: Partnership, title: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                review=form.save(commit=False),
                actor=request.user,
                expected_version=form.expected_version,
            )
        except services.EditConflict as conflict:
            return _conflict(request, conflict, ReviewForm, "partnerships:review_edit")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect(partnership)
    return _form_page(request, form, title=title, partnership=partnership)


@board_and_officers
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/matrix.html",
        {**papers.matrix_context(), "title": papers.matrix_title()},
    )


@board_and_officers
@require_GET
def matrix_csv(request: HttpRequest) -> HttpResponse:
    content = spreadsheets.matrix_csv(selectors.compliance_matrix())
    return _csv_response(content, f"compliance-matrix-{timezone.localdate().isoformat()}.csv")


@board_and_officers
@require_http_methods(["GET", "POST"])
def matrix_pdf(request: HttpRequest) -> HttpResponse:
    """Made in the background (too slow for a request with a large register): offered on GET,
    queued on POST; the status page then offers the PDF. ``?language=cy|en|bilingual``
    (the reader's when absent)."""
    language = paper_language_or_404(request) if request.GET.get("language") else ""
    return offer_or_start(request, kind=papers.MATRIX_PDF, key=language)


@officers_only
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        compact = compact_current()
        if compact is None:
            raise Http404(_("Set up the Compact first."))
        try:
            created = spreadsheets.partnerships_import(
                compact=compact, content=form.cleaned_data["file"].read(), actor=request.user
            )
        except spreadsheets.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported %(count)d partnerships.") % {"count": len(created)},
            )
            return redirect("partnerships:list")
    return render(
        request,
        "partnerships/import.html",
        {"form": form, "errors": errors, "types": Partnership.Type.choices},
    )


@officers_only
@require_http_methods(["GET", "POST"])
def register_settings(request: HttpRequest) -> HttpResponse:
    compact = compact_current()
    if compact is None:
        raise Http404(_("Set up the Compact first."))
    current = selectors.register_settings(compact)
    form = RegisterSettingsForm(
        request.POST or None,
        initial={"publish_public_register": current.publish_public_register if current else False},
    )
    if request.method == "POST" and form.is_valid():
        services.register_settings_update(
            compact=compact,
            publish_public_register=form.cleaned_data["publish_public_register"],
            actor=request.user,
        )
        messages.success(request, _("Register settings saved."))
        return redirect("partnerships:list")
    return _form_page(request, form, title=_("Public register"), cancel_url="partnerships:list")


@public
@require_GET
def public_register(request: HttpRequest) -> HttpResponse:
    published = selectors.register_is_published()
    entries = selectors.public_register() if published else []
    return render(
        request,
        "partnerships/public_register.html",
        {"entries": entries, "published": published},
    )
