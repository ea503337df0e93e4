"""Registers the plans menu entries, dashboard panel and demo loader."""

from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.platform.access import Role
from compact.platform.registry import (
    DashboardPanel,
    NavItem,
    register_dashboard_panel,
    register_demo_loader,
    register_nav_item,
)
from compact.platform.reminders import register_reminder
from plans import demo, views_edit
from plans.reminders import overdue_rows_remind

OFFICERS = frozenset({Role.OFFICER})

register_nav_item(
    NavItem(
        label=_("Implementation plan"),
        url_name="plans:plan_list",
        section=_("Plan"),
        order=10,
        roles=OFFICERS,
    )
)
register_dashboard_panel(
    DashboardPanel(
        key="plans.actions",
        template="plans/panel_actions.html",
        context=views_edit.dashboard_panel_context,
        order=10,
        roles=OFFICERS,
    )
)
register_demo_loader(DemoLoader(name="Implementation plan", load=demo.load, order=10))
register_reminder("plans.overdue_rows", overdue_rows_remind)
