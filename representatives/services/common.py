"""What the representatives' services share: the date, names, and the officer check."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.platform.access import Role, require_role
from compact.platform.history import save_with_history
from representatives.models import (
    RoundEvent,
    SelectionRound,
)

Status = SelectionRound.Status


SIGNUP_TOKEN_SALT = "representatives.signup.confirm"  # noqa: S105  (a salt, not a secret)


SIGNUP_TOKEN_MAX_AGE = 7 * 24 * 3600


CONSENT_WORDING = gettext_lazy(
    "Voluntary Action Merthyr Tydfil (VAMT) will hold the details you give on this form to "
    "consider you for third-sector representation or membership on partnerships and joint "
    "working groups under the Merthyr Tydfil Compact, and to contact you about it. Your "
    "details are seen only by VAMT officers and Compact Tracker administrators. The lawful "
    "basis is your consent (UK GDPR Article 6(1)(a)); you may withdraw it at any time and ask "
    "us to erase your details by emailing VAMT."
)


def _today() -> datetime.date:
    return timezone.localdate()


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _lock(selection_round: SelectionRound) -> SelectionRound:
    return SelectionRound.objects.select_for_update().get(pk=selection_round.pk)


def _advance(
    selection_round: SelectionRound,
    status: str,
    *,
    actor: Any,
    happened_on: datetime.date,
    note: str = "",
) -> None:
    selection_round.status = status
    save_with_history(selection_round, actor=actor, reason=str(Status(status).label))
    RoundEvent.objects.create(
        round=selection_round,
        step=status,
        happened_on=happened_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _require_officer(actor: Any) -> None:
    require_role(actor, Role.OFFICER, message=_("Only VAMT officers run selection rounds."))
