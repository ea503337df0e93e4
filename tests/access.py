"""The declared access table: who may use each URL. Each app keeps its part in
``tests/<app>/access_cases.py`` as ``CASES = {"namespace:url_name": Case(...)}``;
``tests/test_access.py`` walks every URL pattern for every role against it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"
SIGNED_IN = frozenset(
    {"representative", "board", "officer", "administrator", "superuser", "contributor"}
)
EVERYONE = SIGNED_IN | {ANONYMOUS}
OFFICERS = frozenset({"officer", "superuser"})
ADMINISTRATORS = frozenset({"administrator", "superuser"})
OFFICERS_AND_ADMINISTRATORS = OFFICERS | ADMINISTRATORS
BOARD_AND_OFFICERS = OFFICERS | {"board"}
REPRESENTATIVES = frozenset({"representative", "superuser"})
CONTRIBUTORS = frozenset({"contributor", "superuser"})


@dataclass(frozen=True)
class Case:
    """How to call one URL and which roles get in. Everyone else gets 403 or 404; anonymous
    visitors are sent to the login page unless the URL is public."""

    allowed: frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    query: str = ""
    # GET shows a page whose form POSTs back here to act
    # (compact.platform.background.offer_or_start):
    # the walk also POSTs, for the same roles, and the CSRF check POSTs without a token.
    posts: bool = False
    # Settings the walk runs this URL under (pages that exist only when configured).
    settings: dict[str, Any] = field(default_factory=dict)

    def build(self, world: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.kwargs(world), (self.data(world) if self.data else {})


APP_CASE_MODULES = (
    "tests.compact.access_cases",
    "tests.compact.access_cases_files",
    "tests.compact.access_cases_attendance",
    "tests.compact.access_cases_minutes",
    "tests.compact.access_cases_api",
    "tests.plans.access_cases",
    "tests.plans.access_cases_reports",
    "tests.plans.access_cases_calls",
    "tests.partnerships.access_cases",
    "tests.representatives.access_cases",
    "tests.disputes.access_cases",
)


def all_cases() -> dict[str, Case]:
    import importlib

    cases: dict[str, Case] = {}
    for module_name in APP_CASE_MODULES:
        module = importlib.import_module(module_name)
        overlap = cases.keys() & module.CASES.keys()
        assert not overlap, f"URL names declared twice: {sorted(overlap)}"
        cases.update(module.CASES)
    return cases
