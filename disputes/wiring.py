"""What the disputes app adds to the ground floor: menu entries, the officers' dashboard panel,
the Board's monitoring paper and the demo loader."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform.access import Role
from compact.platform.registry import (
    DashboardPanel,
    NavItem,
    register_dashboard_panel,
    register_demo_loader,
    register_nav_item,
    register_paper_provider,
)
from compact.platform.reminders import register_reminder
from disputes.services import dispute_reminders_send

PAPER_KEY = "disputes.monitoring_report"

register_nav_item(
    NavItem(label=_("Disputes"), url_name="disputes:list", section=_("Disputes"), order=60)
)
register_nav_item(
    NavItem(
        label=_("Disputes monitoring"),
        url_name="disputes:report",
        section=_("Disputes"),
        order=61,
        roles=frozenset({Role.BOARD, Role.OFFICER}),
    )
)


def _officers_panel(request: HttpRequest) -> dict[str, Any] | None:
    from disputes.models import Dispute
    from disputes.procedure import OPEN_STAGES
    from disputes.selectors import overdue_stages

    return {
        "overdue": overdue_stages(),
        "open_count": Dispute.objects.filter(stage__in=OPEN_STAGES).count(),
    }


register_dashboard_panel(
    DashboardPanel(
        key="disputes-overdue",
        template="disputes/panel_overdue.html",
        context=_officers_panel,
        order=40,
        roles=frozenset({Role.OFFICER}),
    )
)


def _paper_options() -> list[PaperOption]:
    return [PaperOption(value="latest", label=str(_("Disputes monitoring report (latest)")))]


def _paper_fingerprint(value: str, as_of: datetime.date) -> str:
    from disputes.selectors import monitoring_report_fingerprint

    raw = f"{as_of}|{monitoring_report_fingerprint()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _paper_render(value: str, as_of: datetime.date) -> RenderedPaper:
    from compact.platform.pdf import render_pdf
    from disputes.selectors import monitoring_report

    report = monitoring_report(today=as_of)
    title = str(
        _("Disputes monitoring report, %(date)s") % {"date": f"{report.generated_on:%d %B %Y}"}
    )
    pdf = render_pdf("disputes/monitoring_report_pdf.html", {"report": report, "title": title})
    return RenderedPaper(title=title, pdf=pdf)


register_paper_provider(
    PaperProvider(
        key=PAPER_KEY,
        label=_("Disputes monitoring report (anonymised)"),  # type: ignore[arg-type]
        options=_paper_options,
        fingerprint=_paper_fingerprint,
        render=_paper_render,
        standing=False,
        roles=frozenset({Role.BOARD, Role.OFFICER}),  # as the monitoring report's page
    )
)


def _load_demo(context: Any) -> None:
    from disputes.demo import load_disputes_demo

    load_disputes_demo(context)


register_demo_loader(DemoLoader(name="disputes", load=_load_demo, order=40))

register_reminder("disputes.overdue_stages", lambda today: dispute_reminders_send(today=today))


# --- The monitoring report's PDF, made in the background -----------------------------------

MONITORING_PDF = "disputes.monitoring_pdf"


def _monitoring_pdf(key: str) -> Any:
    from compact.platform.background import ProducedFile
    from compact.platform.pdf import render_pdf
    from disputes.selectors import monitoring_report

    report = monitoring_report()
    pdf = render_pdf("disputes/monitoring_report_pdf.html", {"report": report})
    return ProducedFile(f"disputes-monitoring-{report.generated_on:%Y-%m-%d}.pdf", pdf)


def _monitoring_page(key: str) -> str:
    from django.urls import reverse

    return reverse("disputes:report")


def _register_file_producer() -> None:
    from compact.platform.background import FileProducer, register_file_producer

    register_file_producer(
        FileProducer(
            kind=MONITORING_PDF,
            label=_("Disputes monitoring report (PDF)"),  # type: ignore[arg-type]
            produce=_monitoring_pdf,
            roles=frozenset({Role.BOARD, Role.OFFICER}),
            back_url=_monitoring_page,
            back_label=_("Back to the monitoring report"),
        )
    )


_register_file_producer()
