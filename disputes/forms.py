"""Forms for the disputes process. They parse input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.models import Commitment, Organisation, Person
from compact.platform.language import text_of
from compact.platform.uploads import EVIDENCE, check_upload
from disputes.models import StageRecord
from disputes.procedure import Closure, Stage
from disputes.selectors import commitments_for_concerns, party_people, scrutiny_member_people


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked (type, contents, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ",".join(e for kind in EVIDENCE for e in kind.extensions)}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned = [single(item, initial) for item in files]
        errors = []
        for upload in cleaned:
            try:
                check_upload(upload, kinds=EVIDENCE)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _documents_help() -> str:
    return str(
        _("PDF, PNG or JPEG; up to %(size)s each. You can choose several files.")
        % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
    )


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        text = text_of(obj, "text")
        text = text if len(text) <= 90 else text[:87] + "..."
        return f"{text_of(obj.code, 'title')} - {obj.reference}: {text}"


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class OrganisationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class RaiseConcernForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("A short title, e.g. “Not invited to the steering group”."),
    )
    concerns = OrganisationChoices(
        label=_("Which partner organisation(s) does it concern?"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = PersonChoices(
        label=_("Named contacts at those organisations"),
        queryset=Person.objects.none(),
        help_text=_("At least one for each organisation. Only named contacts see the dispute."),
    )
    commitment = CommitmentChoiceField(
        label=_("Which commitment do you say was breached?"),
        queryset=Commitment.objects.none(),
    )
    what_happened = forms.CharField(label=_("What happened?"), widget=forms.Textarea)
    outcome_sought = forms.CharField(
        label=_("What outcome are you seeking?"), widget=forms.Textarea
    )
    documents = MultipleFileField(label=_("Supporting documents"), required=False)

    def __init__(self, *args: Any, raiser: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        if raiser is not None and raiser.organisation_id:
            organisations = organisations.exclude(pk=raiser.organisation_id)
        self.fields["concerns"].queryset = organisations
        self.fields["contacts"].queryset = (
            Person.objects.filter(organisation__isnull=False)
            .exclude(pk=getattr(raiser, "pk", None))
            .select_related("organisation")
            .order_by("organisation__name", "full_name")
        )
        self.fields["commitment"].queryset = commitments_for_concerns()
        self.fields["documents"].help_text = _documents_help()


class MoveForm(forms.Form):
    """Move to one stage; only the fields that stage needs are shown."""

    on = forms.DateField(
        label=_("Date of the move"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service gives the specific message
    )

    def __init__(
        self, *args: Any, dispute: Any, to_stage: str, withdraw_only: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.to_stage = to_stage
        if to_stage == Stage.MEDIATION:
            self.fields["mediator_name"] = forms.CharField(
                label=_("Mediator"), max_length=200, required=False
            )
        elif to_stage == Stage.SCRUTINY:
            self.fields["panel"] = PersonChoices(
                label=_("Panel (current members of the scrutiny body)"),
                queryset=scrutiny_member_people(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_(
                    "Nobody from a party organisation, and nobody who has declared an interest."
                ),
            )
        elif to_stage == Stage.ESCALATION:
            self.fields["senior_contact"] = PersonChoice(
                label=_("Senior contact in the partner organisation"),
                queryset=party_people(dispute=dispute),
                required=False,
            )
        elif to_stage == Stage.CLOSED:
            # The person who raised a concern may withdraw it but not decide it.
            closures = [Closure.WITHDRAWN] if withdraw_only else list(Closure)
            self.fields["closure"] = forms.ChoiceField(
                label=_("Closed as"),
                choices=[("", "---------"), *[(c.value, c.label) for c in closures]],
                required=False,
            )
            self.fields["outcome"] = forms.CharField(
                label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
            self.fields["agreed_actions"] = forms.CharField(
                label=_("Agreed actions"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields["lessons_learned"] = forms.CharField(
                label=_("Lessons learned"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )


class StageRecordForm(forms.Form):
    notes = forms.CharField(
        label=_("Record of this stage"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, record: StageRecord, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "notes": record.notes,
                "mediator_name": record.mediator_name,
                "agreement": record.agreement,
                "senior_contact": record.senior_contact_id,
            },
        )
        super().__init__(*args, **kwargs)
        if record.stage == Stage.MEDIATION:
            self.fields["mediator_name"] = forms.CharField(
                label=_("Mediator"), max_length=200, required=False
            )
            self.fields["agreement"] = forms.ChoiceField(
                label=_("Agreement"),
                choices=[("", _("Not yet known")), *StageRecord.Agreement.choices],
                required=False,
            )
        elif record.stage == Stage.ESCALATION:
            self.fields["senior_contact"] = PersonChoice(
                label=_("Senior contact in the partner organisation"),
                queryset=party_people(dispute=record.dispute),
                required=False,
            )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Session notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PanelForm(forms.Form):
    panel = PersonChoices(
        label=_("Panel (current members of the scrutiny body)"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = scrutiny_member_people()


class InterestForm(forms.Form):
    person = PersonChoice(label=_("Person"), queryset=Person.objects.none())
    interest = forms.CharField(
        label=_("Interest declared"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Confidential note (officers and panel only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DocumentForm(forms.Form):
    documents = MultipleFileField(label=_("Supporting documents"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].help_text = _documents_help()


class ContactForm(forms.Form):
    person = PersonChoice(label=_("Add a named contact"), queryset=Person.objects.none())

    def __init__(self, *args: Any, dispute: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = party_people(dispute=dispute).exclude(
            pk__in=dispute.contacts.values("person_id")
        )
