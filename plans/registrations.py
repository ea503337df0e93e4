"""What the plans app plugs into the platform: menu entries, dashboard panels, the update
report as a board-pack paper, its large PDFs made in the background, the demo plan, the daily
overdue-rows reminder and the permission rules. ``PlansConfig.ready()`` calls :func:`register`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.links import ActionLinkTarget, MyActionsSection
from compact.platform import registry
from compact.platform.access import ALL_ROLES, Role, is_officer
from compact.platform.registry import DashboardPanel, MeetingPanel, NavItem, PublicPanel
from compact.platform.reminders import Reminder
from compact.platform.search import SearchSource
from plans import demo, panels, papers, permissions, report_files, selectors
from plans.reminders import overdue_rows_remind
from plans.selectors.actions import ACTION_LINK_TARGET, my_rows_section
from plans.selectors.search import search_rows
from plans.services.calls import call_reminders_send
from plans.views.calls import meeting_panel_context

OFFICERS = frozenset({Role.OFFICER})


def register() -> None:
    registry.register(
        SearchSource(key="plan-rows", label=_("Plan rows"), search=search_rows, order=50),
        NavItem(
            label=_("Implementation plan"),
            url_name="plans:plan_list",
            section=_("Plan"),
            order=10,
            roles=OFFICERS,
        ),
        NavItem(
            label=_("Plan updates"),
            url_name="plans:update_index",
            section=_("Plan"),
            order=11,
            roles=frozenset(ALL_ROLES),
            public=True,
        ),
        DashboardPanel(
            key="plans.actions",
            template="plans/panel_actions.html",
            context=panels.dashboard_panel_context,
            order=10,
            roles=OFFICERS,
        ),
        DashboardPanel(
            key="plans.latest_update",
            template="plans/panel_latest_update.html",
            context=panels.latest_update_panel_context,
            order=5,
            roles=frozenset(ALL_ROLES),
        ),
        PublicPanel(
            key="plans.public_updates",
            template="plans/panel_public_updates.html",
            context=panels.public_updates_panel_context,
            order=10,
        ),
        papers.provider(),
        *report_files.producers(),
        DemoLoader(name="Implementation plan", load=demo.load, order=10),
        Reminder("plans.overdue_rows", overdue_rows_remind),
        Reminder("plans.update_call_reminders", call_reminders_send),
        NavItem(
            label=_("My rows"),
            url_name="plans:my_calls",
            section=_("Plan"),
            order=12,
            roles=frozenset({Role.CONTRIBUTOR}),
        ),
        MeetingPanel(
            key="plans.update_call",
            template="plans/calls/_meeting_panel.html",
            context=meeting_panel_context,
        ),
        ActionLinkTarget(
            key=ACTION_LINK_TARGET,
            label=_("Implementation plan rows"),
            choices=selectors.action_link_choices,
            describe=selectors.action_link_rows,
            # The rows' addresses open the plan editor; others read the row's label.
            readable_by=is_officer,
        ),
        MyActionsSection(
            key="plans.rows",
            label=_("Plan rows I answer for"),
            template="plans/_my_rows.html",
            context=my_rows_section,
            order=10,
        ),
    )
    permissions.register_rules()
