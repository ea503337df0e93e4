"""Forms of the plan editor. Each edit form carries the version it was loaded at (hidden) and
an optional reason for the change, recorded in the history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import add_welsh_fields
from compact.models import Body, Organisation, Person
from plans.models import ImplementationPlan, Objective, Outcome

REASON_HELP = _("Optional: why you made this change. Shown in the history.")


class BilingualForm(forms.Form):
    """A form whose ``TRANSLATED`` fields have Welsh twins (see :func:`add_welsh_fields`)."""

    TRANSLATED: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_welsh_fields(self, self.TRANSLATED)


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        max_length=500,
        help_text=REASON_HELP,
    )


class VersionedForm(BilingualForm, ReasonMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS: tuple[str, ...] = ()

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ObjectiveForm(VersionedForm):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Short title"), required=False, max_length=200)
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bullet points: start each on a new line with •."),
    )
    field_order = ["number", "title", "statement", "reason", "version"]
    FIELDS = ("number", "title", "statement", "title_cy", "statement_cy")
    TRANSLATED = ("title", "statement")


class TaskForm(VersionedForm):
    description = forms.CharField(
        label=_("Task"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["description", "reason", "version"]
    FIELDS = ("description", "description_cy")
    TRANSLATED = ("description",)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("description") or cleaned.get("description_cy")):
            raise forms.ValidationError(_("Describe the task, in English or in Welsh."))
        return cleaned


class OutcomeForm(VersionedForm):
    outcome = forms.CharField(
        label=_("Outcomes / Indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    timescale = forms.CharField(
        label=_("Timescale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As you would write it, e.g. Sept 09 or Standing Item."),
    )
    responsibility = forms.CharField(
        label=_("Responsibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Initials, bodies or organisations, e.g. VAMT (ID / AH)."),
    )
    progress = forms.CharField(
        label=_("Progress"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Outcome.Status.choices)
    field_order = [
        "outcome",
        "timescale",
        "responsibility",
        "progress",
        "status",
        "reason",
        "version",
    ]
    FIELDS = ("outcome", "timescale", "responsibility", "progress", "status",
              "outcome_cy", "timescale_cy", "responsibility_cy", "progress_cy")  # fmt: skip
    TRANSLATED = ("outcome", "timescale", "responsibility", "progress")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        wanted = ("outcome", "timescale", "progress", "outcome_cy", "timescale_cy", "progress_cy")
        if not any(cleaned.get(name) for name in wanted):
            raise forms.ValidationError(
                _("Write at least an outcome, a timescale or some progress for this row.")
            )
        return cleaned


def new_form(form_class: type[VersionedForm], *args: Any, **kwargs: Any) -> VersionedForm:
    """A versioned form used to add an item: there is no version to check yet."""
    form = form_class(*args, **kwargs)
    form.fields["version"].required = False
    return form


class DeleteForm(ReasonMixin):
    pass


class MoveForm(ReasonMixin):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )


class RelocateTaskForm(ReasonMixin):
    objective = forms.ModelChoiceField(label=_("Move to objective"), queryset=None)

    def __init__(self, *args: Any, plan: ImplementationPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan).order_by(
            "order", "id"
        )
        self.fields["reason"].help_text = REASON_HELP
        self.order_fields(["objective", "reason"])


class PlanForm(BilingualForm):
    TRANSLATED = ("title",)

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name for the web address"),
        max_length=80,
        help_text=_("Letters, numbers and hyphens, e.g. implementation-plan-2011-2014."),
    )
    period = forms.CharField(
        label=_("Period"), max_length=40, required=False, help_text=_("e.g. 2011-2014")
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Anyone, signed in or not, may read the issued updates of a public plan."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Plan document"),
        help_text=_("A Word .docx laid out like the plan, or its text export (.txt)."),
    )
    slug = forms.SlugField(
        label=_("Short name for the web address"),
        required=False,
        help_text=_("Leave empty to make one from the title."),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )
    update_number = forms.IntegerField(
        label=_("Update number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to read it from the document."),
    )
    date = forms.DateField(
        label=_("Dated"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to read it from the document."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".docx", ".txt")):
            raise forms.ValidationError(_("Only .docx and .txt files can be imported."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class RowFilterForm(forms.Form):
    """Filters of the rows list (GET)."""

    text = forms.CharField(
        label=_("Words"),
        max_length=100,
        required=False,
        help_text=_("Found in the task, outcome, timescale, responsibility or progress"),
    )
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Outcome.Status.choices], required=False
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.exclude(initials=""), required=False
    )
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none(), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("overdue", _("Overdue")),
            ("soon", _("Due in the next 60 days")),
        ],
    )
    mine = forms.BooleanField(label=_("Only my actions"), required=False)

    def __init__(self, *args: Any, plan: ImplementationPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan).order_by(
            "order", "id"
        )
        self.fields["body"].queryset = Body.objects.filter(compact_id=plan.compact_id)
        self.fields["person"].queryset = Person.objects.exclude(initials="").order_by("initials")
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.initials} - {person.full_name}"
        )
