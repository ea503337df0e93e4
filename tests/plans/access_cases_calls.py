"""Access to update calls: officers open, review and close calls and confirm who answers for
each row; contributors (and officers, to look) see the rows asked of them; a contributor
proposes only for their own rows."""

from tests.access import OFFICERS, Case
from tests.plans.factories_calls import call_plan, open_sample_call, sample_proposal

CONTRIBUTOR_AND_OFFICERS = OFFICERS | {"contributor"}


def _plan(world):
    return {"slug": call_plan(world)["call_plan"].slug}


def _call(world):
    return {"pk": open_sample_call(world).pk}


def _proposal(world):
    return {"pk": sample_proposal(world).pk}


def _my_row(world):
    return {"pk": open_sample_call(world).pk, "row": world.extra["call_rows"][0].pk}


def _proposal_data(world):
    row = world.extra["call_rows"][0]
    prefix = f"row{row.pk}"
    return {
        f"{prefix}-progress": "Walk check",
        f"{prefix}-status": "in_progress",
        f"{prefix}-base_version": row.version,
    }


CASES: dict[str, Case] = {
    "plans:row_contributors": Case(allowed=OFFICERS, kwargs=_plan),
    "plans:call_open": Case(allowed=OFFICERS, kwargs=_plan),
    "plans:call_detail": Case(allowed=OFFICERS, kwargs=_call),
    "plans:call_close": Case(allowed=OFFICERS, kwargs=_call, method="post"),
    "plans:proposal_review": Case(allowed=OFFICERS, kwargs=_proposal),
    "plans:my_calls": Case(allowed=CONTRIBUTOR_AND_OFFICERS),
    "plans:my_rows": Case(allowed=CONTRIBUTOR_AND_OFFICERS, kwargs=_call),
    # Only the person asked: officers and superusers get 404 (the row was not asked of them).
    "plans:my_row_propose": Case(
        allowed=frozenset({"contributor"}), kwargs=_my_row, method="post", data=_proposal_data
    ),
    # A contributor's spreadsheet of their rows: only those asked (officers get 404, no rows).
    "plans:my_rows_sheet": Case(allowed=frozenset({"contributor"}), kwargs=_call),
    "plans:my_rows_upload": Case(allowed=frozenset({"contributor"}), kwargs=_call),
}
