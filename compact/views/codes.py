"""The codes of practice register: everyone signed in reads it, officers keep it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact import selectors
from compact.forms.codes import (
    CodeEditForm,
    CodeForm,
    CodeVersionForm,
    CommitmentDeleteForm,
    CommitmentForm,
)
from compact.models import CodeDocumentVersion, CodeOfPractice, Commitment
from compact.platform.access import Role, has_role, roles_required, signed_in
from compact.platform.language import text_of
from compact.platform.uploads import PDF, upload_response
from compact.selectors import compact_current
from compact.services import codes as services
from compact.views.meetings import _errors


@signed_in
@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "compact/codes/code_list.html",
        {"codes": selectors.code_register(), "can_edit": has_role(request.user, Role.OFFICER)},
    )


@signed_in
@require_GET
def code_detail(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(
        CodeOfPractice.objects.select_related("owner", "owner_body"), slug=slug
    )
    return render(
        request,
        "compact/codes/code_detail.html",
        {
            "code": code,
            "parties": selectors.commitments_by_party(code),
            "versions": list(code.versions.all()),
            "can_edit": has_role(request.user, Role.OFFICER),
        },
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def code_create(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        compact = compact_current()
        if compact is None:
            form.add_error(None, _("Set up the Compact first."))
        else:
            code = CodeOfPractice(compact=compact, slug=form.cleaned_data["slug"])
            services.code_save(code=code, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Added to the register."))
            return redirect("compact:code_detail", slug=code.slug)
    return render(
        request, "compact/codes/code_form.html", {"form": form, "title": _("Add to the register")}
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def code_edit(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(CodeOfPractice, slug=slug)
    form = CodeEditForm(request.POST or None, instance=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_save(
                code=CodeOfPractice.objects.get(pk=code.pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Register entry saved."))
            return redirect("compact:code_detail", slug=slug)
    return render(
        request,
        "compact/codes/code_form.html",
        {
            "form": form,
            "code": code,
            "title": _("Edit %(title)s") % {"title": text_of(code, "title")},
        },
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def code_version_add(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(CodeOfPractice, slug=slug)
    form = CodeVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.code_version_add(
                code=code,
                label=data["label"],
                date=data["date"],
                text=data["text"],
                upload=data["file"] or None,
                notes=data["notes"],
                actor=request.user,
                text_cy=data["text_cy"],
                notes_cy=data["notes_cy"],
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Version added."))
            return redirect("compact:code_detail", slug=slug)
    return render(
        request,
        "compact/codes/code_form.html",
        {
            "form": form,
            "code": code,
            "multipart": True,
            "title": _("New version of %(title)s") % {"title": text_of(code, "title")},
        },
    )


@signed_in
@require_GET
def code_version_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CodeDocumentVersion.objects.select_related("code"), pk=pk)
    if version.file:
        try:
            handle = version.file.open("rb")
        except OSError as exc:
            raise Http404 from exc
        return upload_response(
            handle,
            filename=f"{version.code.slug}-v{version.label}.pdf",
            content_type=PDF.content_type,
        )
    return render(
        request, "compact/codes/version_text.html", {"version": version, "code": version.code}
    )


def _commitment_form(
    request: HttpRequest, commitment: Commitment, title: str, done: str
) -> HttpResponse:
    form = CommitmentForm(request.POST if request.method == "POST" else None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_save(
                commitment=commitment,
                party=data["party"],
                number=data["number"],
                text=data["text"],
                text_cy=data["text_cy"],
                actor=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, done)
            return redirect(_commitment_url(commitment))
    return render(
        request,
        "compact/codes/code_form.html",
        {"form": form, "code": commitment.code, "title": title},
    )


def _commitment_url(commitment: Commitment) -> str:
    url = reverse("compact:code_detail", args=[commitment.code.slug])
    return f"{url}#commitment-{commitment.pk}"


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def commitment_add(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(CodeOfPractice, slug=slug)
    title = _("Add a commitment to %(title)s") % {"title": text_of(code, "title")}
    return _commitment_form(request, Commitment(code=code), title, _("Commitment added."))


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("code"), pk=pk)
    title = _("Edit commitment %(reference)s") % {"reference": commitment.reference}
    return _commitment_form(request, commitment, title, _("Commitment saved."))


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def commitment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("code"), pk=pk)
    # An empty POST (no reason given) is still a confirmation.
    form = CommitmentDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_delete(
                commitment=commitment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Commitment deleted. The history keeps what it said."))
            return redirect("compact:code_detail", slug=commitment.code.slug)
    return render(
        request,
        "compact/codes/commitment_delete.html",
        {"form": form, "commitment": commitment, "code": commitment.code},
        status=400 if form.errors else 200,
    )
