"""Papers in Welsh, English or both: the page footer of PDFs laid out with pdf.css in the
paper's language, and the links offering a PDF in the other languages."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from compact.platform.pdf.languages import (
    language_url,
    numbered_by_caller,
    other_paper_languages,
)

register = template.Library()


def _css_string(text: str) -> str:
    """Text as a CSS string literal: quotes, backslashes and markup characters escaped."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;'-/()" else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


@register.simple_tag
def page_footer_css() -> SafeString:
    """A CSS rule putting "Page X of Y" (in the active language: "Tudalen X o Y") in the page
    footer: the words come from the catalogue, the numbers from CSS counters. None in a part
    whose pages its caller numbers (a version of a bilingual paper, a board pack's part)."""
    if numbered_by_caller():
        return mark_safe("@page { @bottom-right { content: none; } }")
    words = gettext("Page %(number)s of %(total)s")
    before, _sep, rest = words.partition("%(number)s")
    middle, _sep, after = rest.partition("%(total)s")
    parts = [_css_string(before), "counter(page)", _css_string(middle), "counter(pages)"]
    if after:
        parts.append(_css_string(after))
    return mark_safe("@page { @bottom-right { content: " + " ".join(parts) + "; } }")


@register.simple_tag(takes_context=True)
def pdf_language_links(context: template.Context, url: str, post: bool = False) -> SafeString:
    """Links (buttons that POST, for a PDF made in the background) to ``url`` in the languages
    other than the reader's, beside the link that gives the reader's own."""
    return mark_safe(
        render_to_string(
            "includes/pdf_languages.html",
            {
                "links": [
                    {"url": language_url(url, code), "label": label}
                    for code, label in other_paper_languages()
                ],
                "post": post,
            },
            request=context.get("request"),
        )
    )
