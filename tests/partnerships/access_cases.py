from tests.access import BOARD_AND_OFFICERS, EVERYONE, OFFICERS, SIGNED_IN, Case
from tests.partnerships.factories import access_partnership


def _slug(world):
    return {"slug": access_partnership(world).slug}


def _place(world):
    access_partnership(world)
    return {"pk": world.extra["place"].pk}


def _review(world):
    access_partnership(world)
    return {"pk": world.extra["review"].pk}


CASES: dict[str, Case] = {
    "partnerships:list": Case(SIGNED_IN),
    "partnerships:export_csv": Case(SIGNED_IN),
    "partnerships:create": Case(OFFICERS),
    "partnerships:import": Case(OFFICERS),
    "partnerships:settings": Case(OFFICERS),
    "partnerships:matrix": Case(BOARD_AND_OFFICERS),
    "partnerships:matrix_csv": Case(BOARD_AND_OFFICERS),
    "partnerships:matrix_pdf": Case(BOARD_AND_OFFICERS, posts=True),
    "partnerships:public": Case(EVERYONE),
    "partnerships:place_edit": Case(OFFICERS, kwargs=_place),
    "partnerships:review_edit": Case(OFFICERS, kwargs=_review),
    "partnerships:detail": Case(SIGNED_IN, kwargs=_slug),
    "partnerships:edit": Case(OFFICERS, kwargs=_slug),
    "partnerships:terms": Case(SIGNED_IN, kwargs=_slug),
    "partnerships:place_add": Case(OFFICERS, kwargs=_slug),
    "partnerships:checklist": Case(OFFICERS, kwargs=_slug),
    "partnerships:review_add": Case(OFFICERS, kwargs=_slug),
}
