"""Deny by default: every view declares who may use it, and a middleware enforces it.

A view is decorated with one of :func:`public`, :func:`signed_in` or :func:`roles_required`
(class-based views set the same ``access`` attribute through the decorators too). A view
with no declaration is refused for everyone, so forgetting to declare fails closed, and
``tests/test_access.py`` walks every URL for every role against the declared table.

Object-level rules (a dispute's parties, a representative's own declarations) are checked in
the views with ``rules`` predicates from each app's ``permissions.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class Role(StrEnum):
    """The groups users belong to; the value is the Group's name."""

    OFFICER = "Officers"
    BOARD = "Board members"
    ADMINISTRATOR = "Administrators"
    REPRESENTATIVE = "Representatives"
    # Lead officers of the partners named on plan rows: they answer update calls for their rows.
    CONTRIBUTOR = "Contributors"


ALL_ROLES: tuple[Role, ...] = tuple(Role)


@dataclass(frozen=True)
class Access:
    """Who may use a view: anyone (public), any signed-in user, or members of some roles."""

    public: bool = False
    roles: frozenset[Role] | None = None  # None with public=False: any signed-in user

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.roles is None:
            return "signed in"
        return ", ".join(sorted(self.roles))


def _declare(view: ViewT, access: Access) -> ViewT:
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: ViewT) -> ViewT:
    """Anyone, signed in or not, may use this view."""
    return _declare(view, Access(public=True))


def signed_in(view: ViewT) -> ViewT:
    """Any signed-in user may use this view (object rules may narrow it further)."""
    return _declare(view, Access())


def roles_required(*roles: Role) -> Callable[[ViewT], ViewT]:
    """Only members of these roles (and superusers) may use this view."""
    if not roles:
        raise ValueError("roles_required needs at least one role")
    frozen = frozenset(roles)

    def decorator(view: ViewT) -> ViewT:
        return _declare(view, Access(roles=frozen))

    return decorator


def user_roles(user: Any) -> frozenset[str]:
    """The names of the user's groups, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_compact_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._compact_roles = cached
    return cached


def has_role(user: Any, *roles: Role | str) -> bool:
    """True when the user is a superuser or belongs to any of the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & {str(role) for role in roles})


# The rules predicates every app's permissions combine (one of each, here).
@rules.predicate
def is_officer(user: Any) -> bool:
    return has_role(user, Role.OFFICER)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


@rules.predicate
def is_board_member(user: Any) -> bool:
    return has_role(user, Role.BOARD)


def require_role(user: Any, *roles: Role, message: str = "") -> None:
    """For services: raise PermissionDenied unless the user holds one of the roles."""
    if not has_role(user, *roles):
        raise PermissionDenied(message or "You do not have permission to do this.")


def view_access(view_func: Callable[..., Any]) -> Access | None:
    """The declared access of a resolved view function (function or class-based)."""
    declared = getattr(view_func, "access", None)
    if declared is None:
        view_class = getattr(view_func, "view_class", None)
        declared = getattr(view_class, "access", None)
    return declared


# URL namespaces that guard themselves: the admin checks is_staff on every view.
SELF_GUARDED_NAMESPACES = frozenset({"admin"})


class AccessMiddleware:
    """Refuses any request whose view has not declared its access, and enforces the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Iterable[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            match is not None
            and match.namespaces
            and match.namespaces[0] in SELF_GUARDED_NAMESPACES
        ):
            return None
        access = view_access(view_func)
        if access is None:
            raise PermissionDenied("This page has not declared who may use it.")
        if access.public:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.roles is not None and not has_role(user, *access.roles):
            raise PermissionDenied
        return None
