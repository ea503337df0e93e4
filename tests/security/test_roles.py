"""Administrators cannot raise themselves (or anyone) above their own roles through the admin;
role changes are checked, recorded and e-mailed; role permissions are right after any number
of migrates, and the admin never fails for an Administrator."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from compact.models import RoleChange
from compact.platform.access import Role
from compact.platform.roles import ADMINISTRATOR_APPS, set_roles

pytestmark = pytest.mark.security


def _change_url(user: Any) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def _user_form_data(user: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_administrator_cannot_add_themselves_to_officers(world: Any, client_for: Any) -> None:
    me = world.users["administrator"]
    officers = Group.objects.get(name=str(Role.OFFICER))
    client = client_for("administrator")
    groups = [str(pk) for pk in me.groups.values_list("pk", flat=True)] + [str(officers.pk)]
    response = client.post(_change_url(me), _user_form_data(me, groups=groups))
    assert response.status_code in (200, 403)  # the form refuses the choice, or 403
    assert not me.groups.filter(name=str(Role.OFFICER)).exists()
    assert not RoleChange.objects.exists()
    # And so cannot open any dispute page meant for officers.
    assert client.get(reverse("disputes:report")).status_code == 403


def test_administrator_cannot_make_themselves_superuser(world: Any, client_for: Any) -> None:
    me = world.users["administrator"]
    client = client_for("administrator")
    response = client.post(_change_url(me), _user_form_data(me, is_superuser="on"))
    assert response.status_code in (200, 302)
    me.refresh_from_db()
    assert not me.is_superuser
    page = client.get(_change_url(me)).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_administrator_cannot_give_themselves_permissions(world: Any, client_for: Any) -> None:
    me = world.users["administrator"]
    permission = Permission.objects.get(codename="change_group")
    client_for("administrator").post(
        _change_url(me), _user_form_data(me, user_permissions=[str(permission.pk)])
    )
    assert not me.user_permissions.exists()


@pytest.mark.parametrize("target", ["officer", "board", "representative", "superuser"])
def test_administrator_cannot_change_an_account_above_their_own(
    world: Any, client_for: Any, target: str
) -> None:
    """Changing an officer's e-mail and then resetting the password would be a takeover."""
    victim = world.users[target]
    client = client_for("administrator")
    response = client.post(_change_url(victim), _user_form_data(victim, email="evil@example.com"))
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.email != "evil@example.com"


@pytest.mark.parametrize("target", ["administrator", "officer", "superuser"])
def test_administrator_cannot_set_anyones_password(
    world: Any, client_for: Any, target: str
) -> None:
    victim = world.users[target]
    client = client_for("administrator")
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Taken-over-9876", "password2": "Taken-over-9876"})
    assert response.status_code == 403
    victim.refresh_from_db()
    assert not victim.check_password("Taken-over-9876")


def test_administrator_cannot_rename_or_repermission_groups(world: Any, client_for: Any) -> None:
    administrators = Group.objects.get(name=str(Role.ADMINISTRATOR))
    client = client_for("administrator")
    url = reverse("admin:auth_group_change", args=[administrators.pk])
    response = client.post(url, {"name": str(Role.OFFICER), "permissions": []})
    assert response.status_code == 403
    assert Group.objects.filter(name=str(Role.ADMINISTRATOR)).exists()
    assert client.get(reverse("admin:auth_group_add")).status_code == 403


def test_administrator_grants_their_own_role_recorded_and_emailed(
    world: Any, client_for: Any, django_user_model: Any
) -> None:
    newcomer = django_user_model.objects.create_user(
        username="newcomer", email="newcomer@example.org", first_name="Nia", last_name="Evans"
    )
    administrators = Group.objects.get(name=str(Role.ADMINISTRATOR))
    me = world.users["administrator"]
    response = client_for("administrator").post(
        _change_url(newcomer),
        _user_form_data(newcomer, is_staff="on", groups=[str(administrators.pk)]),
    )
    assert response.status_code == 302
    assert newcomer.groups.filter(name=str(Role.ADMINISTRATOR)).exists()
    record = RoleChange.objects.get()
    assert (record.user, record.changed_by, record.role, record.action) == (
        newcomer,
        me,
        str(Role.ADMINISTRATOR),
        RoleChange.Action.ADDED,
    )
    assert record.changed_at is not None
    assert [message.to for message in mail.outbox] == [["newcomer@example.org"]]
    assert "Administrators: added" in mail.outbox[0].body


