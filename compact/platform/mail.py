"""E-mails in the recipient's language: the language on their profile, or both, Welsh first,
where it is unknown (an address with no account, a person who never chose), as the Welsh
Language Standards prefer for bilingual documents.

Callers give the subject and body as functions that render in the active language; each
recipient's e-mail is made in theirs. Recipients sharing a language share one message (as a
reminder to the officers always did); an unknown address gets the bilingual one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import translation

from compact.platform.language import WELSH_FIRST, preferred_language

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def in_language(code: str | None, render: Callable[[], str], *, separator: str) -> str:
    """``render()`` in ``code``, or Welsh then English (joined by ``separator``) when None."""
    if code:
        with translation.override(code):
            return str(render())
    parts = []
    for lang in WELSH_FIRST:
        with translation.override(lang):
            parts.append(str(render()))
    return parts[0] if parts[0] == parts[1] else separator.join(parts)


def one_line(text: str, limit: int = 250) -> str:
    """Header-safe: subjects are one line (user text may hold line breaks)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def address_language(address: str) -> str | None:
    """The language chosen by the active account with this address; None when there is none
    (or it never chose)."""
    user = (
        get_user_model()
        .objects.filter(email__iexact=address.strip(), is_active=True)
        .order_by("pk")
        .first()
    )
    return preferred_language(user)


def _by_language(recipients: Iterable[Any]) -> dict[str | None, list[str]]:
    groups: dict[str | None, list[str]] = {}
    for recipient in recipients:
        if isinstance(recipient, str):
            address, code = recipient, address_language(recipient) if recipient else None
        else:
            address, code = recipient.email, preferred_language(recipient)
        if address and address not in groups.get(code, []):
            groups.setdefault(code, []).append(address)
    return groups


def messages_in_their_language(
    *,
    recipients: Iterable[Any],
    subject: Callable[[], str],
    body: Callable[[], str],
    attachments: Callable[[str | None], list[Attachment]] | None = None,
    from_email: str | None = None,
) -> list[EmailMessage]:
    """One message per language among ``recipients`` (users or addresses): subject and body
    rendered in it, or in both (Welsh first) for those whose language is unknown.
    ``attachments(code)`` gives the files for a language (None: both)."""
    messages = []
    for code, addresses in _by_language(recipients).items():
        message = EmailMessage(
            subject=one_line(in_language(code, subject, separator=" / ")),
            body=in_language(code, body, separator="\n\n----\n\n"),
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            to=addresses,
        )
        for name, content, mimetype in attachments(code) if attachments else []:
            message.attach(name, content, mimetype)
        messages.append(message)
    return messages


def send_in_their_language(**kwargs: Any) -> int:
    """Send :func:`messages_in_their_language`; returns how many messages went."""
    return sum(message.send() for message in messages_in_their_language(**kwargs))
