"""Registers the register's menu entries, dashboard panel, board-pack paper and demo loader."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.platform.access import Role
from compact.platform.registry import (
    DashboardPanel,
    NavItem,
    register_dashboard_panel,
    register_demo_loader,
    register_nav_item,
    register_paper_provider,
)
from partnerships import papers
from partnerships.permissions import can_edit_register, can_view_matrix


def _panel_context(request: HttpRequest) -> dict[str, Any] | None:
    from partnerships.selectors import register_summary

    return {
        "summary": register_summary(),
        "can_edit": can_edit_register(request.user),
        "can_view_matrix": can_view_matrix(request.user),
    }


def _load_demo(context: Any) -> None:
    from partnerships.demo import load

    load(context)


register_nav_item(
    NavItem(
        label=_("Partnerships"), url_name="partnerships:list", section=_("Partnerships"), order=30
    )
)
register_nav_item(
    NavItem(
        label=_("Code compliance"),
        url_name="partnerships:matrix",
        section=_("Partnerships"),
        order=31,
        roles=frozenset({Role.BOARD, Role.OFFICER}),
    )
)
register_dashboard_panel(
    DashboardPanel(
        key="partnerships",
        template="partnerships/_dashboard_panel.html",
        context=_panel_context,
        order=30,
    )
)
register_paper_provider(papers.PROVIDER)
register_demo_loader(DemoLoader(name="partnerships", load=_load_demo, order=20))
