"""Template context shared by every page: the menu the current user may follow."""

from typing import Any

from django.http import HttpRequest

from compact.access import has_role
from compact.registry import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)

    def visible(item: Any) -> bool:
        if item.public:
            return True
        if not signed_in:
            return False
        return item.roles is None or has_role(user, *item.roles)

    items = [item for item in nav_items() if visible(item)]
    return {"nav_items": items}
