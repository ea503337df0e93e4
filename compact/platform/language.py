"""The reader's language: remembered on the person's profile, applied when they sign in, and
used for what we send them (e-mails in their language, or both, Welsh first, when unknown --
as the Welsh Language Standards prefer for bilingual documents)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language as django_set_language

from compact.platform.history import save_with_history

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
WELSH_FIRST = ("cy", "en")
_ONE_LANGUAGE = gettext_lazy("Write this in English or in Welsh (or both).")
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


def preferred_language(user: Any) -> str | None:
    """The language a person chose, or None when they never chose one."""
    if user is None or not getattr(user, "pk", None):
        return None
    from compact.models.notifications import NotificationPreference

    code = (
        NotificationPreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return code if code in LANGUAGE_CODES else None


def remember_language(user: Any, code: str) -> None:
    """Store a signed-in person's choice, so it follows them to any device and into e-mails."""
    from compact.models.notifications import NotificationPreference

    if code not in LANGUAGE_CODES:
        return
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    if preference.language != code:
        preference.language = code
        save_with_history(
            preference,
            actor=None,
            reason="Language chosen",
            clean=False,
            update_fields=["language"],
        )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, safe `next`), plus the profile for a signed-in person."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and code in LANGUAGE_CODES:
        remember_language(request.user, code)
    return response


def apply_on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: switch to the person's stored language; the middleware sets the cookie."""
    code = preferred_language(user)
    if code and request is not None:
        translation.activate(code)
        request.LANGUAGE_CODE = code
        request._language_from_profile = code  # type: ignore[attr-defined]


class ProfileLanguageMiddleware:
    """Sends the cookie for a language taken from the profile at sign-in, so the next page is
    in the same language without another query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        code = getattr(request, "_language_from_profile", None)
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@contextmanager
def recipient_language(user: Any) -> Iterator[str]:
    """Render in the recipient's language (English, the project default, when unknown)."""
    code = preferred_language(user) or settings.LANGUAGE_CODE
    with translation.override(code):
        yield code


def text_for(user: Any, render: Callable[[], str], *, separator: str = "\n\n----\n\n") -> str:
    """A text in the recipient's language, or Welsh then English when they never chose."""
    code = preferred_language(user)
    if code:
        with translation.override(code):
            return render()
    parts = []
    for lang in WELSH_FIRST:
        with translation.override(lang):
            parts.append(render())
    return parts[0] if parts[0] == parts[1] else separator.join(parts)


def html_for(user: Any, render: Callable[[], str]) -> str:
    """An HTML e-mail in the recipient's language, or one document with the Welsh body then
    the English body (marked lang="en") when they never chose."""
    code = preferred_language(user)
    if code:
        with translation.override(code):
            return render()
    with translation.override("cy"):
        welsh = render()
    with translation.override("en"):
        english = render()
    match = _BODY.search(english)
    if not match or "</body>" not in welsh:
        return welsh
    return welsh.replace("</body>", f'<hr><div lang="en">{match.group(1)}</div></body>', 1)


# --- content in two languages ---------------------------------------------------------------
#
# Text people write (a plan's rows, an update's summary) has an English and a Welsh version:
# a model field ``x`` and its twin ``x_cy`` (see docs/welsh.md). The reader gets their own
# language; where it is missing, the other one, marked as such and with its own ``lang``.

WELSH = "cy"
ENGLISH = "en"
# Bilingual on purpose: whoever reads the fallback may not read the page's language.
FALLBACK_MARKERS = {
    ENGLISH: "(Saesneg yn unig / English only)",
    WELSH: "(Cymraeg yn unig / Welsh only)",
}


def reading_welsh(language: str | None = None) -> bool:
    """Whether the reader (the active language, unless given) reads Welsh."""
    code = language if language is not None else translation.get_language()
    return bool(code) and code.split("-")[0] == WELSH


def welsh_name(name: str) -> str:
    """The name of the Welsh twin of a translated field."""
    return f"{name}{WELSH_SUFFIX}"


WELSH_SUFFIX = "_cy"


@dataclass(frozen=True)
class Shown:
    """Which version of a text a reader gets: its ``text``, the language it is in, and whether
    that is a fallback (the reader's own language is missing)."""

    text: str
    lang: str
    fallback: bool


def choose(english: str, welsh: str, language: str | None = None) -> Shown:
    """The version for the reader: theirs when written, else the other one (a fallback)."""
    english, welsh = english or "", welsh or ""
    if reading_welsh(language):
        if welsh or not english:
            return Shown(welsh, WELSH, False)
        return Shown(english, ENGLISH, True)
    if english or not welsh:
        return Shown(english, ENGLISH, False)
    return Shown(welsh, WELSH, True)


def field_versions(obj: Any, name: str) -> tuple[str, str]:
    """The English and Welsh of field ``name`` of an object (a mapping works too)."""
    if isinstance(obj, dict):
        return obj.get(name) or "", obj.get(welsh_name(name)) or ""
    return getattr(obj, name, "") or "", getattr(obj, welsh_name(name), "") or ""


def choose_field(obj: Any, name: str, language: str | None = None) -> Shown:
    """:func:`choose` on field ``name`` of ``obj`` and its ``_cy`` twin."""
    return choose(*field_versions(obj, name), language)


def text_of(obj: Any, name: str, language: str | None = None) -> str:
    """The plain text of a field in the reader's language (the other one where missing), for
    files with no markup (CSV, Excel, e-mail subjects)."""
    return choose_field(obj, name, language).text


def marked_text(obj: Any, name: str, language: str | None = None) -> str:
    """Like :func:`text_of`, with the marker after a fallback: for CSV and Excel cells."""
    shown = choose_field(obj, name, language)
    return f"{shown.text} {FALLBACK_MARKERS[shown.lang]}" if shown.fallback else shown.text


def mark_fallback(html: str, lang: str, *, block: bool = False) -> SafeString:
    """Safe ``html`` in language ``lang`` shown to a reader of the other one: wrapped in an
    element with its ``lang`` and followed by the marker saying it is only in that language."""
    tag = "div" if block else "span"
    return format_html(
        '<{tag} lang="{lang}" class="lang-fallback">{html} '
        '<span class="lang-fallback-marker">{marker}</span></{tag}>',
        tag=tag,
        lang=lang,
        html=html,
        marker=FALLBACK_MARKERS[lang],
    )


def render_versions(
    english: str,
    welsh: str,
    *,
    render: Callable[[str], str] = escape,
    block: bool = False,
    language: str | None = None,
) -> SafeString:
    """One text for the reader: ``render`` (escaping; it must return safe HTML) of their
    version, or of the other one marked by :func:`mark_fallback`. Empty in both: empty."""
    shown = choose(english, welsh, language)
    if not shown.text:
        return mark_safe("")
    html = render(shown.text)
    if shown.fallback:
        return mark_fallback(html, shown.lang, block=block)
    return mark_safe(html)


def require_one_language(instance: Any, *names: str) -> None:
    """A model's ``clean``: each field in ``names`` needs its English or its Welsh (or both),
    where the English alone used to be required."""
    from django.core.exceptions import ValidationError

    missing = {
        name: _ONE_LANGUAGE
        for name in names
        if not any(text.strip() for text in field_versions(instance, name))
    }
    if missing:
        raise ValidationError(missing)


def either_text(obj: Any, name: str) -> str:
    """The English of a field, else its Welsh: for ``__str__`` and other places that must
    name a thing whatever language it was written in."""
    english, welsh = field_versions(obj, name)
    return english or welsh
