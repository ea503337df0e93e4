"""The Code of Conduct: the current version, signing it, publishing a new version, signatures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from compact.platform.access import Role, has_role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.language import ENGLISH, WELSH, choose, reading_welsh, render_versions
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import language_suffix, paper_language_or_404
from compact.selectors import person_of
from representatives import forms, selectors, services
from representatives.models import (
    Appointment,
    Signature,
)
from representatives.views.common import GET_POST, _form_page, _owned_or_404


def _reading_language(request: HttpRequest) -> str:
    """The language the reader reads the code in: the one they asked for (``?read=``, or the
    wording they were signing when the form comes back with an error), else the page's."""
    for asked in (request.GET.get("read"), request.POST.get("language")):
        if asked in (WELSH, ENGLISH):
            return asked
    return WELSH if reading_welsh() else ENGLISH


def _conduct_text(version: Any, language: str) -> dict[str, Any]:
    """The code's wording for the signing page: the version in ``language`` (the other one,
    marked, where it has none), which language that is, and the other language when the
    version has wording in it too (the reader may read that one instead)."""
    shown = choose(version.text, version.text_cy, language)
    other = ENGLISH if shown.lang == WELSH else WELSH
    return {
        "text_html": render_versions(
            version.text,
            version.text_cy,
            render=lambda text: linebreaks_filter(text, autoescape=True),
            block=True,
            language=language,
        ),
        "text_lang": shown.lang,
        "other_lang": other if version.has_text_in(other) else None,
    }


def _my_partnerships(request: HttpRequest) -> Any:
    from partnerships.models import Partnership

    return Partnership.objects.filter(
        appointments__person__user=request.user,
        appointments__status__in=Appointment.CURRENT,
    ).distinct()


@signed_in
@GET_POST
def conduct_current(request: HttpRequest) -> HttpResponse:
    """Read the current version; a representative signs it here."""
    version = selectors.current_conduct_version()
    if version is None:
        raise Http404
    can_sign = has_role(request.user, Role.REPRESENTATIVE) and not request.user.is_superuser
    wording = _conduct_text(version, _reading_language(request))
    form = None
    if can_sign:
        form = forms.SignForm(
            request.POST or None,
            partnerships=_my_partnerships(request),
            initial={"version": version.pk, "language": wording["text_lang"]},
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            signed_version = selectors.conduct_version(form.cleaned_data["version"])
            try:
                if signed_version is None:
                    raise ValidationError(_("This version of the code does not exist."))
                signature = services.conduct_sign(
                    version=signed_version,
                    partnership=form.cleaned_data["partnership"],
                    typed_name=form.cleaned_data["typed_name"],
                    actor=request.user,
                    language=form.cleaned_data["language"] or None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Thank you: you have signed the Code of Conduct."))
                return redirect(signature.get_absolute_url())
    person = person_of(request.user)
    return render(
        request,
        "representatives/conduct_current.html",
        {
            "version": version,
            "form": form,
            "signatures": selectors.signatures_for_person(person) if person else [],
            **wording,
        },
    )


@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@GET_POST
def conduct_version_new(request: HttpRequest) -> HttpResponse:
    current = selectors.current_conduct_version()
    form = forms.ConductVersionForm(
        request.POST or None,
        initial={"text": current.text, "text_cy": current.text_cy} if current else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conduct_version_publish(
                actor=request.user, code=current.code if current else None, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("New version published: everyone is asked to sign again."))
            return redirect("representatives:conduct_signatures")
    return _form_page(
        request,
        form=form,
        title=_("Publish a new version of the Code of Conduct"),
        intro=_("Every current representative will be asked to sign the new version."),
        cancel_url=reverse("representatives:conduct_signatures"),
    )


@roles_required(Role.OFFICER)
@require_GET
def conduct_signatures(request: HttpRequest) -> HttpResponse:
    version = selectors.current_conduct_version()
    signatures = (
        Signature.objects.filter(version=version).select_related("person", "partnership")
        if version
        else []
    )
    return render(
        request,
        "representatives/conduct_signatures.html",
        {
            "version": version,
            "unsigned": selectors.unsigned_appointments(),
            "signatures": signatures,
            "versions": selectors.conduct_versions(),
        },
    )


def _signature_for(request: HttpRequest, pk: int) -> Signature:
    signature = get_object_or_404(
        Signature.objects.select_related("person", "version__document", "partnership"), pk=pk
    )
    _owned_or_404(request, "representatives.view_own_signature", signature)
    return signature


@signed_in
@require_GET
def signature_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk)
    return render(request, "representatives/signature_detail.html", {"signature": signature})


@signed_in
@require_GET
def signature_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk)
    language = paper_language_or_404(request)
    pdf = render_pdf(
        "representatives/pdf/signature.html",
        lambda: {
            "signature": signature,
            "title": _("Third Sector Representatives Code of Conduct and Agreement"),
        },
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="code-of-conduct-signed-{pk}{language_suffix(language)}.pdf"'
    )
    return response
