import datetime
from typing import Any

from django.core.files.base import ContentFile

from tests.access import (
    ADMINISTRATORS,
    BOARD_AND_OFFICERS,
    EVERYONE,
    OFFICERS,
    OFFICERS_AND_ADMINISTRATORS,
    SIGNED_IN,
    Case,
)

# A minimal valid one-page PDF, so the access walk needs no renderer.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def board_data(world: Any) -> dict[str, Any]:
    """A Board meeting with an item, a written paper, an action, a pack and a code (made once
    per test, kept in world.extra)."""
    if "meeting" in world.extra:
        return world.extra
    from compact.models import (
        Action,
        AgendaItem,
        BoardPack,
        CodeDocumentVersion,
        CodeOfPractice,
        Commitment,
        Meeting,
        Paper,
    )

    meeting = Meeting.objects.create(
        body=world.board,
        date=datetime.date(2009, 2, 11),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Unit 4",
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Plan update")
    paper = Paper.objects.create(item=item, kind=Paper.Kind.WRITTEN, title="Note", text="Hello")
    action = Action.objects.create(
        meeting=meeting, description="Write to the Police", owner=world.people["officer"]
    )
    pack = BoardPack(meeting=meeting, version=1, fingerprint="x", sha256="y", page_count=1, size=10)
    pack.file.save("access-pack.pdf", ContentFile(MINIMAL_PDF), save=False)
    pack.save()
    code = CodeOfPractice.objects.create(compact=world.compact, title="Code", slug="code")
    version = CodeDocumentVersion.objects.create(
        code=code, label="1", date=datetime.date(2009, 1, 1), text="Text"
    )
    commitment = Commitment.objects.create(code=code, party="all", number=1, text="Consult")
    world.extra.update(
        meeting=meeting,
        item=item,
        paper=paper,
        action=action,
        pack=pack,
        code=code,
        version=version,
        commitment=commitment,
    )
    return world.extra


def meeting(world: Any) -> dict[str, Any]:
    return {"pk": board_data(world)["meeting"].pk}


def item(world: Any) -> dict[str, Any]:
    return {"pk": board_data(world)["item"].pk}


def paper(world: Any) -> dict[str, Any]:
    return {"pk": board_data(world)["paper"].pk}


def code(world: Any) -> dict[str, Any]:
    return {"slug": board_data(world)["code"].slug}


SSO_UNREACHABLE = {
    "OIDC_ISSUER": "http://127.0.0.1:9",
    "OIDC_CLIENT_ID": "access-walk",
    "OIDC_CLIENT_SECRET": "access-walk",
}

CASES = {
    # Visitors get the public home page, signed-in people their dashboard.
    "home": Case(allowed=EVERYONE),
    "compact:contact": Case(allowed=EVERYONE),
    "compact:search": Case(allowed=EVERYONE),
    "compact:calendar": Case(allowed=SIGNED_IN),
    "compact:calendar_public": Case(allowed=EVERYONE),
    # The secret address is the key: whoever holds it reads the feed (calendar apps cannot sign
    # in); a wrong address is not found (tests/compact/test_calendars.py).
    "compact:calendar_feed": Case(allowed=EVERYONE, kwargs=lambda world: {"token": _feed(world)}),
    "compact:compact_edit": Case(allowed=OFFICERS_AND_ADMINISTRATORS),
    "health": Case(allowed=EVERYONE),
    "login": Case(allowed=EVERYONE),
    "logout": Case(allowed=EVERYONE, method="post"),
    # Single sign-on: public while configured (not found otherwise: tests/security/test_oidc.py).
    # Here no provider answers: the start says so (503), the callback refuses a missing state.
    "sso_start": Case(allowed=EVERYONE, settings=SSO_UNREACHABLE),
    "sso_callback": Case(allowed=EVERYONE, settings=SSO_UNREACHABLE),
    "password_change": Case(allowed=SIGNED_IN),
    "password_change_done": Case(allowed=SIGNED_IN),
    "my_notifications": Case(allowed=SIGNED_IN),
    # Two-step sign-in (tests/security/test_two_factor.py): a person's own steps and page, and
    # the administrators' list and reset.
    "two_factor_account": Case(allowed=SIGNED_IN),
    "two_factor_enrol": Case(allowed=SIGNED_IN),
    "two_factor_verify": Case(allowed=SIGNED_IN),
    "two_factor_people": Case(allowed=ADMINISTRATORS),
    "account_audit": Case(allowed=ADMINISTRATORS),
    "my_sessions": Case(allowed=SIGNED_IN),
    "my_sessions_end_others": Case(allowed=SIGNED_IN, method="post"),
    "account_audit_csv": Case(allowed=ADMINISTRATORS),
    # Enabling one again is a POST to the same page (tests/security/test_inactive_accounts.py).
    "accounts_disabled": Case(allowed=ADMINISTRATORS),
    "two_factor_reset": Case(
        allowed=ADMINISTRATORS, kwargs=lambda world: {"user_id": world.users["board"].pk}
    ),
    "password_reset": Case(allowed=EVERYONE),
    "password_reset_done": Case(allowed=EVERYONE),
    "password_reset_confirm": Case(
        allowed=EVERYONE, kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Case(allowed=EVERYONE),
    "set_language": Case(allowed=EVERYONE, method="post", data=lambda world: {"language": "cy"}),
    "compact:body_list": Case(allowed=SIGNED_IN),
    "compact:body_detail": Case(allowed=SIGNED_IN, kwargs=lambda world: {"slug": world.board.slug}),
    "compact:organisation_list": Case(allowed=SIGNED_IN),
    "compact:person_list": Case(allowed=OFFICERS_AND_ADMINISTRATORS),
    # Meetings: officers prepare; members of the body (the board user) see their meetings.
    "compact:rotation_rule_edit": Case(
        allowed=OFFICERS, kwargs=lambda world: {"slug": world.board.slug}
    ),
    "compact:meeting_programme": Case(allowed=SIGNED_IN),
    "compact:meeting_create": Case(allowed=OFFICERS),
    "compact:meeting_detail": Case(allowed=BOARD_AND_OFFICERS, kwargs=meeting),
    "compact:meeting_edit": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:agenda_item_create": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:attendance_record": Case(allowed=OFFICERS, kwargs=meeting, method="post"),
    "compact:declaration_add": Case(allowed=OFFICERS, kwargs=meeting, method="post"),
    "compact:minutes_edit": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:action_create": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:action_done": Case(
        allowed=OFFICERS,
        kwargs=lambda world: {"pk": board_data(world)["action"].pk},
        method="post",
    ),
    # Everyone signed in has their own list (the officer owns the board meeting's action).
    "compact:my_actions": Case(allowed=SIGNED_IN, kwargs=lambda world: board_data(world) and {}),
    "compact:agenda_item_edit": Case(allowed=OFFICERS, kwargs=item),
    "compact:agenda_item_move": Case(
        allowed=OFFICERS, kwargs=item, method="post", data=lambda world: {"direction": "up"}
    ),
    "compact:agenda_item_delete": Case(allowed=OFFICERS, kwargs=item, method="post"),
    "compact:paper_add": Case(
        allowed=OFFICERS, kwargs=lambda world: {**item(world), "kind": "write"}
    ),
    "compact:paper_view": Case(allowed=BOARD_AND_OFFICERS, kwargs=paper),
    "compact:paper_edit": Case(allowed=OFFICERS, kwargs=paper),
    "compact:paper_delete": Case(allowed=OFFICERS, kwargs=paper, method="post"),
    "compact:pack_build": Case(allowed=OFFICERS, kwargs=meeting, method="post"),
    "compact:agenda_finalise": Case(allowed=OFFICERS, kwargs=meeting, method="post"),
    "compact:pack_circulate": Case(
        allowed=OFFICERS, kwargs=lambda world: {"pk": board_data(world)["pack"].pk}
    ),
    "compact:pack_download": Case(
        allowed=BOARD_AND_OFFICERS, kwargs=lambda world: {"pk": board_data(world)["pack"].pk}
    ),
    # Codes of practice: everyone signed in reads the register, officers keep it.
    "compact:code_list": Case(allowed=SIGNED_IN),
    "compact:code_create": Case(allowed=OFFICERS),
    "compact:code_detail": Case(allowed=SIGNED_IN, kwargs=code),
    "compact:code_edit": Case(allowed=OFFICERS, kwargs=code),
    "compact:code_version_add": Case(allowed=OFFICERS, kwargs=code),
    "compact:code_version_view": Case(
        allowed=SIGNED_IN, kwargs=lambda world: {"pk": board_data(world)["version"].pk}
    ),
    "compact:commitment_add": Case(allowed=OFFICERS, kwargs=code),
    "compact:commitment_edit": Case(
        allowed=OFFICERS, kwargs=lambda world: {"pk": board_data(world)["commitment"].pk}
    ),
    "compact:commitment_delete": Case(
        allowed=OFFICERS, kwargs=lambda world: {"pk": board_data(world)["commitment"].pk}
    ),
}


def _feed(world: Any) -> str:
    from compact.services.calendars import calendar_feed_reset

    return calendar_feed_reset(user=world.users["board"]).token
