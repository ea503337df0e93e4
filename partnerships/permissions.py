"""Who may do what in the partnerships register (``rules`` predicates).

Officers keep the register (partnerships, places, checklist, reviews, import, settings). Any
signed-in user may read it; the Compact Board and officers read the compliance matrix. Contact
details (the partnership contact's e-mail and phone) are personal data: officers and
administrators only. The public page is separate and shows names and organisations only.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from compact.platform.access import Role, has_role, is_officer


@rules.predicate
def is_board_or_officer(user: Any) -> bool:
    return has_role(user, Role.BOARD, Role.OFFICER)


@rules.predicate
def sees_contact_details(user: Any) -> bool:
    return has_role(user, Role.OFFICER, Role.ADMINISTRATOR)


RULES = {
    "partnerships.edit_register": is_officer,
    "partnerships.view_matrix": is_board_or_officer,
    "partnerships.view_contact_details": sees_contact_details,
}


def register_rules() -> None:
    """Install the rules above (from ``partnerships.registrations``)."""
    for name, predicate in RULES.items():
        rules.set_perm(name, predicate)


def can_edit_register(user: Any) -> bool:
    return bool(is_officer(user))


def can_view_matrix(user: Any) -> bool:
    return bool(is_board_or_officer(user))


def can_view_contact_details(user: Any) -> bool:
    return bool(sees_contact_details(user))


def require_register_editor(actor: Any) -> None:
    """For services: only officers change the register. ``None`` is the command line."""
    if actor is None:
        return
    if not can_edit_register(actor):
        raise PermissionDenied(_("Only Compact officers can change the partnerships register."))
