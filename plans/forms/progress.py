"""The progress spreadsheet's upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.services.progress import MAX_FILE_BYTES


class ProgressUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Progress spreadsheet"),
        help_text=_("The Excel (.xlsx) or CSV file downloaded from this plan, with your edits."),
    )
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        max_length=200,
        help_text=_("Kept in each changed row's history, e.g. Progress for the March Board."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _("Only Excel (.xlsx) and CSV (.csv) files can be imported.")
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MyRowsUploadForm(ProgressUploadForm):
    """A contributor's upload: their proposals carry no reason (the officer accepting writes
    the history)."""

    reason = None  # type: ignore[assignment]
