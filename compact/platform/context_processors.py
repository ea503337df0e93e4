"""Template context shared by every page: the menu the current user may follow."""

from typing import Any

from django.http import HttpRequest

from compact.platform import registry
from compact.platform.access import Role, has_role
from compact.platform.registry import NavItem


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)

    def visible(item: Any) -> bool:
        if item.visitors_only and signed_in:
            return False
        if item.public:
            return True
        if not signed_in:
            return False
        return item.roles is None or has_role(user, *item.roles)

    items = [item for item in registry.items(NavItem) if visible(item)]
    # Group by section, in the order each section first appears; a section with a single
    # visible item is shown as a plain link.
    sections: dict[str, dict[str, Any]] = {}
    for item in items:
        key = str(item.section) if item.section else f"item:{item.url_name}"
        section = sections.setdefault(
            key, {"label": item.section or item.label, "items": [], "id": f"nav-{len(sections)}"}
        )
        section["items"].append(item)
    return {
        "nav_items": items,
        "nav_sections": list(sections.values()),
        # The refusal page must not send an administrator to "ask an administrator".
        "user_is_administrator": signed_in and has_role(user, Role.ADMINISTRATOR),
    }
