"""The role groups, kept in step with the code after every migrate, and the only way a role is
given or taken away.

Rules (docs/roles.md):

- Nobody grants or removes a role they do not hold themselves; superusers hold every role.
- Nobody but a superuser changes anything about a superuser, or superuser status itself.
- Every change is recorded (:class:`compact.models.RoleChange`) and e-mailed to the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from compact.platform.access import Role
from compact.platform.mail import send_in_their_language

# Administrators manage users and the reference data in the admin site. Not disputes: they are
# confidential to officers and the parties (docs/disputes.md).
ADMINISTRATOR_APPS = ("compact", "plans", "partnerships", "representatives")
# From ``auth`` only what managing accounts needs: no group or permission editing (a renamed
# or re-permissioned group would be a role given without the rules below), no deletion
# (accounts are deactivated so their history keeps its names).
ADMINISTRATOR_AUTH_CODENAMES = ("view_group", "view_user", "add_user", "change_user")
# The audit trail is read-only for everyone.
READ_ONLY_MODELS = {
    ("compact", "rolechange"),
    ("compact", "secondfactorchange"),
    ("compact", "recoverycode"),
}


def administrator_permissions() -> list[Permission]:
    wanted = Permission.objects.filter(
        Q(content_type__app_label__in=ADMINISTRATOR_APPS)
        | Q(content_type__app_label="auth", codename__in=ADMINISTRATOR_AUTH_CODENAMES)
    ).select_related("content_type")
    return [
        permission
        for permission in wanted
        if (permission.content_type.app_label, permission.content_type.model)
        not in READ_ONLY_MODELS
        or permission.codename.startswith("view_")
    ]


def ensure_role_groups(sender: Any = None, **_: Any) -> None:
    """post_migrate: create the role groups and set the Administrators' permissions.

    Runs once per migrate, after the *last* app's signal, so every app's permissions exist by
    then (a group set up earlier would lack the later apps' permissions until the next migrate).
    Idempotent: the permissions are set, not added to.
    """
    # migrate signals only apps with models, in INSTALLED_APPS order.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not None and sender.label != with_models[-1].label:
        return
    groups = {role: Group.objects.get_or_create(name=str(role))[0] for role in Role}
    groups[Role.ADMINISTRATOR].permissions.set(administrator_permissions())


# --- Who may change whose roles -------------------------------------------------------------


def roles_held(actor: Any) -> frozenset[str]:
    """The role (group) names the actor may give or take away: their own; all for superusers."""
    if actor is None:  # the system
        return frozenset(Group.objects.values_list("name", flat=True))
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return frozenset()
    if actor.is_superuser:
        return frozenset(Group.objects.values_list("name", flat=True))
    return frozenset(actor.groups.values_list("name", flat=True))


def may_manage_user(actor: Any, user: Any) -> bool:
    """The actor may change this account: a superuser, or someone who holds every role the
    account holds (so nobody takes over an account above their own, e.g. by changing its
    e-mail address and resetting the password) and the account is not a superuser."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if user is None or user.pk is None:
        return True
    if user.is_superuser:
        return False
    return set(user.groups.values_list("name", flat=True)) <= roles_held(actor)


@transaction.atomic
def set_roles(
    *,
    user: Any,
    roles: Iterable[str],
    actor: Any,
    reason: str = "",
    notify: bool = True,
    procedure: bool = False,
) -> list[Any]:
    """Give the user exactly these roles (group names); returns the RoleChange records written.

    ``actor=None`` is the system. Refused (PermissionDenied, nothing changed) when any added or
    removed role is one the actor does not hold, or the account is one the actor may not manage.
    ``procedure=True``: the role comes with a decision the caller has already authorised (an
    administrator approving a sign-up makes a Representative); recorded all the same.
    """
    from compact.models.roles import RoleChange

    wanted = set(roles)
    current = set(user.groups.values_list("name", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return []
    if not procedure and not may_manage_user(actor, user):
        raise PermissionDenied(_("You may not change the roles of %(user)s.") % {"user": user})
    beyond = (set(added) | set(removed)) - roles_held(actor)
    if beyond and not procedure:
        raise PermissionDenied(
            _("You may only give or take away roles you hold yourself; not %(roles)s.")
            % {"roles": ", ".join(sorted(beyond))}
        )
    missing = set(added) - set(Group.objects.filter(name__in=added).values_list("name", flat=True))
    if missing:
        names = ", ".join(sorted(missing))
        raise PermissionDenied(_("No such role: %(roles)s.") % {"roles": names})
    user.groups.add(*Group.objects.filter(name__in=added))
    user.groups.remove(*Group.objects.filter(name__in=removed))
    user.__dict__.pop("_compact_roles", None)
    by = getattr(actor, "username", "") if actor is not None else ""
    records = [
        RoleChange.objects.create(
            user=user,
            username=user.get_username(),
            changed_by=actor,
            changed_by_username=by,
            role=role,
            action=action,
            reason=reason[:200],
        )
        for action, changed in (
            (RoleChange.Action.ADDED, added),
            (RoleChange.Action.REMOVED, removed),
        )
        for role in changed
    ]
    from compact.models.audit import AccountEvent
    from compact.platform.audit import record_account_event

    for record in records:
        record_account_event(
            AccountEvent.Kind.ROLE_CHANGED,
            user=user,
            detail=f"{record.role} {record.action} by {by}",
        )
    if notify and user.email:
        context = {
            "user": user,
            "records": records,
            "actor": actor,
            "site_url": settings.SITE_URL,
        }
        send_in_their_language(
            recipients=[user],
            subject=lambda: _("Your roles in the Compact Tracker have changed"),
            body=lambda: render_to_string("compact/email/roles_changed.txt", context),
        )
    return records


def grant_role(
    *,
    user: Any,
    role: str,
    actor: Any,
    reason: str = "",
    notify: bool = True,
    procedure: bool = False,
) -> list[Any]:
    """Add one role, keeping the user's others (same checks and record as :func:`set_roles`)."""
    current = set(user.groups.values_list("name", flat=True))
    return set_roles(
        user=user,
        roles=current | {role},
        actor=actor,
        reason=reason,
        notify=notify,
        procedure=procedure,
    )
