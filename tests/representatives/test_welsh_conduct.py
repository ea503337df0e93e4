"""The representatives' Code of Conduct in Welsh (issue 14): the signing page reads the code in
the reader's language (the other one marked where it is missing, or read on request), the
signature records the language signed in, and the signed PDF is Welsh, English or both."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from compact.platform.language import FALLBACK_MARKERS
from representatives import services
from representatives.models import Appointment, CodeOfConductVersion, Signature
from tests.i18n.test_paper_languages import text_of
from tests.representatives.factories import ConductVersionFactory, days, round_at

pytestmark = pytest.mark.django_db

ENGLISH = "The representative will act openly for the third sector."
WELSH = "Bydd y cynrychiolydd yn gweithredu'n agored dros y trydydd sector."
WELSH_HTML = WELSH.replace("'", "&#x27;")  # as escaped on the page
ENGLISH_ONLY = FALLBACK_MARKERS["en"]  # "(Saesneg yn unig / English only)"
SIGN_URL = reverse("representatives:conduct_current")


def in_language(client: Any, code: str) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


@pytest.fixture
def appointed(world: Any) -> Appointment:
    return round_at(world, "appointed").round.appointments.get()


def publish(world: Any, label: str = "1.0", *, welsh: str = WELSH) -> CodeOfConductVersion:
    return ConductVersionFactory(
        version=label, text=ENGLISH, text_cy=welsh, actor=world.users["officer"]
    )


def sign(client: Any, version: Any, appointment: Any, **extra: Any) -> Any:
    data = {
        "version": version.pk,
        "partnership": appointment.partnership_id,
        "typed_name": appointment.person.full_name,
        "agree": "on",
        **extra,
    }
    return client.post(SIGN_URL, data)


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_welsh_records_cy_and_shows_welsh(
    world: Any, client: Any, appointed: Any
) -> None:
    version = publish(world)
    client.force_login(world.users["representative"])
    in_language(client, "cy")
    html = page(client, SIGN_URL)
    assert f'lang="cy"><p>{WELSH_HTML}' in html
    assert ENGLISH not in html
    assert 'href="?read=en"' in html and "Darllen y cod yn Saesneg" in html
    assert "Rydych yn llofnodi geiriad Cymraeg y cod." in html
    assert 'name="language" value="cy"' in html

    response = sign(client, version, appointed, language="cy")
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.language == "cy"
    detail = page(client, signature.get_absolute_url())
    assert "Llofnodwyd yn Gymraeg" in detail and WELSH_HTML in detail
    assert "Llofnodwyd yn Gymraeg" in page(client, reverse("representatives:mine"))
    client.force_login(world.users["officer"])
    in_language(client, "cy")
    register = page(client, reverse("representatives:conduct_signatures"))
    assert "<td>Cymraeg</td>" in register
    in_language(client, "en")
    register = page(client, reverse("representatives:conduct_signatures"))
    assert "<td>Welsh</td>" in register
    assert "Signed in Welsh" in page(client, signature.get_absolute_url())


def test_a_welsh_reader_may_read_and_sign_the_english(
    world: Any, client: Any, appointed: Any
) -> None:
    version = publish(world)
    client.force_login(world.users["representative"])
    in_language(client, "cy")
    html = page(client, SIGN_URL + "?read=en")
    assert f'lang="en"><p>{ENGLISH}' in html and ENGLISH_ONLY not in html
    assert 'href="?read=cy"' in html and "Darllen y cod yn Gymraeg" in html
    assert 'name="language" value="en"' in html
    assert sign(client, version, appointed, language="en").status_code == 302
    assert Signature.objects.get().language == "en"
    assert "Llofnodwyd yn Saesneg" in page(client, Signature.objects.get().get_absolute_url())


def test_english_reader_gets_english_and_a_link_to_the_welsh(
    world: Any, client: Any, appointed: Any
) -> None:
    publish(world)
    client.force_login(world.users["representative"])
    in_language(client, "en")
    html = page(client, SIGN_URL)
    assert f'lang="en"><p>{ENGLISH}' in html
    assert 'href="?read=cy"' in html and "Read the code in Welsh" in html
    assert "You are signing the English wording of the code." in html
    welsh = page(client, SIGN_URL + "?read=cy")
    assert 'lang="cy"><p>Bydd y cynrychiolydd' in welsh
    assert "You are signing the Welsh wording of the code." in welsh


def test_english_fallback_is_marked_and_signed_as_english(
    world: Any, client: Any, appointed: Any
) -> None:
    version = publish(world, welsh="")
    client.force_login(world.users["representative"])
    in_language(client, "cy")
    html = page(client, SIGN_URL)
    assert 'lang="en" class="lang-fallback"' in html and ENGLISH_ONLY in html
    assert "?read=cy" not in html and "?read=en" not in html  # nothing else to read
    assert 'name="language" value="en"' in html
    assert "Rydych yn llofnodi geiriad Saesneg y cod." in html
    # Claiming to sign a Welsh wording that does not exist is refused, in Welsh.
    refused = sign(client, version, appointed, language="cy")
    assert refused.status_code == 200
    assert "Nid oes geiriad Cymraeg i&#x27;w lofnodi" in refused.content.decode()
    assert not Signature.objects.exists()
    assert sign(client, version, appointed, language="en").status_code == 302
    assert Signature.objects.get().language == "en"


@pytest.mark.parametrize(
    ("code", "untick", "replaced"),
    [
        ("cy", "Ticiwch y blwch i gytuno i&#x27;r Cod Ymddygiad.", "wedi&#x27;i disodli"),
        ("en", "Tick the box to agree to the Code of Conduct.", "has been replaced"),
    ],
)
def test_bad_input_changes_nothing_in_either_language(
    world: Any, client: Any, appointed: Any, code: str, untick: str, replaced: str
) -> None:
    old = publish(world, "1.0")
    client.force_login(world.users["representative"])
    in_language(client, code)
    # Not ticked.
    response = sign(client, old, appointed, language=code, agree="")
    assert response.status_code == 200 and untick in response.content.decode()
    # An unknown language.
    response = sign(client, old, appointed, language="fr")
    assert response.status_code == 200 and 'name="language"' in response.content.decode()
    # A version that does not exist.
    response = client.post(
        SIGN_URL,
        {
            "version": old.pk + 1000,
            "partnership": appointed.partnership_id,
            "typed_name": appointed.person.full_name,
            "agree": "on",
            "language": code,
        },
    )
    assert response.status_code == 200
    # A version since replaced.
    ConductVersionFactory(version="2.0", text=ENGLISH + " Revised.", actor=world.users["officer"])
    old.refresh_from_db()
    response = sign(client, old, appointed, language=code)
    assert response.status_code == 200
    assert replaced in response.content.decode()
    assert not Signature.objects.exists()
    assert Signature.history.count() == 0


def test_service_records_the_language_shown_by_default(world: Any, appointed: Any) -> None:
    from django.utils import translation

    version = publish(world)
    with translation.override("cy"):
        signature = services.conduct_sign(
            version=version,
            partnership=appointed.partnership,
            typed_name=appointed.person.full_name,
            actor=world.users["representative"],
        )
    assert signature.language == "cy"
    assert signature.history.get().language == "cy"


def _signed(world: Any, *, welsh: str = WELSH, language: str = "cy") -> Signature:
    version = publish(world, welsh=welsh)
    appointment = round_at(world, "appointed").round.appointments.get()
    return services.conduct_sign(
        version=version,
        partnership=appointment.partnership,
        typed_name=appointment.person.full_name,
        actor=world.users["representative"],
        language=language,
    )


def test_signed_pdf_in_welsh_english_and_bilingual_has_that_languages_text(
    world: Any, client: Any
) -> None:
    signature = _signed(world)
    client.force_login(world.users["representative"])
    url = reverse("representatives:signature_pdf", kwargs={"pk": signature.pk})
    welsh = text_of(client.get(url + "?language=cy").content)
    english = text_of(client.get(url + "?language=en").content)
    both = text_of(client.get(url + "?language=bilingual").content)
    assert "Bydd y cynrychiolydd yn gweithredu" in welsh and "act openly" not in welsh
    assert "Llofnodwyd yn Gymraeg" in welsh and "Signed in Welsh" not in welsh
    assert "act openly" in english and "Bydd y cynrychiolydd" not in english
    assert "Signed in Welsh" in english and "Llofnodwyd" not in english
    assert both.index("Bydd y cynrychiolydd") < both.index("act openly")
    assert both.index("Llofnodwyd yn Gymraeg") < both.index("Signed in Welsh")
    # The reader's language when none is asked for.
    in_language(client, "cy")
    assert "Bydd y cynrychiolydd" in text_of(client.get(url).content)


def test_signed_pdf_in_welsh_of_a_code_with_no_welsh_marks_the_english(
    world: Any, client: Any
) -> None:
    signature = _signed(world, welsh="", language="en")
    client.force_login(world.users["representative"])
    url = reverse("representatives:signature_pdf", kwargs={"pk": signature.pk})
    welsh = text_of(client.get(url + "?language=cy").content)
    assert "act openly" in welsh and "Saesneg yn unig" in welsh
    assert "Llofnodwyd yn Saesneg" in welsh


def test_publishing_a_version_takes_its_welsh_and_gives_the_register_version_it(
    world: Any, client: Any
) -> None:
    client.force_login(world.users["officer"])
    form = page(client, reverse("representatives:conduct_version_new"))
    assert 'name="text_cy"' in form and 'lang="cy"' in form
    response = client.post(
        reverse("representatives:conduct_version_new"),
        {"version": "3", "effective_on": days(0).isoformat(), "text": "", "text_cy": WELSH},
    )
    assert response.status_code == 302
    current = CodeOfConductVersion.objects.get(is_current=True)
    assert current.text_cy == WELSH and current.text == ""
    # The register's own version, still without Welsh, gets it when published for signing.
    code = current.code
    from compact.services.codes import code_version_record

    code_version_record(
        code=code, label="4", date=days(0), text=ENGLISH, actor=world.users["officer"]
    )
    published = services.conduct_version_publish(
        version="4",
        text=ENGLISH,
        text_cy=WELSH,
        effective_on=days(0),
        actor=world.users["officer"],
        code=code,
    )
    assert published.document.text_cy == WELSH
    assert code.versions.filter(label="4").count() == 1
    # Neither language: refused, nothing published.
    response = client.post(
        reverse("representatives:conduct_version_new"),
        {"version": "5", "effective_on": days(0).isoformat(), "text": "", "text_cy": ""},
    )
    assert response.status_code == 200
    assert not CodeOfConductVersion.objects.filter(document__label="5").exists()


def test_the_demo_code_of_conduct_has_its_welsh(world: Any) -> None:
    from compact.demo import DEMO_DATA_DIR
    from compact.demo.welsh import code_of_conduct_welsh, codes_in_welsh
    from compact.selectors import code_of_conduct_current
    from compact.services.codes_import import import_partnership_code

    import_partnership_code(
        compact=world.compact, path=DEMO_DATA_DIR / "partnership-working-code-of-practice.txt"
    )
    codes_in_welsh()
    _code, version = code_of_conduct_current()
    welsh = code_of_conduct_welsh()
    assert version.text_cy == welsh
    assert welsh.startswith("Mae'r Cod Ymddygiad hwn")
    # The same points as the English, one for one.
    assert welsh.count("\n- ") == version.text.count("\n- ") == 9


def test_partnerships_and_places_are_offered_by_their_name_in_the_reader_language(
    world: Any, client: Any, appointed: Any
) -> None:
    publish(world)
    partnership = appointed.partnership
    partnership.name_cy = "Bwrdd Partneriaeth Cymraeg"
    partnership.save()
    place = appointed.place
    place.title_cy = "Sedd Gymraeg"
    place.save()
    client.force_login(world.users["representative"])
    welsh = page(in_language(client, "cy"), SIGN_URL)
    assert f'<option value="{partnership.pk}">Bwrdd Partneriaeth Cymraeg</option>' in welsh
    english = page(in_language(client, "en"), SIGN_URL)
    assert f'<option value="{partnership.pk}">{partnership.name}</option>' in english

    client.force_login(world.users["officer"])
    rounds = page(in_language(client, "cy"), reverse("representatives:round_open"))
    assert f'<option value="{place.pk}">Bwrdd Partneriaeth Cymraeg: Sedd Gymraeg</option>' in rounds
    # The English that keys the register stays the thing's name elsewhere.
    assert str(partnership) == partnership.name
