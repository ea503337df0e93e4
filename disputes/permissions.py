"""Who may see and do what with a dispute. Confidential by design.

A *disputes officer* is a member of the Officers group (the Compact Officers Group's lead
officers, who run the process) or a superuser. Nobody else sees a dispute unless they raised it,
are a named contact of one of its parties, or sit on its scrutiny panel. Confidential notes are
for officers and the panel only. Views turn every "no" on a dispute into a 404, so a dispute's
existence is never revealed to someone who may not see it.

The list of disputes a user may see is ``selectors.disputes_visible_to``; the predicates here
decide the same question for one dispute, and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

import rules

from compact.platform.access import Role, has_role, is_officer
from disputes.procedure import OPEN_STAGES, Actor, Stage, Transition

CONTACT = "contact"


def dispute_roles(user: Any, dispute: Any) -> frozenset[str]:
    """The user's roles in this dispute (officer, raiser, panel, contact), cached per object."""
    if dispute is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache = dispute.__dict__.setdefault("_roles_by_user", {})
    if user.pk in cache:
        return cache[user.pk]
    roles: set[str] = set()
    if has_role(user, Role.OFFICER):
        roles.add(Actor.OFFICER)
    if dispute.created_by_id == user.pk or dispute.raised_by.user_id == user.pk:
        roles.add(Actor.RAISER)
    if dispute.panel.filter(person__user=user).exists():
        roles.add(Actor.PANEL)
    if dispute.contacts.filter(person__user=user).exists():
        roles.add(CONTACT)
    cache[user.pk] = frozenset(roles)
    return cache[user.pk]


@rules.predicate
def is_raiser(user: Any, dispute: Any) -> bool:
    return Actor.RAISER in dispute_roles(user, dispute)


@rules.predicate
def is_panel_member(user: Any, dispute: Any) -> bool:
    return Actor.PANEL in dispute_roles(user, dispute)


@rules.predicate
def is_party_contact(user: Any, dispute: Any) -> bool:
    return CONTACT in dispute_roles(user, dispute)


@rules.predicate
def is_open(user: Any, dispute: Any) -> bool:
    return dispute is not None and dispute.stage in OPEN_STAGES


@rules.predicate
def is_before_the_panel(user: Any, dispute: Any) -> bool:
    return dispute is not None and dispute.stage in (Stage.SCRUTINY, Stage.ESCALATION)


can_view_dispute = is_officer | is_raiser | is_party_contact | is_panel_member
can_read_confidential_notes = is_officer | is_panel_member
can_write_confidential_note = can_read_confidential_notes
can_manage_dispute = is_officer
# Officers record anyone's declared interest; panel members declare their own.
can_declare_interest = is_officer | is_panel_member
can_record_stage = is_open & (is_officer | (is_panel_member & is_before_the_panel))
can_add_document = is_open & can_view_dispute

RULES = {
    "disputes.view_dispute_record": can_view_dispute,
    "disputes.read_confidential_notes": can_read_confidential_notes,
    "disputes.manage_dispute": can_manage_dispute,
    "disputes.record_stage": can_record_stage,
    "disputes.add_document": can_add_document,
}


def register_rules() -> None:
    """Install the rules above (object rules, checked with ``rules.test_rule``), from
    ``disputes.registrations``."""
    for name, predicate in RULES.items():
        rules.set_rule(name, predicate)


def can_make_transition(user: Any, dispute: Any, move: Transition) -> bool:
    """True when the user holds one of the roles the procedure allows for this move."""
    return bool(dispute_roles(user, dispute) & move.actors)
