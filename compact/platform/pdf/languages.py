"""The language a paper is made in: Welsh, English, or both.

Every PDF can be made in Welsh (``"cy"``), in English (``"en"``) or bilingual
(``"bilingual"``); when nobody says, in the reader's language. A bilingual paper is the whole
Welsh version followed by the whole English version in one tagged file (the Welsh first, as the
Welsh Language Standards prefer), with "Tudalen X o Y / Page X of Y" running through both and a
bookmark for each language (see docs/welsh.md, "Papers and e-mails"). A board pack joins its
parts bilingual one by one, so each paper's two versions sit together under its agenda item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from compact.platform.language import ENGLISH, WELSH, reading_welsh

BILINGUAL = "bilingual"
PAPER_LANGUAGES = (WELSH, ENGLISH, BILINGUAL)
# The parts of a bilingual paper, in order: the Welsh first.
BILINGUAL_ORDER = (WELSH, ENGLISH)


class UnknownPaperLanguage(ValueError):
    """A language other than "cy", "en" or "bilingual" was asked for."""


def paper_language(value: str | None = None) -> str:
    """The language to make a paper in: ``value`` when given, else the reader's (the active
    language). Raises :class:`UnknownPaperLanguage` for anything else."""
    if not value:
        return WELSH if reading_welsh() else ENGLISH
    if value not in PAPER_LANGUAGES and value.split("-")[0] in BILINGUAL_ORDER:
        return value.split("-")[0]  # a setting's "en-gb"
    if value not in PAPER_LANGUAGES:
        raise UnknownPaperLanguage(f"Not a paper language: {value[:20]!r}")
    return value


def requested_language(request: HttpRequest) -> str:
    """The ``?language=`` of a download link (the reader's language when absent); an unknown
    value raises :class:`UnknownPaperLanguage` (views answer 404)."""
    return paper_language(request.GET.get("language", ""))


class PaperLanguage(models.TextChoices):
    """The three choices (a model field's choices too), each language named in itself, as the
    language switch does."""

    WELSH = WELSH, "Cymraeg"
    ENGLISH = ENGLISH, "English"
    BILINGUAL = BILINGUAL, _("Welsh and English (Welsh first)")


def paper_language_or_404(request: HttpRequest) -> str:
    """:func:`requested_language` for views: an unknown language is a page not found."""
    from django.http import Http404

    try:
        return requested_language(request)
    except UnknownPaperLanguage as error:
        raise Http404("No such language") from error


def paper_language_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in PaperLanguage.choices]


# A paper's language named in the reader's language (e-mails, pages): lazy, so a text
# rendered in Welsh says "Cymraeg a Saesneg" and in English "Welsh and English".
PAPER_LANGUAGE_NAMES = {
    WELSH: _("Welsh"),
    ENGLISH: _("English"),
    BILINGUAL: _("Welsh and English (Welsh first)"),
}


def paper_language_name(code: str) -> Any:
    """The name of a paper's language, translated when it is shown."""
    return PAPER_LANGUAGE_NAMES.get(code, code)


def other_paper_languages() -> list[tuple[str, str]]:
    """(code, link text) of the versions other than the reader's own, for the links beside a
    "Download PDF" that gives the reader's language: "PDF: English", "PDF: Welsh and English"."""
    own = paper_language()
    return [
        (code, str(_("Download PDF: %(language)s") % {"language": name}))
        for code, name in paper_language_choices()
        if code != own
    ]


def language_url(url: str, code: str) -> str:
    """A download link asking for the paper in ``code``."""
    return f"{url}{'&' if '?' in url else '?'}language={code}"


def language_suffix(code: str) -> str:
    """The end of a file name naming its language: "-cy", "-bilingual" (nothing for English,
    so the names of English files stay as they were)."""
    return "" if code == ENGLISH else f"-{code}"


def languages_of(language: str | None) -> tuple[str, ...]:
    """The languages a paper is written in, in order: ("cy", "en") for a bilingual one."""
    code = paper_language(language)
    return BILINGUAL_ORDER if code == BILINGUAL else (code,)


def words(language: str | None, text: Callable[[], str]) -> str:
    """``text()`` (words in the active language: a bookmark, a title) in the paper's language;
    for a bilingual paper "Cymraeg / English" (once when both are the same)."""
    code = paper_language(language)
    if code != BILINGUAL:
        with translation.override(code):
            return str(text())
    versions = []
    for lang in BILINGUAL_ORDER:
        with translation.override(lang):
            version = str(text())
        if version not in versions:
            versions.append(version)
    return " / ".join(versions)


# Set while rendering parts that someone else numbers (the two versions of a bilingual paper,
# a board pack's parts): they then carry no "Page X of Y" of their own, which would otherwise
# sit, hidden but still read out by text extraction, under the joined document's numbers.
_NUMBERED_BY_CALLER: ContextVar[bool] = ContextVar("numbered_by_caller", default=False)


def numbered_by_caller() -> bool:
    """Whether the PDF being made is a part whose pages its caller numbers."""
    return _NUMBERED_BY_CALLER.get()


@contextmanager
def pages_numbered(*, by_caller: bool) -> Iterator[None]:
    """Render parts numbered by the caller (``by_caller=True``), or stand-alone documents with
    their own numbers (``False``: e.g. a PDF kept in a cache and served on its own later)."""
    token = _NUMBERED_BY_CALLER.set(by_caller)
    try:
        yield
    finally:
        _NUMBERED_BY_CALLER.reset(token)


def render_in(language: str | None, render: Callable[[], bytes]) -> bytes:
    """``render()`` (which makes a PDF in the active language) in the paper's language; for a
    bilingual paper, once in Welsh and once in English (each without page numbers), joined
    Welsh first and numbered through."""
    code = paper_language(language)
    if code != BILINGUAL:
        with translation.override(code):
            return render()
    parts = []
    for lang in BILINGUAL_ORDER:
        with translation.override(lang), pages_numbered(by_caller=True):
            parts.append(render())
    return join_bilingual(*parts)


def join_bilingual(welsh: bytes, english: bytes) -> bytes:
    """One tagged PDF: the Welsh version, then the English one (its structure marked
    ``/Lang (en)``), pages numbered through both in both languages, a bookmark per language."""
    from compact.platform.pdf.merge import join_versions

    return join_versions([(WELSH, welsh), (ENGLISH, english)])
