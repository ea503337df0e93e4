"""Layout helpers shared by the templates.

``{% widetable %}<table>...</table>{% endwidetable %}`` (built into every template, see
settings.TEMPLATES) puts a table in its own sideways-scrolling box, so that a table wider than a
phone scrolls inside the box and the page never does. The box is a focusable region named after
the table's caption (or an explicit label: ``{% widetable _("Agenda") %}``), so keyboard users
can reach it and scroll it with the arrow keys and screen-reader users hear what it holds
(WCAG 2.2 AA 1.4.10 Reflow, 2.1.1 Keyboard).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django import template
from django.utils.html import format_html, strip_tags

register = template.Library()

CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


class WideTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: template.FilterExpression | None):
        self.nodelist = nodelist
        self.label = label

    def render(self, context: Any) -> str:
        content = self.nodelist.render(context)
        if self.label is not None:
            label = str(self.label.resolve(context))
        else:
            # The caption is our own rendered template output; its text names the region.
            found = CAPTION.search(content)
            label = " ".join(unescape(strip_tags(found.group(1))).split()) if found else ""
        if not label:
            raise template.TemplateSyntaxError(
                "widetable needs a table with a <caption> or a label: the region must be named"
            )
        return format_html(
            '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            content,
        )


@register.tag
def widetable(parser: template.base.Parser, token: template.base.Token) -> WideTableNode:
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("widetable takes at most one argument, the label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endwidetable",))
    parser.delete_first_token()
    return WideTableNode(nodelist, label)
