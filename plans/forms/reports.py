"""Forms of the update and report pages: issue an update, compare two updates, progress."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from plans.forms import BilingualForm
from plans.models import PlanUpdate


def _update_choices(updates: list[PlanUpdate], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(update.number), str(update)) for update in updates]
    if blank is not None:
        choices.insert(0, ("", blank))
    return choices


class IssueUpdateForm(BilingualForm):
    TRANSLATED = ("summary", "purpose", "recommendation")

    date = forms.DateField(
        label=_("Dated"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the update carries on its heading; today unless you change it."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A line or two for the update list, e.g. what changed and why."),
    )
    # What the officer previewed (latest update and draft); issuing refuses when it moved.
    state = forms.CharField(
        widget=forms.HiddenInput,
        max_length=400,
        error_messages={
            "required": _("This page was out of date: check the preview below again, then issue.")
        },
    )

    purpose = forms.CharField(
        label=_("Purpose of the paper"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Heads the Board paper; you can change it after issuing."),
    )
    recommendation = forms.CharField(
        label=_("Recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the Board is asked to do; you can change it after issuing."),
    )

    def __init__(self, *args: Any, state: str, next_number: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["state"].initial = state
        for code, suffix in (("en", ""), ("cy", "_cy")):
            with translation.override(code):
                self.fields["purpose" + suffix].initial = PlanUpdate.default_purpose(next_number)
                self.fields["recommendation" + suffix].initial = PlanUpdate.default_recommendation()


class PaperForm(BilingualForm):
    """The Board paper's purpose and recommendation, edited after issuing, in English and
    Welsh. The hidden fields carry the text the officer started from, so a concurrent change
    is caught."""

    TRANSLATED = ("purpose", "recommendation")

    purpose = forms.CharField(
        label=_("Purpose of the paper"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    original_purpose = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    original_recommendation = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    original_purpose_cy = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    original_recommendation_cy = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False
    )


class CompareForm(forms.Form):
    """Two issued updates to compare: the older one and the newer one."""

    since = forms.TypedChoiceField(label=_("From update"), coerce=int)
    until = forms.TypedChoiceField(label=_("To update"), coerce=int)

    def __init__(self, *args: Any, updates: list[PlanUpdate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].choices = _update_choices(updates)
        self.fields["until"].choices = _update_choices(updates)
        # Unchosen, both lists would start on the newest update (Update N against itself):
        # offer the newest against the one before it, the comparison readers want most.
        numbers = sorted(update.number for update in updates)
        if numbers:
            self.fields["until"].initial = str(numbers[-1])
            self.fields["since"].initial = str(numbers[-2] if len(numbers) > 1 else numbers[-1])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since is not None and until is not None and since >= until:
            raise forms.ValidationError(
                _("Choose an earlier update in “From update” than in “To update”.")
            )
        return cleaned


class ProgressForm(forms.Form):
    """The period of an annual progress report: two updates, or two dates."""

    since = forms.TypedChoiceField(label=_("From update"), coerce=int, required=False,
                                   empty_value=None)  # fmt: skip
    until = forms.TypedChoiceField(label=_("To update"), coerce=int, required=False,
                                   empty_value=None)  # fmt: skip
    from_date = forms.DateField(
        label=_("Or from date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to_date = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, updates: list[PlanUpdate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].choices = _update_choices(updates, blank=str(_("The start")))
        self.fields["until"].choices = _update_choices(updates, blank=str(_("Now")))
        for name, field in self.fields.items():
            css = "form-select" if name in {"since", "until"} else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("since") or cleaned.get("until")) and (
            cleaned.get("from_date") or cleaned.get("to_date")
        ):
            raise forms.ValidationError(_("Give either two updates or two dates, not both."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since is not None and until is not None and since >= until:
            raise forms.ValidationError(_("“From update” must be earlier than “To update”."))
        start: datetime.date | None = cleaned.get("from_date")
        end: datetime.date | None = cleaned.get("to_date")
        if start and end and start > end:
            raise forms.ValidationError(_("“From date” must not be after “To date”."))
        return cleaned
