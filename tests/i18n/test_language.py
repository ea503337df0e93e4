"""The language switch as Welsh users expect it, the choice kept on the profile, and e-mails
in the recipient's language (both, Welsh first, when they never chose)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import mail
from django.urls import reverse

from compact.models import NotificationPreference
from compact.platform.language import preferred_language
from compact.services.meetings import agenda_item_add
from compact.services.packs import board_pack_build, board_pack_circulate
from tests.compact.factories import make_meeting


def test_the_header_offers_the_other_language_named_in_itself(client: Any, db: Any) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en' in page
    assert 'name="language" value="cy" lang="cy"' in page and ">Cymraeg</button>" in page

    client.post(reverse("set_language"), {"language": "cy", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="cy"' in page
    assert 'name="language" value="en" lang="en"' in page and ">English</button>" in page


def test_switching_returns_to_the_same_page(client: Any, db: Any) -> None:
    here = reverse("login") + "?next=/plans/"
    response = client.post(reverse("set_language"), {"language": "cy", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_a_signed_in_choice_is_stored_and_applied_at_the_next_sign_in(
    client: Any, world: Any
) -> None:
    user = world.users["board"]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert preferred_language(user) == "cy"
    assert NotificationPreference.history.filter(user=user, language="cy").exists()

    fresh = type(client)()  # another device: no cookie yet
    response = fresh.post(
        reverse("login"), {"username": user.username, "password": "not-the-demo-password"}
    )
    assert response.status_code == 302
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert '<html lang="cy"' in fresh.get(reverse("home")).content.decode()


def test_an_unknown_language_is_refused_and_stores_nothing(client: Any, world: Any) -> None:
    user = world.users["board"]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert preferred_language(user) is None


def test_pack_e_mails_go_in_the_recipients_language_or_welsh_first(
    world: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = make_meeting(world.board)
    agenda_item_add(meeting=meeting, title="Any other business")
    pack, _new = board_pack_build(meeting=meeting)
    welsh_reader, unknown = world.users["board"], world.users["administrator"]
    NotificationPreference.objects.create(user=welsh_reader, language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_circulate(
            pack=pack,
            recipients=[welsh_reader, unknown],
            link_for=lambda version: "https://compact.example.org/p",
            actor=None,
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    welsh = by_address[welsh_reader.email]
    assert welsh.subject.startswith("Pecyn y Bwrdd:") and "Board pack" not in welsh.subject
    both = by_address[unknown.email]
    assert both.subject.startswith("Pecyn y Bwrdd:") and " / Board pack:" in both.subject
    assert both.body.index("----") > 0
