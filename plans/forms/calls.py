"""Forms of update calls: opening a call, a contributor's proposal for one row, an officer's
review (edit then accept, or return with a comment), and who answers for each row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms import BilingualForm
from plans.models import Outcome


class CallOpenForm(BilingualForm):
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Contributors can propose and revise until the end of this day."),
    )
    message = forms.CharField(
        label=_("Message to contributors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent in each contributor's e-mail, above the link to their rows."),
    )
    TRANSLATED = ("message",)


class _ProgressFields(BilingualForm):
    progress = forms.CharField(
        label=_("Progress"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Outcome.Status.choices)
    timescale = forms.CharField(
        label=_("Timescale"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    TRANSLATED = ("progress", "timescale")
    FIELDS = ("progress", "progress_cy", "status", "timescale", "timescale_cy")

    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ProposalForm(_ProgressFields):
    """A contributor's proposal for one row; ``base_version`` is the row's version shown."""

    note = forms.CharField(
        label=_("Note to the officer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: not part of the plan."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(_ProgressFields):
    """An officer's edit of a proposal before accepting it, against the row's ``version``."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the contributor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what should change; the contributor is e-mailed."),
    )


class RowContributorsForm(forms.Form):
    """Who answers for each row of one objective: people and organisations per row. The
    choices are read once for the whole form (two queries)."""

    def __init__(
        self,
        *args: Any,
        rows: list[Outcome],
        people: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            links = getattr(row, "links", None)
            self.fields[f"people_{row.pk}"] = forms.TypedMultipleChoiceField(
                label=_("People"),
                choices=people,
                coerce=int,
                required=False,
                initial=sorted(links.people) if links else [],
                widget=forms.SelectMultiple(attrs={"size": 4, "class": "form-select"}),
            )
            self.fields[f"organisations_{row.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Organisations"),
                choices=organisations,
                coerce=int,
                required=False,
                initial=sorted(links.organisations) if links else [],
                widget=forms.SelectMultiple(attrs={"size": 4, "class": "form-select"}),
            )

    def links(self) -> dict[int, tuple[list[int], list[int]]]:
        return {
            row.pk: (
                self.cleaned_data[f"people_{row.pk}"],
                self.cleaned_data[f"organisations_{row.pk}"],
            )
            for row in self.rows
        }
