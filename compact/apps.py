from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = _("Compact")

    def ready(self) -> None:
        from compact import registrations

        registrations.register()
