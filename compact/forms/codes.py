"""Forms for the codes of practice register."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import BilingualMixin
from compact.models import CodeOfPractice, Commitment, Compact


class CodeForm(BilingualMixin, forms.ModelForm):
    TRANSLATED = ("title", "summary")
    ONE_REQUIRED = ("title",)

    class Meta:
        model = CodeOfPractice
        fields = [
            "title",
            "title_cy",
            "slug",
            "kind",
            "status",
            "owner",
            "owner_body",
            "review_date",
            "summary",
            "summary_cy",
        ]
        widgets = {
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


class CodeEditForm(CodeForm):
    class Meta(CodeForm.Meta):
        fields = [
            "title",
            "title_cy",
            "kind",
            "status",
            "owner",
            "owner_body",
            "review_date",
            "summary",
            "summary_cy",
        ]


class CodeVersionForm(BilingualMixin, forms.Form):
    TRANSLATED = ("text", "notes")

    label = forms.CharField(label=_("Version"), max_length=40)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(
        label=_("Document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        texts = (cleaned.get("text") or "") + (cleaned.get("text_cy") or "")
        if not cleaned.get("file") and not texts.strip():
            raise forms.ValidationError(_("Upload the document as PDF or paste its text."))
        return cleaned


class CommitmentForm(BilingualMixin, forms.ModelForm):
    TRANSLATED = ("text",)
    ONE_REQUIRED = ("text",)

    reason = forms.CharField(
        label=_("Reason for change"),
        max_length=200,
        required=False,
        help_text=_('Kept in the history, e.g. "agreed at the Compact Board, March 2009".'),
    )

    class Meta:
        model = Commitment
        fields = ["party", "number", "text", "text_cy"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "number": _("Its number in the party's list, as printed in the code."),
        }


class CommitmentDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CompactForm(BilingualMixin, forms.ModelForm):
    """The Compact's name and what the public home page says about it, in both languages (the
    English name and area stay required: they name the partnership on every paper)."""

    TRANSLATED = ("name", "area", "summary", "contact_details")

    class Meta:
        model = Compact
        fields = [
            "name",
            "name_cy",
            "area",
            "area_cy",
            "summary",
            "summary_cy",
            "contact_email",
            "contact_details",
            "contact_details_cy",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "contact_details": forms.Textarea(attrs={"rows": 3}),
        }
