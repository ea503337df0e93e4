"""What the partnerships register plugs into the platform: menu entries, its dashboard panel,
the compliance matrix as a board-pack paper and as a PDF made in the background, the demo
register and the permission rules. ``PartnershipsConfig.ready()`` calls :func:`register`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.platform import registry
from compact.platform.access import Role
from compact.platform.registry import DashboardPanel, NavItem
from partnerships import demo, panels, papers, permissions


def register() -> None:
    registry.register(
        NavItem(
            label=_("Partnerships"),
            url_name="partnerships:list",
            section=_("Partnerships"),
            order=30,
        ),
        NavItem(
            label=_("Code compliance"),
            url_name="partnerships:matrix",
            section=_("Partnerships"),
            order=31,
            roles=frozenset({Role.BOARD, Role.OFFICER}),
        ),
        DashboardPanel(
            key="partnerships",
            template="partnerships/_dashboard_panel.html",
            context=panels.register_panel,
            order=30,
        ),
        papers.PROVIDER,
        papers.file_producer(),
        DemoLoader(name="partnerships", load=demo.load, order=20),
    )
    permissions.register_rules()
