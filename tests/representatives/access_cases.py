from tests.access import (
    ADMINISTRATORS,
    BOARD_AND_OFFICERS,
    EVERYONE,
    OFFICERS,
    OFFICERS_AND_ADMINISTRATORS,
    REPRESENTATIVES,
    SIGNED_IN,
    Case,
)
from tests.representatives.factories import rep_world

# Own objects: the holder, officers and superusers get in; everyone else gets 404.
OWNER_AND_OFFICERS = frozenset({"representative", "officer", "superuser"})


def _signup(world):
    return {"pk": rep_world(world).signup.pk}


def _round(world):
    return {"pk": rep_world(world).round.pk}


def _appointment(world):
    return {"pk": rep_world(world).appointment.pk}


def _token(world):
    from representatives.services import signup_token

    return {"token": signup_token(rep_world(world).signup)}


CASES: dict[str, Case] = {
    "representatives:signup": Case(EVERYONE),
    "representatives:signup_done": Case(EVERYONE),
    "representatives:signup_confirm": Case(EVERYONE, kwargs=_token),
    "representatives:signup_list": Case(OFFICERS_AND_ADMINISTRATORS),
    "representatives:signup_detail": Case(OFFICERS_AND_ADMINISTRATORS, kwargs=_signup),
    # Officers reach the queue's actions (put forward) but only administrators decide.
    "representatives:signup_action": Case(
        ADMINISTRATORS,
        kwargs=lambda w: {**_signup(w), "action": "reject"},
        method="post",
        data=lambda w: {"reject-reason": "Not a third-sector organisation"},
    ),
    # Administrators follow rounds (they put sign-ups forward); officers run them.
    "representatives:round_list": Case(OFFICERS_AND_ADMINISTRATORS),
    "representatives:round_open": Case(OFFICERS),
    "representatives:direct_link": Case(OFFICERS),
    "representatives:round_detail": Case(OFFICERS_AND_ADMINISTRATORS, kwargs=_round),
    "representatives:round_letter": Case(OFFICERS, kwargs=_round),
    "representatives:round_action": Case(
        OFFICERS, kwargs=lambda w: {**_round(w), "action": "appoint"}
    ),
    "representatives:appointment_list": Case(OFFICERS),
    "representatives:appointment_detail": Case(OWNER_AND_OFFICERS, kwargs=_appointment),
    "representatives:appointment_induction": Case(
        OFFICERS, kwargs=_appointment, method="post", data=lambda w: {"items": ["role_briefed"]}
    ),
    "representatives:appointment_end": Case(OFFICERS, kwargs=_appointment),
    "representatives:conduct_current": Case(SIGNED_IN, kwargs=lambda w: rep_world(w) and {}),
    "representatives:conduct_version_new": Case(OFFICERS_AND_ADMINISTRATORS),
    "representatives:conduct_signatures": Case(OFFICERS),
    "representatives:signature_detail": Case(
        OWNER_AND_OFFICERS, kwargs=lambda w: {"pk": rep_world(w).signature.pk}
    ),
    "representatives:signature_pdf": Case(
        OWNER_AND_OFFICERS, kwargs=lambda w: {"pk": rep_world(w).signature.pk}
    ),
    "representatives:declaration_new": Case(REPRESENTATIVES),
    "representatives:declaration_edit": Case(
        REPRESENTATIVES, kwargs=lambda w: {"pk": rep_world(w).declaration.pk}
    ),
    "representatives:declaration_register": Case(OFFICERS),
    "representatives:declaration_csv": Case(OFFICERS),
    "representatives:feedback_list": Case(OFFICERS),
    "representatives:feedback_new": Case(REPRESENTATIVES),
    "representatives:feedback_detail": Case(
        OWNER_AND_OFFICERS, kwargs=lambda w: {"pk": rep_world(w).report.pk}
    ),
    "representatives:feedback_edit": Case(
        REPRESENTATIVES, kwargs=lambda w: {"pk": rep_world(w).report.pk}
    ),
    "representatives:feedback_publish": Case(
        OFFICERS,
        kwargs=lambda w: {"pk": rep_world(w).report.pk},
        method="post",
        data=lambda w: {"forum": rep_world(w).appointment.mandate_body_id},
    ),
    "representatives:issue_new": Case(OFFICERS),
    # The superuser passes the role check but is not the representative the issue is for.
    "representatives:issue_take": Case(
        frozenset({"representative"}),
        kwargs=lambda w: {"pk": rep_world(w).issue.pk},
        method="post",
        data=lambda w: {"outcome": "Raised under any other business"},
    ),
    "representatives:mine": Case(REPRESENTATIVES),
    "representatives:report": Case(BOARD_AND_OFFICERS),
    "representatives:report_pdf": Case(BOARD_AND_OFFICERS, posts=True),
}
