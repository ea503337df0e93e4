from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = _("Compact")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from compact import (  # noqa: F401  (menu, panels, rules, background files, checks)
            background_packs,
            checks,
            navigation,
            permissions,
        )
        from compact.reminders import register_reminder
        from compact.roles import ensure_role_groups
        from compact.services.notifications import send_weekly_digests

        register_reminder("compact.weekly_digest", send_weekly_digests)

        from django.contrib.auth.signals import user_logged_in

        from compact.language import apply_on_sign_in

        user_logged_in.connect(apply_on_sign_in, dispatch_uid="compact.language_on_sign_in")
        # Every app's signal, acting on the last one: by then all permissions exist.
        post_migrate.connect(ensure_role_groups, dispatch_uid="compact.ensure_role_groups")