def test_removing_a_role_is_recorded_and_emailed(world: Any) -> None:
    officer = world.users["officer"]
    set_roles(user=officer, roles=[], actor=world.users["superuser"], reason="Left the council")
    record = RoleChange.objects.get()
    assert (record.role, record.action, record.reason) == (
        str(Role.OFFICER),
        RoleChange.Action.REMOVED,
        "Left the council",
    )
    assert mail.outbox[0].to == [officer.email]
    assert "Officers: removed" in mail.outbox[0].body


def test_service_refuses_roles_the_actor_does_not_hold(world: Any) -> None:
    target = world.users["representative"]
    with pytest.raises(PermissionDenied):
        set_roles(user=target, roles=[str(Role.OFFICER)], actor=world.users["administrator"])
    assert not target.groups.filter(name=str(Role.OFFICER)).exists()
    assert not RoleChange.objects.exists()
    assert not mail.outbox


def test_role_audit_trail_is_read_only(world: Any, client_for: Any) -> None:
    set_roles(user=world.users["board"], roles=[], actor=world.users["superuser"])
    record = RoleChange.objects.get()
    client = client_for("administrator")
    assert client.get(reverse("admin:compact_rolechange_changelist")).status_code == 200
    change = reverse("admin:compact_rolechange_change", args=[record.pk])
    assert client.post(change, {"role": "Officers"}).status_code == 403
    assert client.post(reverse("admin:compact_rolechange_delete", args=[record.pk])).status_code
    assert RoleChange.objects.get().role == str(Role.BOARD)


# --- Item 4: role permissions after every migrate; the admin never 500s ----------------------


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
    return urls


def test_second_migrate_then_every_admin_page_answers_for_administrators(
    world: Any, client_for: Any
) -> None:
    administrators = Group.objects.get(name=str(Role.ADMINISTRATOR))
    before = set(administrators.permissions.values_list("pk", flat=True))
    call_command("migrate", verbosity=0, interactive=False)
    after = set(administrators.permissions.values_list("pk", flat=True))
    # Complete after the first migrate already, and unchanged by the second (idempotent).
    assert before == after
    apps_with_permissions = set(
        administrators.permissions.values_list("content_type__app_label", flat=True)
    )
    assert set(ADMINISTRATOR_APPS) <= apps_with_permissions
    assert "disputes" not in apps_with_permissions
    client = client_for("administrator")
    failures = {}
    for url in _admin_urls():
        status = client.get(url).status_code
        if status not in (200, 403):
            failures[url] = status
    assert not failures
    assert client.get(reverse("admin:index")).status_code == 200


def test_superuser_grants_officer_through_the_admin_recorded(world: Any, client_for: Any) -> None:
    target = world.users["board"]
    officers = Group.objects.get(name=str(Role.OFFICER))
    groups = [str(pk) for pk in target.groups.values_list("pk", flat=True)] + [str(officers.pk)]
    response = client_for("superuser").post(
        _change_url(target), _user_form_data(target, groups=groups)
    )
    assert response.status_code == 302
    assert target.groups.filter(name=str(Role.OFFICER)).exists()
    assert RoleChange.objects.get().changed_by == world.users["superuser"]
    assert mail.outbox[0].to == [target.email]


@pytest.mark.parametrize("role", ["representative", "board", "officer", "administrator"])
def test_every_rule_answers_a_question_without_an_object(world: Any, role: str) -> None:
    """The admin asks model-level questions (``has_perm(name)``, no object)."""
    from rules.permissions import permissions

    user = world.users[role]
    for name in permissions:
        assert user.has_perm(name) in (True, False), name
        assert permissions.test_rule(name, user, None) in (True, False), name
