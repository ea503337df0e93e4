"""Forms of the partnerships register: editing, the checklist, filters, import and settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import BilingualMixin
from compact.models import Commitment, Organisation, Person
from compact.platform.uploads import DOCUMENTS
from partnerships import checklist
from partnerships.models import ComplianceCheck, Partnership, Review, ThirdSectorPlace
from partnerships.selectors import RegisterFilters, lead_bodies
from partnerships.services import (
    PARTNERSHIP_FIELDS,
    PLACE_FIELDS,
    REVIEW_FIELDS,
    ChecklistEntry,
    validate_other_cvcs,
)


class DateInput(forms.DateInput):
    input_type = "date"


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, so a concurrent save is caught (see
    compact.platform.locking); ``FIELDS`` are the fields the conflict page compares."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDS: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("version", self.instance.version)

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None


class PartnershipForm(BilingualMixin, VersionedForm):
    FIELDS = PARTNERSHIP_FIELDS
    TRANSLATED = ("name", "purpose")

    class Meta:
        model = Partnership
        fields = [
            "name",
            "name_cy",
            "type",
            "parent",
            "lead_body",
            "purpose",
            "purpose_cy",
            "meeting_frequency",
            "coverage",
            "other_cvcs",
            "status",
            "contact",
            "terms_of_reference",
            "terms_of_reference_date",
            "published",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "other_cvcs": forms.CheckboxSelectMultiple,
            "terms_of_reference_date": DateInput,
        }
        help_texts = {
            "parent": _("Required for a sub group or task group: the partnership it feeds into."),
            "other_cvcs": _(
                "Regional partnerships only: the other counties' County Voluntary Councils "
                "that VAMT consults about representation."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Partnership.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk__in={self.instance.pk, *self.instance.descendant_ids()})
        self.fields["parent"].queryset = parents
        self.fields["lead_body"].queryset = lead_bodies().order_by("name")
        self.fields["other_cvcs"].queryset = Organisation.objects.filter(
            sector=Organisation.Sector.THIRD
        ).order_by("name")
        self.fields["contact"].queryset = Person.objects.order_by("full_name")
        # Checked in the service (compact.platform.uploads, the one check for every upload).
        self.fields["terms_of_reference"].help_text = _(
            "PDF, Word (.docx), OpenDocument text (.odt) or plain text; up to %(size)s."
        ) % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        self.fields["terms_of_reference"].widget.attrs["accept"] = ",".join(
            extension for kind in DOCUMENTS for extension in kind.extensions
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        coverage = cleaned.get("coverage")
        if coverage:
            for message in validate_other_cvcs(
                coverage=coverage, other_cvcs=cleaned.get("other_cvcs") or []
            ):
                self.add_error("other_cvcs", message)
        return cleaned


class PlaceForm(BilingualMixin, VersionedForm):
    FIELDS = PLACE_FIELDS
    TRANSLATED = ("title", "role_description")

    class Meta:
        model = ThirdSectorPlace
        fields = [
            "title",
            "title_cy",
            "kind",
            "number_of_places",
            "has_deputy",
            "term_months",
            "role_description",
            "role_description_cy",
        ]
        widgets = {
            "role_description": forms.Textarea(attrs={"rows": 3}),
            "role_description_cy": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": _("Optional, e.g. Health and social care representative.")}

    def clean_number_of_places(self) -> int:
        number = self.cleaned_data["number_of_places"]
        if number < 1:
            raise forms.ValidationError(_("A place needs at least one seat."))
        return number


class ReviewForm(BilingualMixin, VersionedForm):
    FIELDS = REVIEW_FIELDS
    TRANSLATED = ("findings", "follow_up_actions")
    ONE_REQUIRED = ("findings",)

    class Meta:
        model = Review
        fields = [
            "review_date",
            "reviewer",
            "rating",
            "findings",
            "findings_cy",
            "follow_up_actions",
            "follow_up_actions_cy",
            "follow_up_by",
        ]
        widgets = {
            "review_date": DateInput,
            "follow_up_by": DateInput,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "follow_up_actions": forms.Textarea(attrs={"rows": 3}),
            "findings_cy": forms.Textarea(attrs={"rows": 4}),
            "follow_up_actions_cy": forms.Textarea(attrs={"rows": 3}),
        }


class ChecklistForm(forms.Form):
    """One status, evidence and date per commitment of the code."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        commitments: list[Commitment],
        checks: dict[int, ComplianceCheck],
        version: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        self.initial.setdefault("version", version)
        for commitment in commitments:
            check = checks.get(commitment.pk)
            reference = commitment.reference
            self.fields[f"status_{commitment.pk}"] = forms.ChoiceField(
                label=_("%(reference)s: met?") % {"reference": reference},
                choices=ComplianceCheck.Status.choices,
                initial=check.status if check else ComplianceCheck.Status.NOT_ASSESSED,
            )
            self.fields[f"evidence_{commitment.pk}"] = forms.CharField(
                label=_("%(reference)s: evidence") % {"reference": reference},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=check.evidence if check else "",
            )
            self.fields[f"checked_on_{commitment.pk}"] = forms.DateField(
                label=_("%(reference)s: checked on") % {"reference": reference},
                required=False,
                widget=DateInput,
                initial=check.checked_on if check else None,
            )

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "commitment": commitment,
                "short": checklist.short_label(commitment),
                "fields": [
                    self[f"status_{commitment.pk}"],
                    self[f"evidence_{commitment.pk}"],
                    self[f"checked_on_{commitment.pk}"],
                ],
            }
            for commitment in self.commitments
        ]

    def entries(self) -> list[ChecklistEntry]:
        return [
            ChecklistEntry(
                commitment=commitment,
                status=self.cleaned_data[f"status_{commitment.pk}"],
                evidence=self.cleaned_data[f"evidence_{commitment.pk}"].strip(),
                checked_on=self.cleaned_data[f"checked_on_{commitment.pk}"],
            )
            for commitment in self.commitments
        ]

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = f"checked_on_{key}" if f"checked_on_{key}" in self.fields else None
            for message in messages:
                self.add_error(name, message)


