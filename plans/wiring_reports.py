"""Registers the plan update report as a board-pack paper, and the "Plan updates" menu entry
that board members and (for public plans) visitors use."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from compact.papers import PaperOption, PaperPlacement, PaperProvider, RenderedPaper
from compact.platform.access import ALL_ROLES
from compact.platform.registry import (
    DashboardPanel,
    NavItem,
    register_dashboard_panel,
    register_nav_item,
    register_paper_provider,
    register_public_panel,
)

PAPER_KEY = "plans.update_report"


def _update_for(value: str, as_of: datetime.date):  # type: ignore[no-untyped-def]
    """The update a paper option names: "<plan id>:<number>", or "latest" (the newest update
    of the current plan dated on or before ``as_of``, the meeting's date)."""
    from plans.models import PlanUpdate
    from plans.selectors import current_plan

    queryset = PlanUpdate.objects.select_related("plan")
    if value == "latest":
        plan = current_plan()
        update = (
            queryset.filter(plan=plan, date__lte=as_of).order_by("-number").first()
            if plan
            else None
        )
    else:
        plan_id, _sep, number = value.partition(":")
        if not (plan_id.isdigit() and number.isdigit()):
            raise LookupError(f"Not a plan update: {value!r}")
        update = queryset.filter(plan_id=int(plan_id), number=int(number)).first()
    if update is None:
        raise LookupError(f"No plan update {value!r}")
    return update


def paper_options() -> list[PaperOption]:
    from plans.models import PlanUpdate

    options = [PaperOption(value="latest", label=str(_("Latest update of the current plan")))]
    for update in PlanUpdate.objects.select_related("plan").order_by("plan__title", "-number"):
        options.append(
            PaperOption(
                value=f"{update.plan_id}:{update.number}", label=f"{update.plan} - {update}"
            )
        )
    return options


def paper_fingerprint(value: str, as_of: datetime.date) -> str:
    from plans.reports import update_pdf_fingerprint

    try:
        return update_pdf_fingerprint(_update_for(value, as_of))
    except LookupError:
        return f"missing:{value}"


def paper_render(value: str, as_of: datetime.date) -> RenderedPaper:
    from plans.reports import update_report_pdf

    update = _update_for(value, as_of)
    title = _("Implementation Plan - %(update)s (changes in blue)") % {"update": update}
    return RenderedPaper(title=str(title), pdf=update_report_pdf(update))


def paper_render_placed(
    value: str, as_of: datetime.date, placement: PaperPlacement
) -> RenderedPaper:
    """The update's Board paper with its paper number and agenda item on the cover."""
    from plans.reports import render_report_pdf, update_comparison

    update = _update_for(value, as_of)
    title = _("Implementation Plan - %(update)s (changes in blue)") % {"update": update}
    pdf, _stats = render_report_pdf(
        update_comparison(update),
        extra={"paper_number": placement.paper_number, "agenda_item": placement.agenda_item},
    )
    return RenderedPaper(title=str(title), pdf=pdf)


register_paper_provider(
    PaperProvider(
        key=PAPER_KEY,
        label=str(_("Implementation Plan - latest update (changes in blue)")),
        options=paper_options,
        fingerprint=paper_fingerprint,
        render=paper_render,
        render_placed=paper_render_placed,
        standing=True,
    )
)

register_nav_item(
    NavItem(
        label=_("Plan updates"),
        url_name="plans:update_index",
        section=_("Plan"),
        order=11,
        roles=frozenset(ALL_ROLES),
        public=True,
    )
)


def _latest_update_panel(request):  # type: ignore[no-untyped-def]
    from plans.views_reports import latest_update_panel_context

    return latest_update_panel_context(request)


register_dashboard_panel(
    DashboardPanel(
        key="plans.latest_update",
        template="plans/panel_latest_update.html",
        context=_latest_update_panel,
        order=5,
        roles=frozenset(ALL_ROLES),
    )
)


def _public_updates_panel(request):  # type: ignore[no-untyped-def]
    from plans.views_reports import public_updates_panel_context

    return public_updates_panel_context(request)


register_public_panel(
    DashboardPanel(
        key="plans.public_updates",
        template="plans/panel_public_updates.html",
        context=_public_updates_panel,
        order=10,
    )
)
