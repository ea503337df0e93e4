"""Showing a service's refusal on a form, the one way every view does it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_validation_error(form: Any, error: ValidationError) -> None:
    """Put each field's messages on that field when the form has it, everything else on top of
    the form (a service validates the model, whose fields a form may not all show)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
