"""Forms for minutes written item by item, decisions, amendments, the minutes' moves, the
decisions register's filter and a body's standard agenda items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import BilingualMixin
from compact.models import AgendaItem, Body, Meeting, StandardItem


class ItemMinutesForm(BilingualMixin, forms.Form):
    """The discussion of one item, with the version it was loaded at (0: none yet)."""

    discussion = forms.CharField(
        label=_("Discussion"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    FIELDS = ("discussion", "discussion_cy")
    TRANSLATED = ("discussion",)


class DecisionForm(BilingualMixin, forms.Form):
    TRANSLATED = ("text",)

    item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(general minutes)"),
    )
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("position", "pk")


class AmendmentForm(DecisionForm):
    TRANSLATED = ("text", "reason")

    text = forms.CharField(
        label=_("Amendment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The approved text stays as it is; the amendment is shown beside it."),
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class MinutesMoveForm(forms.Form):
    target = forms.CharField()
    at_meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = (
            Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("date")
        )


class DecisionFilterForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.none(), required=False, empty_label=_("All")
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("Words"), required=False, max_length=200)

    def __init__(self, *args: Any, bodies: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].to_field_name = "slug"
        self.fields["year"].choices = [("", _("All")), *[(year, year) for year in years]]


class StandardItemsForm(forms.Form):
    standard_items = forms.MultipleChoiceField(
        label=_("Standard items on each new agenda"),
        choices=StandardItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
