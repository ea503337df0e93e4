"""Who may use each disputes URL, walked by tests/test_access.py for the world's roles.

The world gets one dispute at each stage (tests/disputes/factories.py) raised by someone who is
none of the walker's roles, so the object rules show: officers and superusers get in, the
board, administrators and representatives get a 404. tests/disputes/test_access_rules.py adds
the raiser, the named contact, the panel member and an unrelated user.
"""

from tests.access import BOARD_AND_OFFICERS, OFFICERS, SIGNED_IN, Case
from tests.disputes.factories import dispute_world


def _pk(stage: str):
    return lambda world: {"pk": dispute_world(world).disputes[stage].pk}


def _document(world):
    dw = dispute_world(world)
    return {"pk": dw.disputes["informal"].pk, "document_pk": dw.document.pk}


CASES = {
    "disputes:list": Case(allowed=SIGNED_IN),
    "disputes:raise": Case(allowed=SIGNED_IN),
    "disputes:report": Case(allowed=BOARD_AND_OFFICERS),
    "disputes:report_csv": Case(allowed=BOARD_AND_OFFICERS),
    "disputes:report_pdf": Case(allowed=BOARD_AND_OFFICERS, posts=True),
    "disputes:detail": Case(allowed=OFFICERS, kwargs=_pk("informal")),
    "disputes:move": Case(
        allowed=OFFICERS,
        kwargs=lambda world: {**_pk("informal")(world), "stage": "mediation"},
    ),
    "disputes:record": Case(allowed=OFFICERS, kwargs=_pk("informal")),
    "disputes:panel": Case(allowed=OFFICERS, kwargs=_pk("informal")),
    "disputes:contacts": Case(allowed=OFFICERS, kwargs=_pk("informal")),
    "disputes:session_add": Case(allowed=OFFICERS, kwargs=_pk("mediation"), method="post"),
    "disputes:interest_add": Case(allowed=OFFICERS, kwargs=_pk("informal"), method="post"),
    "disputes:note_add": Case(allowed=OFFICERS, kwargs=_pk("informal"), method="post"),
    "disputes:document_add": Case(allowed=OFFICERS, kwargs=_pk("informal"), method="post"),
    "disputes:document": Case(allowed=OFFICERS, kwargs=_document),
}
