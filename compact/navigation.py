"""The core app's menu entries and dashboard panels (upper apps register their own)."""

from django.utils.translation import gettext_lazy as _

from compact.access import Role
from compact.registry import NavItem, register_nav_item

register_nav_item(NavItem(label=_("Bodies"), url_name="compact:body_list", order=80))
register_nav_item(NavItem(label=_("Organisations"), url_name="compact:organisation_list", order=85))
register_nav_item(
    NavItem(
        label=_("People"),
        url_name="compact:person_list",
        order=90,
        roles=frozenset({Role.OFFICER, Role.ADMINISTRATOR}),
    )
)
