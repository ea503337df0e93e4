from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Menu entries, dashboard panel, board-pack paper and demo loader.
        from compact.platform.background import register_file_producer
        from partnerships import papers, permissions, wiring  # noqa: F401

        register_file_producer(papers.file_producer())  # the matrix's PDF, in the background
