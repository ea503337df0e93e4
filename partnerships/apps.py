from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Menu entries, dashboard panel, board-pack paper and demo loader.
        from partnerships import permissions, wiring  # noqa: F401
