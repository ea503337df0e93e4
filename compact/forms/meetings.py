"""Forms for meetings, agendas, papers, minutes, actions and packs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import BilingualMixin
from compact.links import ActionLinkTarget
from compact.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    Person,
)
from compact.papers import PaperProvider
from compact.platform import registry
from compact.platform.pdf.languages import PaperLanguage, paper_language


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(BilingualMixin, forms.ModelForm):
    TRANSLATED = ("notes",)

    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Meeting
        fields = [
            "body", "date", "start_time", "end_time", "venue", "online_link", "notes", "notes_cy"
        ]  # fmt: skip
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(format="%H:%M"),
            "end_time": TimeInput(format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].queryset = Body.objects.order_by("kind", "name")


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [
            "date", "start_time", "end_time", "venue", "online_link", "status", "notes", "notes_cy"
        ]  # fmt: skip


class AgendaItemForm(BilingualMixin, forms.ModelForm):
    TRANSLATED = ("title",)
    ONE_REQUIRED = ("title",)

    class Meta:
        model = AgendaItem
        fields = ["title", "title_cy", "presenter", "purpose", "minutes_allowed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.order_by("full_name")


class UploadPaperForm(BilingualMixin, forms.Form):
    TRANSLATED = ("title",)  # neither needed: the file's name is the title then

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("PDF only, at most %(limit)s.")
        % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class WrittenPaperForm(BilingualMixin, forms.Form):
    """A paper written in the browser, its title and text in English and Welsh side by side
    (either may be left empty; one of each is needed)."""

    TRANSLATED = ("title", "text")

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Blank lines separate paragraphs."),
    )


def provider_choices() -> list[tuple[str, Any]]:
    """Grouped choices "provider|value" for every registered generated paper."""
    choices: list[tuple[str, Any]] = []
    for provider in registry.items(PaperProvider):
        options = [(f"{provider.key}|latest", _("%(label)s - latest") % {"label": provider.label})]
        options += [
            (f"{provider.key}|{option.value}", option.label) for option in provider.options()
        ]
        choices.append((provider.label, options))
    return choices


class GeneratedPaperForm(forms.Form):
    paper = forms.ChoiceField(label=_("Report"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].choices = provider_choices()

    def provider_and_value(self) -> tuple[str, str]:
        key, _sep, value = self.cleaned_data["paper"].partition("|")
        return key, value


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("full_name")
    )
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)


class MeetingDeclarationForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("full_name")
    )
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    interest = forms.CharField(
        label=_("Interest declared"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("position")


class MinutesForm(BilingualMixin, forms.Form):
    """Draft minutes, with the version they were loaded at (0: there were none yet), so a
    second officer's save is never overwritten silently (see compact.platform.locking)."""

    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    FIELDS = ("text", "text_cy")
    TRANSLATED = ("text",)


class ActionForm(BilingualMixin, forms.ModelForm):
    TRANSLATED = ("description",)
    ONE_REQUIRED = ("description",)

    class Meta:
        model = Action
        fields = ["description", "description_cy", "owner", "due_date", "item"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    links = forms.MultipleChoiceField(
        label=_("Linked rows"),
        required=False,
        choices=(),
        help_text=_("Optional: rows of the implementation plan this action is about."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("position")
        self.fields["owner"].queryset = Person.objects.order_by("full_name")
        groups = [
            (str(target.label), [(f"{target.key}:{pk}", label) for pk, label in target.choices()])
            for target in registry.items(ActionLinkTarget)
        ]
        if groups:
            self.fields["links"].choices = groups
        else:
            del self.fields["links"]

    def clean_links(self) -> list[tuple[str, int]]:
        chosen = []
        for value in self.cleaned_data.get("links") or []:
            key, _sep, pk = value.rpartition(":")
            chosen.append((key, int(pk)))
        return chosen


class CirculateForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label=_("Send to"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [(str(pk), label) for pk, label in people]
        self.fields["recipients"].initial = [str(pk) for pk, _label in people]


class PackLanguageForm(forms.Form):
    """The language a board pack is built in: Welsh, English or both (Welsh first)."""

    language = forms.ChoiceField(
        label=_("Language of the pack"),
        choices=PaperLanguage.choices,
        # Left out (an older form, a script): as the meeting's last pack, else the default.
        required=False,
        widget=forms.Select(attrs={"class": "form-select d-inline-block w-auto"}),
        error_messages={
            "invalid_choice": _("Choose the language of the pack: Welsh, English or both."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = paper_language()


class RotationRuleForm(forms.Form):
    rotate_after_months = forms.IntegerField(
        label=_("Rotate chair and secretariat after (months)"), min_value=1, max_value=120
    )
