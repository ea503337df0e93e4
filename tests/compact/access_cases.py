from tests.access import EVERYONE, OFFICERS_AND_ADMINISTRATORS, SIGNED_IN, Case

CASES = {
    "home": Case(allowed=SIGNED_IN),
    "login": Case(allowed=EVERYONE),
    "logout": Case(allowed=EVERYONE, method="post"),
    "password_change": Case(allowed=SIGNED_IN),
    "password_change_done": Case(allowed=SIGNED_IN),
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
}
