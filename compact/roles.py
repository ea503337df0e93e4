"""The role groups, kept in step with the code after every migrate."""

from typing import Any

from django.contrib.auth.models import Group, Permission

from compact.access import Role

# Administrators manage users and roles and the reference data in the admin site.
ADMINISTRATOR_APPS = ("auth", "compact", "plans", "partnerships", "representatives", "disputes")


def ensure_role_groups(**_: Any) -> None:
    """Create the role groups and give Administrators the admin-site permissions they need."""
    groups = {role: Group.objects.get_or_create(name=str(role))[0] for role in Role}
    administrators = groups[Role.ADMINISTRATOR]
    wanted = Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    administrators.permissions.add(*wanted)
