"""Content in the reader's language: ``{% load bilingual %}{% bi row "progress" %}`` shows the
Welsh of a field (its ``_cy`` twin) to a Welsh reader and the English to others; where the
reader's version is missing, the other one, marked and with its own ``lang``
(:mod:`compact.platform.language`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatewords
from django.utils.html import escape
from django.utils.safestring import SafeString

from compact.platform.language import field_versions, render_versions, text_of

register = template.Library()

_RENDER = {
    "text": escape,
    "br": lambda text: linebreaksbr(text, autoescape=True),
    "paragraphs": lambda text: linebreaks_filter(text, autoescape=True),
    # The first 30 words on one line: an excerpt under a table's heading cell.
    "excerpt": lambda text: escape(truncatewords(text, 30)),
}


@register.simple_tag
def bi(obj: Any, name: str, lines: str = "br") -> SafeString:
    """Field ``name`` of ``obj`` in the reader's language. ``lines``: "br" (line breaks kept,
    the default), "text" (one line), "excerpt" (its first 30 words) or "paragraphs" (a block
    of paragraphs)."""
    english, welsh = field_versions(obj, name)
    return render_versions(
        english, welsh, render=_RENDER.get(lines, escape), block=lines == "paragraphs"
    )


@register.filter
def bi_text(obj: Any, name: str) -> str:
    """The plain text of a field in the reader's language (fallback unmarked): for titles in
    ``<title>``, attributes and truncated excerpts."""
    return text_of(obj, name)


@register.simple_tag
def bi_versions(english: str, welsh: str, lines: str = "br") -> SafeString:
    """Like :func:`bi`, given the two versions themselves (e.g. a property with a default)."""
    return render_versions(
        english or "", welsh or "", render=_RENDER.get(lines, escape), block=lines == "paragraphs"
    )