class RegisterFilterForm(forms.Form):
    search = forms.CharField(label=_("Search names and purposes"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *Partnership.Type.choices]
    )
    lead_body = forms.ModelChoiceField(
        label=_("Lead body"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any lead body"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Partnership.Status.choices],
    )
    has_vacancies = forms.BooleanField(label=_("Only with vacant places"), required=False)
    non_compliant = forms.BooleanField(
        label=_("Only those not (fully) meeting a commitment of the code"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_body"].queryset = lead_bodies().order_by("name")

    def filters(self) -> RegisterFilters:
        if not self.is_valid():
            return RegisterFilters()
        data = self.cleaned_data
        return RegisterFilters(
            search=data["search"].strip(),
            type=data["type"],
            lead_body=data["lead_body"],
            status=data["status"],
            has_vacancies=data["has_vacancies"],
            non_compliant=data["non_compliant"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, name_cy, type, parent, lead_body, purpose, purpose_cy, "
            "meeting_frequency, coverage, other_cvcs, status, contact, terms_of_reference_date, "
            "published, places (or their Welsh headers, as a Welsh export has them). Only name "
            "and type are required; name_cy and purpose_cy are the Welsh name and purpose."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file (save your spreadsheet as CSV)."))
        return upload


class RegisterSettingsForm(forms.Form):
    publish_public_register = forms.BooleanField(
        label=_("Publish the register on a public page"),
        required=False,
        help_text=_(
            "Anyone can then read the active partnerships marked 'show on the public register', "
            "with the names and organisations of their third-sector representatives. Contact "
            "details are never shown."
        ),
    )
