"""What the core app plugs into the platform: its menu entries, dashboard panels, files made
in the background, the weekly digest, its permission rules, and its signal receivers.
``CompactConfig.ready()`` calls :func:`register`; upper apps have a module of the same name."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core import checks as system_checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from compact import panels, permissions
from compact.papers import attendance as attendance_paper
from compact.papers import files
from compact.platform import audit, checks, registry, sessions
from compact.platform.access import Role
from compact.platform.language import apply_on_sign_in
from compact.platform.registry import DashboardPanel, NavItem
from compact.platform.reminders import Reminder
from compact.platform.roles import ensure_role_groups
from compact.selectors.search import SOURCES as SEARCH_SOURCES
from compact.services.accounts import inactive_accounts_disable
from compact.services.actions import send_action_reminders
from compact.services.interests import send_interest_reminders
from compact.services.notifications import send_weekly_digests

BOARD = _("Compact Board")
OFFICERS_AND_ADMINISTRATORS = frozenset({Role.OFFICER, Role.ADMINISTRATOR})


def register() -> None:
    registry.register(
        *SEARCH_SOURCES,
        NavItem(label=_("My actions"), url_name="compact:my_actions", section=BOARD, order=69),
        NavItem(label=_("Meetings"), url_name="compact:meeting_programme", section=BOARD, order=70),
        NavItem(
            label=_("Decisions register"),
            url_name="compact:decision_register",
            section=BOARD,
            order=71,
        ),
        # Visitors' menu: the public home page (at /) and how to raise a concern.
        NavItem(
            label=_("About the Compact"), url_name="home", order=1, public=True, visitors_only=True
        ),
        NavItem(
            label=_("Raise a concern"),
            url_name="compact:contact",
            order=95,
            public=True,
            visitors_only=True,
        ),
        NavItem(
            label=_("Codes of practice"), url_name="compact:code_list", section=BOARD, order=75
        ),
        NavItem(label=_("Bodies"), url_name="compact:body_list", section=BOARD, order=80),
        NavItem(
            label=_("Organisations"), url_name="compact:organisation_list", section=BOARD, order=85
        ),
        NavItem(
            label=_("People"),
            url_name="compact:person_list",
            section=BOARD,
            order=90,
            roles=OFFICERS_AND_ADMINISTRATORS,
        ),
        DashboardPanel(
            key="compact-meetings",
            template="compact/panels/meetings.html",
            context=panels.meetings_panel,
            order=20,
        ),
        DashboardPanel(
            key="compact-my-actions",
            template="compact/panels/my_actions.html",
            context=panels.my_actions_panel,
            order=8,
        ),
        DashboardPanel(
            key="compact-rotation",
            template="compact/panels/rotation.html",
            context=panels.rotation_panel,
            order=25,
            roles=OFFICERS_AND_ADMINISTRATORS,
        ),
        NavItem(
            label=_("My register of interests"),
            url_name="compact:my_interests",
            section=BOARD,
            order=76,
        ),
        NavItem(
            label=_("Register of interests"),
            url_name="compact:interest_register",
            section=BOARD,
            order=77,
            roles=frozenset({Role.OFFICER}),
        ),
        NavItem(
            label=_("Attendance figures"),
            url_name="compact:attendance_report",
            section=BOARD,
            order=78,
            roles=frozenset({Role.OFFICER}),
        ),
        NavItem(
            label=_("Two-step sign-in of accounts"),
            url_name="two_factor_people",
            section=BOARD,
            order=92,
            roles=frozenset({Role.ADMINISTRATOR}),
        ),
        NavItem(
            label=_("Disabled accounts"),
            url_name="accounts_disabled",
            section=BOARD,
            order=93,
            roles=frozenset({Role.ADMINISTRATOR}),
        ),
        *files.producers(),
        attendance_paper.provider(),
        Reminder("compact.weekly_digest", send_weekly_digests),
        # A month before a member's register of interests is due to be confirmed, once.
        Reminder("compact.interests_confirm", send_interest_reminders),
        # Accounts unused for ACCOUNT_INACTIVE_DAYS: told once, then disabled.
        Reminder("compact.inactive_accounts", inactive_accounts_disable),
        # ACTION_REMINDER_DAYS before an open action is due, its owner; once per due date.
        Reminder("compact.action_due", send_action_reminders),
    )
    permissions.register_rules()
    system_checks.register(checks.check_proxy_count, system_checks.Tags.security, deploy=True)
    system_checks.register(checks.check_second_factor, system_checks.Tags.security, deploy=True)
    user_logged_in.connect(apply_on_sign_in, dispatch_uid="compact.language_on_sign_in")
    # The account audit log (compact/platform/audit.py).
    user_logged_in.connect(sessions.note_sign_in, dispatch_uid="compact.session_note_sign_in")
    user_logged_in.connect(audit.on_signed_in, dispatch_uid="compact.audit_signed_in")
    user_logged_out.connect(audit.on_signed_out, dispatch_uid="compact.audit_signed_out")
    user_login_failed.connect(audit.on_sign_in_failed, dispatch_uid="compact.audit_sign_in_failed")
    # Every app's signal, acting on the last one: by then all permissions exist.
    post_migrate.connect(ensure_role_groups, dispatch_uid="compact.ensure_role_groups")
