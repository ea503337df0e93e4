from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Implementation plans")

    def ready(self) -> None:
        # Menu, dashboard panel and demo loader; board-pack paper provider.
        from plans import report_files, wiring_edit, wiring_reports  # noqa: F401

        report_files.register()  # the large PDFs, made in the background
