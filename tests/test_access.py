"""Deny by default: every URL pattern is declared in the access table, and every role gets
exactly the access the table declares."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compact.platform.access import SELF_GUARDED_NAMESPACES, view_access
from conftest import ROLE_NAMES
from tests.access import ANONYMOUS, all_cases

DENIED = {403, 404}


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SELF_GUARDED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            found.extend(_walk(entry.url_patterns, prefix))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}" if entry.name else "", entry.callback))
    return found


URLS = _walk(get_resolver().url_patterns)
CASES = all_cases()


def test_every_url_pattern_is_named_and_declares_access() -> None:
    unnamed = [callback for name, callback in URLS if not name]
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    undeclared = [name for name, callback in URLS if view_access(callback) is None]
    assert not undeclared, f"Views that do not declare who may use them: {undeclared}"


def test_access_table_covers_exactly_the_url_patterns() -> None:
    names = {name for name, _ in URLS}
    missing = sorted(names - CASES.keys())
    stale = sorted(CASES.keys() - names)
    assert not missing, f"URLs missing from the access table: {missing}"
    assert not stale, f"Access table entries for URLs that no longer exist: {stale}"


def _queue_nothing(monkeypatch: Any) -> None:
    """A POST that queues a background file only records the task: the walk checks who may
    ask for the file, not the file (tests/<app>/ make them)."""
    from compact.platform import background

    class Recorded:
        def enqueue(self, **kwargs: Any) -> Any:
            return SimpleNamespace(id="walk-check")

    monkeypatch.setattr(background, "generate_file_task", Recorded())


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("url_name", sorted(CASES))
def test_role_gets_declared_access(
    url_name: str, role: str, world: Any, client: Any, monkeypatch: Any, settings: Any
) -> None:
    case = CASES[url_name]
    for name, value in case.settings.items():
        setattr(settings, name, value)
    kwargs, data = case.build(world)
    url = reverse(url_name, kwargs=kwargs) + case.query
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    methods = [case.method]
    if case.posts:
        methods.append("post")
        _queue_nothing(monkeypatch)
    for method in methods:
        response = getattr(client, method)(url, data)
        _check(response, url_name, method, allowed=role in case.allowed, role=role)


def _check(response: Any, url_name: str, method: str, *, allowed: bool, role: str) -> None:
    where = f"{url_name} ({method.upper()})"
    # Only a redirect that carries ?next= is "please sign in"; logout lands on login too.
    login_redirect = response.status_code == 302 and response["Location"].startswith(
        reverse("login") + "?next="
    )
    if allowed:
        assert response.status_code not in DENIED and not login_redirect, (
            f"{role} should get into {where} but got {response.status_code}"
        )
        assert response.status_code != 405, f"{where}: declare the method it accepts"
    elif role == ANONYMOUS:
        assert login_redirect, (
            f"anonymous should be sent to sign in at {where}, got {response.status_code}"
        )
    else:
        assert response.status_code in DENIED, (
            f"{role} should be refused at {where} but got {response.status_code}"
        )
