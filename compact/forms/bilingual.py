"""Editors of content in two languages: each translated field beside its Welsh twin
(``<name>_cy``), English and Cymraeg side by side, stacked on a phone (docs/welsh.md)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from compact.platform.language import welsh_name

# Column headings over the pairs, each language named in itself (hidden on a phone, where the
# columns stack and the Welsh labels say "in Welsh").
_HEADS = (
    '<div class="row d-none d-md-flex bilingual-heads" aria-hidden="true">'
    '<div class="col-md-6 fw-bold" lang="en">English</div>'
    '<div class="col-md-6 fw-bold" lang="cy">Cymraeg</div></div>'
)


def add_welsh_fields(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Give each field in ``names`` a Welsh twin (``<name>_cy``, never required, the same
    widget and length limit) right after it, and lay the pairs out side by side
    (``{% crispy form %}``; ``includes/form.html`` does it). A model form may already have the
    twin (a model field in ``Meta.fields``): it is relabelled and placed. The model's
    validators hold the same limits for both (the service's full_clean)."""
    fields = form.fields
    order = [name for name in fields if not (name.endswith("_cy") and name[:-3] in names)]
    for name in names:
        english = fields[name]
        twin = welsh_name(name)
        welsh = fields.get(twin)
        if welsh is None:
            welsh = forms.CharField(
                required=False,
                max_length=getattr(english, "max_length", None),
                widget=type(english.widget)(),
            )
            fields[twin] = welsh
        welsh.label = format_lazy(_("{field} in Welsh"), field=english.label)
        welsh.help_text = ""
        welsh.required = False
        welsh.widget.attrs.update({**english.widget.attrs, "lang": "cy"})
        english.widget.attrs["lang"] = "en"
        order.insert(order.index(name) + 1, twin)
    form.order_fields(order)
    layout: list[Any] = [HTML(_HEADS)]
    for name in form.fields:
        if name.endswith("_cy") and name[:-3] in names:
            continue
        if name in names:
            layout.append(
                Div(
                    Div(Field(name), css_class="col-md-6 bilingual-en"),
                    Div(Field(welsh_name(name)), css_class="col-md-6 bilingual-cy"),
                    css_class="row bilingual-pair",
                )
            )
        else:
            layout.append(name)
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    form.helper = helper  # type: ignore[attr-defined]


class BilingualMixin:
    """For a form (or model form) whose ``TRANSLATED`` fields have Welsh twins. Where the
    English was required (in a plain form), or the field is in ``ONE_REQUIRED`` (a model
    form's field whose model checks it with ``require_one_language``), one of the two
    languages now is."""

    TRANSLATED: tuple[str, ...] = ()
    ONE_REQUIRED: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        fields = self.fields  # type: ignore[attr-defined]
        # A model form keeps a required English field required unless its model takes either.
        model_form = isinstance(self, forms.ModelForm)
        self.bilingual_required = tuple(
            name
            for name in self.TRANSLATED
            if name in self.ONE_REQUIRED or (fields[name].required and not model_form)
        )
        add_welsh_fields(self, self.TRANSLATED)  # type: ignore[arg-type]
        for name in self.bilingual_required:  # order_fields made a new dict
            self.fields[name].required = False  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        if isinstance(self, forms.ModelForm):
            return cleaned  # the model's clean (require_one_language) says it, once
        for name in self.bilingual_required:
            english = cleaned.get(name)
            welsh = cleaned.get(welsh_name(name))
            if not english and not welsh and name not in self.errors:  # type: ignore[attr-defined]
                self.add_error(  # type: ignore[attr-defined]
                    name, _("Write this in English or in Welsh (or both).")
                )
        return cleaned
