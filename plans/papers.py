"""The plan update report as a board-pack paper: its options, fingerprint and renderings."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from compact.papers import PaperOption, PaperPlacement, PaperProvider, RenderedPaper
from plans.cache_keys import update_pdf_fingerprint
from plans.models import PlanUpdate
from plans.reports import (
    render_report_pdf,
    update_comparison,
    update_report_pdf,
)
from plans.selectors import current_plan

PAPER_KEY = "plans.update_report"


def _update_for(value: str, as_of: datetime.date) -> PlanUpdate:
    """The update a paper option names: "<plan id>:<number>", or "latest" (the newest update
    of the current plan dated on or before ``as_of``, the meeting's date)."""
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
    options = [PaperOption(value="latest", label=str(_("Latest update of the current plan")))]
    for update in PlanUpdate.objects.select_related("plan").order_by("plan__title", "-number"):
        options.append(
            PaperOption(
                value=f"{update.plan_id}:{update.number}", label=f"{update.plan} - {update}"
            )
        )
    return options


def paper_fingerprint(value: str, as_of: datetime.date) -> str:
    try:
        return update_pdf_fingerprint(_update_for(value, as_of))
    except LookupError:
        return f"missing:{value}"


def paper_render(value: str, as_of: datetime.date) -> RenderedPaper:
    update = _update_for(value, as_of)
    title = _("Implementation Plan - %(update)s (changes in blue)") % {"update": update}
    return RenderedPaper(title=str(title), pdf=update_report_pdf(update))


def paper_render_placed(
    value: str, as_of: datetime.date, placement: PaperPlacement
) -> RenderedPaper:
    """The update's Board paper with its paper number and agenda item on the cover."""
    update = _update_for(value, as_of)
    title = _("Implementation Plan - %(update)s (changes in blue)") % {"update": update}
    pdf, _stats = render_report_pdf(
        update_comparison(update),
        extra={"paper_number": placement.paper_number, "agenda_item": placement.agenda_item},
    )
    return RenderedPaper(title=str(title), pdf=pdf)


def provider() -> PaperProvider:
    return PaperProvider(
        key=PAPER_KEY,
        label=str(_("Implementation Plan - latest update (changes in blue)")),
        options=paper_options,
        fingerprint=paper_fingerprint,
        render=paper_render,
        render_placed=paper_render_placed,
        standing=True,
    )
