"""What the disputes app plugs into the platform: menu entries, the officers' dashboard panel,
the Board's monitoring paper (and its PDF in the background), the demo disputes, the daily
reminder of overdue stages and the object rules. ``DisputesConfig.ready()`` calls
:func:`register`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.platform import registry
from compact.platform.access import Role
from compact.platform.registry import DashboardPanel, NavItem
from compact.platform.reminders import Reminder
from compact.platform.search import SearchSource
from disputes import demo, panels, papers, permissions
from disputes.selectors import search_disputes
from disputes.services import dispute_reminders_send


def register() -> None:
    registry.register(
        SearchSource(key="disputes", label=_("Disputes"), search=search_disputes, order=150),
        NavItem(label=_("Disputes"), url_name="disputes:list", section=_("Disputes"), order=60),
        NavItem(
            label=_("Disputes monitoring"),
            url_name="disputes:report",
            section=_("Disputes"),
            order=61,
            roles=papers.BOARD_AND_OFFICERS,
        ),
        DashboardPanel(
            key="disputes-overdue",
            template="disputes/panel_overdue.html",
            context=panels.officers_panel,
            order=40,
            roles=frozenset({Role.OFFICER}),
        ),
        papers.provider(),
        papers.file_producer(),
        DemoLoader(name="disputes", load=demo.load_disputes_demo, order=40),
        Reminder("disputes.overdue_stages", lambda today: dispute_reminders_send(today=today)),
    )
    permissions.register_rules()
