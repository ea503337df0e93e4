"""Building a board pack: one PDF per meeting, from parts rendered with WeasyPrint (through
``compact.platform.pdf``) and uploaded PDFs, joined with their structure trees
(``compact.platform.pdf.merge``) so the pack stays a tagged PDF.

Order: cover, agenda, each item's papers in agenda order (the previous minutes under the standard
item "Minutes of the last meeting" when there is one, else after the papers),
action log. The agenda shows the page each paper starts on, so every other part is rendered
first; the agenda is rendered last with the known offsets (and once more if its own length
changed). Every page then gets "Page X of Y" stamped by merging an overlay page rendered by
WeasyPrint in one pass. Each item gets a PDF bookmark, each paper a bookmark under it.

Nothing here writes to the database: ``compact.services.packs`` stores and caches the result.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.models import (
    Action,
    AgendaItem,
    Meeting,
    MeetingDeclaration,
    Minutes,
    Paper,
    StandardItem,
)
from compact.papers import PaperPlacement, PaperProvider
from compact.platform import registry
from compact.platform.language import ENGLISH, text_of
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import languages_of, pages_numbered, render_in, words
from compact.platform.uploads import read_pdf_pages
from compact.selectors.attendance import meeting_quorum
from compact.selectors.meetings import carried_forward_actions, previous_meeting
from compact.selectors.minutes import minutes_fingerprint, minutes_rows, previous_minutes_for_pack

logger = logging.getLogger(__name__)

# Bump when the layout of the pack changes, so cached packs are rebuilt.
PACK_FORMAT = "board-pack-2"  # 2: minutes item by item, under "Minutes of the last meeting"
# (Declarations on the agenda enter the fingerprint only when there are some: no bump.)

# Our own parts are rendered with pdf.css, whose page footer sits in a 15-18 mm bottom margin;
# the stamp blanks this band before writing the pack's own page number.
FOOTER_BAND_MM = 14


@dataclass
class PackContents:
    """Everything a pack shows, loaded once (fixed query count)."""

    meeting: Meeting
    items: list[AgendaItem]
    previous: Meeting | None
    previous_minutes: Minutes | None
    actions: list[Action]
    # The previous meeting was held without its quorum: its minutes say "Not quorate".
    previous_not_quorate: bool = False
    # Declarations of interest already made for this meeting, shown on the agenda.
    declarations: list[MeetingDeclaration] = field(default_factory=list)


@dataclass
class Part:
    """A run of pages in the pack and the bookmark that points at it."""

    title: str
    pdf: bytes
    own_layout: bool  # rendered by us with pdf.css (its footer band may be blanked)
    item: AgendaItem | None = None
    paper: Paper | None = None
    pages: int = 0


@dataclass
class BuiltPack:
    pdf: bytes
    pages: int
    problems: list[str] = field(default_factory=list)
    outline: list[str] = field(default_factory=list)


def pack_contents(meeting: Meeting) -> PackContents:
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter", "presenter__organisation")
        .prefetch_related("papers")
        .order_by("position", "pk")
    )
    previous = previous_meeting(meeting)
    return PackContents(
        meeting=meeting,
        items=items,
        previous=previous,
        previous_minutes=previous_minutes_for_pack(previous),
        actions=carried_forward_actions(meeting),
        previous_not_quorate=previous is not None and meeting_quorum(previous).not_quorate,
        declarations=list(
            MeetingDeclaration.objects.filter(meeting=meeting)
            .select_related("person")
            .order_by("pk")
        ),
    )


def paper_as_of(meeting: Meeting) -> datetime.date:
    """The date a meeting's generated papers speak for: the meeting's date, or today while
    the meeting is still to come. "Latest" means the latest on or before it."""
    return min(meeting.date, timezone.localdate())


def _paper_fingerprint(paper: Paper, as_of: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {"id": paper.pk, "kind": paper.kind, "title": paper.title}
    if paper.title_cy:
        data["title_cy"] = paper.title_cy
    if paper.kind == Paper.Kind.UPLOAD:
        data["sha256"] = paper.file_sha256
    elif paper.kind == Paper.Kind.WRITTEN:
        data["text"] = hashlib.sha256(paper.text.encode()).hexdigest()
        if paper.text_cy:  # only when there is Welsh, so English-only packs keep theirs
            data["text_cy"] = hashlib.sha256(paper.text_cy.encode()).hexdigest()
    else:
        provider = registry.get(PaperProvider, paper.provider_key)
        data["provider"] = [paper.provider_key, paper.provider_value]
        try:
            data["fingerprint"] = (
                provider.fingerprint(paper.provider_value, as_of) if provider else "missing"
            )
        except Exception:  # a provider's failure must not stop the pack
            logger.exception("Fingerprint of %s failed", paper.provider_key)
            data["fingerprint"] = "failed"
    return data


def _welsh_fingerprint(contents: PackContents) -> dict[str, Any]:
    """The Welsh of the agenda and actions, only where there is some (so the fingerprints of
    English-only packs stay as they were)."""
    welsh = [
        [[item.pk, item.title_cy] for item in contents.items if item.title_cy],
        [
            [action.pk, action.description_cy]
            for action in contents.actions
            if action.description_cy
        ],
    ]
    return {"welsh": welsh} if any(welsh) else {}


def pack_fingerprint(contents: PackContents, language: str = ENGLISH) -> str:
    """A hash of everything the pack shows, in its language; equal fingerprints mean an
    identical pack."""
    meeting = contents.meeting
    minutes = contents.previous_minutes
    as_of = paper_as_of(meeting)
    data = {
        "as_of": as_of.isoformat(),
        "format": PACK_FORMAT,
        "compact": meeting.body.compact.name,
        "body": meeting.body.name,
        "meeting": [
            meeting.pk,
            meeting.date.isoformat(),
            meeting.start_time.isoformat(),
            meeting.end_time.isoformat(),
            meeting.venue,
            meeting.online_link,
            meeting.status,
        ],
        "items": [
            [
                item.pk,
                item.position,
                item.title,
                item.presenter.full_name if item.presenter else "",
                item.purpose,
                item.minutes_allowed,
                [_paper_fingerprint(paper, as_of) for paper in item.papers.all()],
            ]
            for item in contents.items
        ],
        "previous": contents.previous.pk if contents.previous else None,
        # Only when not English, so the packs built before the choice keep their fingerprints.
        **({"language": language} if language != ENGLISH else {}),
        "minutes": minutes_fingerprint(minutes),
        **_welsh_fingerprint(contents),
        # Only when flagged, so packs of quorate meetings keep their fingerprints.
        **({"not_quorate": True} if contents.previous_not_quorate else {}),
        # Likewise only when there are some.
        **(
            {
                "declarations": [
                    [d.pk, d.person.full_name, d.item_id, d.interest] for d in contents.declarations
                ]
            }
            if contents.declarations
            else {}
        ),
        "actions": [
            [
                action.pk,
                action.description,
                action.owner.full_name,
                str(action.due_date),
                action.status,
                str(action.completed_on),
            ]
            for action in contents.actions
        ],
    }
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _page_count(pdf: bytes) -> int:
    return read_pdf_pages(pdf)


def _unavailable(meeting: Meeting, title: str, reason: Any, language: str | None) -> bytes:
    return render_pdf(
        "compact/pdf/pack_unavailable.html",
        {"meeting": meeting, "title": title, "reason": reason},
        language=language,
    )


def paper_pdf(
    paper: Paper,
    meeting: Meeting,
    problems: list[str],
    placement: PaperPlacement | None = None,
    language: str | None = None,
) -> tuple[bytes, bool]:
    """The paper's PDF (in ``language``: "cy", "en", "bilingual"; the reader's when None) and
    whether it was laid out by us; a placeholder page if it fails. ``placement`` (its number
    and agenda item in the pack) goes to providers that print it."""
    if paper.kind == Paper.Kind.WRITTEN:
        return render_pdf(
            "compact/pdf/written_paper.html",
            {"meeting": meeting, "paper": paper},
            language=language,
        ), True
    if paper.kind == Paper.Kind.UPLOAD:
        try:
            with paper.file.open("rb") as handle:
                content = handle.read()
            read_pdf_pages(content)
            return content, False
        except (OSError, ValueError):
            reason = gettext_lazy("The uploaded file is missing or damaged.")
    else:
        provider = registry.get(PaperProvider, paper.provider_key)
        if provider is None:
            reason = format_lazy(
                gettext_lazy("The report {key} is not available in this installation."),
                key=paper.provider_key,
            )
        else:
            try:
                as_of = paper_as_of(meeting)

                def render(provider: PaperProvider = provider) -> bytes:
                    if placement is not None and provider.render_placed is not None:
                        return provider.render_placed(paper.provider_value, as_of, placement).pdf
                    return provider.render(paper.provider_value, as_of).pdf

                content = render_in(language, render)
                read_pdf_pages(content)
                return content, True
            except Exception:  # a provider's failure must not stop the pack
                logger.exception("Rendering %s failed", paper.provider_key)
                reason = gettext_lazy("The report could not be generated.")
    title = text_of(paper, "title")
    problems.append(f"{title}: {reason}")
    return _unavailable(meeting, title, reason, language), True


def _agenda_pdf(
    contents: PackContents,
    rows: list[dict[str, Any]],
    tail: list[dict[str, Any]],
    language: str,
) -> bytes:
    by_item: dict[int | None, list[MeetingDeclaration]] = {}
    for declaration in contents.declarations:
        by_item.setdefault(declaration.item_id, []).append(declaration)
    for row in rows:
        row["declarations"] = by_item.get(row["item"].pk, [])
    return render_pdf(
        "compact/pdf/pack_agenda.html",
        {
            "meeting": contents.meeting,
            "rows": rows,
            "tail": tail,
            "general_declarations": by_item.get(None, []),
        },
        language=language,
    )


def _minutes_part(contents: PackContents, language: str) -> Part | None:
    if contents.previous_minutes is None or contents.previous is None:
        return None
    previous = contents.previous
    return Part(
        words(
            language,
            lambda: (
                _("Minutes of the previous meeting (%(date)s)")
                % {"date": date_format(previous.date, "d F Y")}
            ),
        ),
        render_pdf(
            "compact/pdf/pack_minutes.html",
            lambda: {
                "meeting": contents.meeting,
                "previous": contents.previous,
                "minutes": contents.previous_minutes,
                "view": minutes_rows(contents.previous_minutes),
                "not_quorate": contents.previous_not_quorate,
            },
            language=language,
        ),
        True,
    )


def build_pack_pdf(contents: PackContents, language: str = ENGLISH) -> BuiltPack:
    """Render and join the pack in ``language``: "cy", "en" or "bilingual" (each part in
    Welsh then in English, so a paper's two versions sit together under its agenda item).
    The pack numbers every page itself, so its parts are rendered without numbers."""
    with pages_numbered(by_caller=True):
        return _build_pack_pdf(contents, language)


def _build_pack_pdf(contents: PackContents, language: str) -> BuiltPack:

    meeting = contents.meeting
    problems: list[str] = []
    cover = Part(
        words(language, lambda: _("Cover")),
        render_pdf(
            "compact/pdf/pack_cover.html",
            {"meeting": meeting, "compact": meeting.body.compact},
            language=language,
        ),
        True,
    )
    minutes_part = _minutes_part(contents, language)
    # The previous minutes are the paper of the standard item "Minutes of the last meeting"
    # when the agenda has one; otherwise they follow the papers.
    minutes_item = next(
        (item for item in contents.items if item.standard_kind == StandardItem.MINUTES), None
    )
    papers: list[Part] = []
    for item_number, item in enumerate(contents.items, start=1):
        item_papers = list(item.papers.all())
        for paper_index, paper in enumerate(item_papers, start=1):
            # Numbered as the agenda numbers them: item 3's papers are 3, or 3.1, 3.2, ...
            number = f"{item_number}.{paper_index}" if len(item_papers) > 1 else str(item_number)
            placement = PaperPlacement(
                paper_number=number, agenda_item=f"{item_number}. {text_of(item, 'title')}"
            )
            pdf, own = paper_pdf(paper, meeting, problems, placement, language)
            # The bookmark in the pack's language ("Cymraeg / English" in a bilingual one).
            title = words(language, lambda paper=paper: text_of(paper, "title"))
            papers.append(Part(title, pdf, own, item=item, paper=paper))
        if minutes_part is not None and item is minutes_item:
            minutes_part.item = item
            papers.append(minutes_part)
    tail: list[Part] = []
    if minutes_part is not None and minutes_item is None:
        tail.append(minutes_part)
    tail.append(
        Part(
            words(language, lambda: _("Action log")),
            render_pdf(
                "compact/pdf/pack_actions.html",
                {"meeting": meeting, "actions": contents.actions},
                language=language,
            ),
            True,
        )
    )
    for part in [cover, *papers, *tail]:
        part.pages = _page_count(part.pdf)

    def agenda_rows(agenda_pages: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        page = 1 + cover.pages + agenda_pages
        first_paper_page: dict[int, int] = {}
        paper_pages: dict[int, int] = {}
        for part in papers:
            paper_pages[id(part)] = page
            first_paper_page.setdefault(part.item.pk, page)
            page += part.pages
        rows = []
        for number, item in enumerate(contents.items, start=1):
            rows.append(
                {
                    "number": number,
                    "item": item,
                    "page": first_paper_page.get(item.pk),
                    "papers": [
                        {"title": part.title, "page": paper_pages[id(part)], "paper": part.paper}
                        for part in papers
                        if part.item is item
                    ],
                }
            )
        tail_rows = []
        for part in tail:
            tail_rows.append({"title": part.title, "page": page})
            page += part.pages
        return rows, tail_rows

    agenda_pages = 1
    for _attempt in range(3):
        rows, tail_rows = agenda_rows(agenda_pages)
        agenda_pdf = _agenda_pdf(contents, rows, tail_rows, language)
        rendered_pages = _page_count(agenda_pdf)
        if rendered_pages == agenda_pages:
            break
        agenda_pages = rendered_pages
    agenda = Part(words(language, lambda: _("Agenda")), agenda_pdf, True, pages=agenda_pages)

    import pikepdf

    from compact.platform.pdf.merge import (
        merge_tagged,
        overlay_as_artifacts,
        page_number_overlay,
        page_sizes,
        saved,
    )

    ordered = [cover, agenda, *papers, *tail]
    # One tagged document: our parts' structure trees are joined (uploaded papers bring pages).
    merged = merge_tagged([part.pdf for part in ordered], keep_bookmarks=False)
    starts: list[tuple[Part, int]] = []
    own_layout: list[bool] = []
    page_index = 0
    for part in ordered:
        starts.append((part, page_index))
        count = _page_count(part.pdf)
        own_layout.extend([part.own_layout] * count)
        page_index += count

    # "Page X of Y" on every page: one overlay render, drawn page by page as artifacts.
    overlay = page_number_overlay(
        page_sizes(merged), own_layout, FOOTER_BAND_MM, languages=languages_of(language)
    )
    overlay_as_artifacts(merged, pikepdf.open(io.BytesIO(overlay)))

    outline: list[str] = []
    start_of = {id(part): index for part, index in starts}
    agenda_start = start_of[id(agenda)]
    items: list[pikepdf.OutlineItem] = []

    def bookmark(title: str, index: int, parent: Any = None) -> Any:
        outline.append(title)
        item = pikepdf.OutlineItem(title, index)
        (parent.children if parent is not None else items).append(item)
        return item

    bookmark(cover.title, start_of[id(cover)])
    bookmark(agenda.title, agenda_start)
    for row in rows:
        item = row["item"]
        item_papers = [part for part in papers if part.item is item]
        first = start_of[id(item_papers[0])] if item_papers else agenda_start
        parent = bookmark(f"{row['number']}. {text_of(item, 'title')}", first)
        for part in item_papers:
            bookmark(part.title, start_of[id(part)], parent)
    for part in tail:
        bookmark(part.title, start_of[id(part)])
    with merged.open_outline() as pdf_outline:
        pdf_outline.root.extend(items)
    title = words(
        language,
        lambda: f"{meeting.body.name} - {date_format(meeting.date, 'd F Y')} - " + _("Board pack"),
    )
    merged.docinfo["/Title"] = title
    merged.docinfo["/Author"] = meeting.body.compact.name
    with merged.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata["dc:title"] = title
    merged.Root.PageMode = pikepdf.Name.UseOutlines
    return BuiltPack(pdf=saved(merged), pages=len(merged.pages), problems=problems, outline=outline)
