"""Join tagged PDFs (PDF/UA-1, made by WeasyPrint in parallel parts) into one tagged document.

A plain page-by-page join (pypdf's ``append``) keeps the pages but drops each part's structure
tree, so a screen reader gets an untagged document. Here the first part is the base; for every
other part its pages are copied, its ``/StructParents`` numbers moved past the ones already used,
its ParentTree entries copied under the moved numbers, and its top-level structure elements
hung under the base's Document element, so the result has one structure tree covering every
page. Bookmarks are carried over to the copied pages. "Page X of Y" is then drawn from a
WeasyPrint overlay (fonts embedded) as an artifact (outside the structure, as PDF/UA asks of
page furniture).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem


def _nums(pdf: pikepdf.Pdf) -> Array:
    tree = pdf.Root.StructTreeRoot.ParentTree
    if "/Nums" not in tree:
        tree.Nums = Array()
    return tree.Nums


def _next_key(pdf: pikepdf.Pdf) -> int:
    keys = [int(key) for key in list(_nums(pdf))[0::2]]
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            keys.append(int(page.obj.StructParents))
        for annot in page.obj.get("/Annots", Array()):
            if "/StructParent" in annot:
                keys.append(int(annot.StructParent))
    return max(keys, default=-1) + 1


def _copy(target: pikepdf.Pdf, value: object) -> object:
    """Copy a value from another PDF: indirect objects through the target's foreign-object map
    (so shared objects, and pages already copied, are not duplicated), direct containers
    item by item."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(target, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(target, item) for key, item in value.items()})
    return value


def _top_elements(structure_root: Dictionary) -> list[Dictionary]:
    kids = structure_root.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _container(pdf: pikepdf.Pdf) -> tuple[Dictionary, bool]:
    """The element new parts hang under: the base's single Document element (True), or the
    structure root itself (False)."""
    root = pdf.Root.StructTreeRoot
    top = _top_elements(root)
    is_document = len(top) == 1 and top[0].get("/S") == Name.Document
    container = top[0] if is_document else root
    if not isinstance(container.get("/K"), Array):
        container.K = Array([container.K]) if "/K" in container else Array()
    return container, is_document


def _outline_items(part: pikepdf.Pdf, first_page: int, target: pikepdf.Pdf) -> list[OutlineItem]:
    """The part's bookmarks, pointing at its pages as copied into ``target``."""
    index = {page.obj.objgen: number for number, page in enumerate(part.pages)}

    def convert(item: OutlineItem) -> OutlineItem | None:
        destination = item.destination
        if isinstance(destination, Array) and len(destination) and destination[0].is_indirect:
            number = index.get(destination[0].objgen)
        else:
            number = None
        if number is None:
            return None
        new_destination = Array([target.pages[first_page + number].obj, *list(destination)[1:]])
        copied = OutlineItem(str(item.title), new_destination)
        copied.children.extend(
            child for child in (convert(c) for c in item.children) if child is not None
        )
        return copied

    with part.open_outline() as outline:
        return [item for item in (convert(i) for i in outline.root) if item is not None]


def opened(part: bytes | pikepdf.Pdf) -> pikepdf.Pdf:
    """A part as a pikepdf document (bytes are opened; an opened document is used as is)."""
    return part if isinstance(part, pikepdf.Pdf) else pikepdf.open(io.BytesIO(part))


def saved(pdf: pikepdf.Pdf) -> bytes:
    """The bytes of a joined document. Streams are written as they are (decoding and
    compressing them again tripled the time); the small objects are packed into new object
    streams: for 140 joined report sections 0.12 s instead of 0.3 s to keep the parts' own,
    and half the file (2.0 instead of 4.2 MB; docs/plan-reports.md)."""
    output = io.BytesIO()
    pdf.save(
        output,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return output.getvalue()


def merge_tagged(
    parts: Iterable[bytes | pikepdf.Pdf], *, keep_bookmarks: bool = True
) -> pikepdf.Pdf:
    """One tagged PDF from several parts (bytes, or documents already opened, which the join
    then changes), in order. The first part must be tagged; an untagged later part (an uploaded
    paper) brings its pages only. ``keep_bookmarks=False`` drops the parts' bookmarks for a
    caller that writes its own."""
    parts = list(parts)
    merged = opened(parts[0])
    container, under_document = _container(merged)
    nums = _nums(merged)
    bookmarks: list[OutlineItem] = []
    next_key = _next_key(merged)  # kept up to date below: rescanning is quadratic in parts
    for data in parts[1:]:
        part = opened(data)
        if "/StructTreeRoot" not in part.Root:
            merged.pages.extend(part.pages)
            for page in merged.pages[len(merged.pages) - len(part.pages) :]:
                if "/StructParents" in page.obj:  # numbers that point into no tree of ours
                    del page.obj["/StructParents"]
            continue
        offset = next_key
        next_key = offset + _next_key(part)
        first_page = len(merged.pages)
        # Pages first: copying the structure afterwards maps its /Pg references onto these
        # copies (one foreign-object map per source document), never onto duplicates.
        merged.pages.extend(part.pages)
        for page in merged.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        part_root = part.Root.StructTreeRoot
        part_lang = part.Root.get("/Lang")
        if part_lang is not None and str(part_lang) == str(merged.Root.get("/Lang", "")):
            part_lang = None
        part_nums = _nums(part)
        for position in range(0, len(part_nums), 2):
            nums.append(int(part_nums[position]) + offset)
            nums.append(_copy(merged, part_nums[position + 1]))
        for element in _top_elements(part_root):
            is_document = element.get("/S") == Name.Document
            kids = _top_elements(element) if is_document and under_document else [element]
            for kid in kids:
                if not isinstance(kid, Dictionary):
                    continue  # a marked-content number directly under Document: none expected
                copied = _copy(merged, kid)
                copied.P = container
                if part_lang is not None:  # a part in another language (a bilingual paper)
                    copied.Lang = pikepdf.String(str(part_lang))
                container.K.append(copied)
        for name in ("/RoleMap", "/ClassMap"):
            if name in part_root:
                own = merged.Root.StructTreeRoot.get(name)
                if own is None:
                    merged.Root.StructTreeRoot[name] = _copy(merged, part_root[name])
                else:
                    for key, value in part_root[name].items():
                        if key not in own:
                            own[key] = _copy(merged, value)
        if keep_bookmarks:
            bookmarks.extend(_outline_items(part, first_page, merged))
    merged.Root.StructTreeRoot.ParentTreeNextKey = max(next_key, _next_key(merged))
    if not keep_bookmarks and "/Outlines" in merged.Root:
        del merged.Root["/Outlines"]
    if bookmarks:
        with merged.open_outline() as outline:
            # Under the document's single title bookmark, where one pass puts the sections.
            top = outline.root
            parent = top[0].children if len(top) == 1 else top
            parent.extend(bookmarks)
    return merged


def overlay_as_artifacts(
    pdf: pikepdf.Pdf, overlay: pikepdf.Pdf, pages: list[int] | None = None, kind: str = ""
) -> None:
    """Draw page N of ``overlay`` (page furniture: running headers, "Page X of Y") over page N
    of ``pdf`` (or page ``pages[N]`` of the overlay), marked as an artifact so it stays outside
    the structure tree. ``kind``: the artifact's subtype (``Header``, ``Footer``)."""
    pages = pages if pages is not None else list(range(len(overlay.pages)))
    if len(pages) != len(pdf.pages):
        raise ValueError(f"{len(pages)} stamps for {len(pdf.pages)} pages")
    forms: dict[int, pikepdf.Object] = {}  # a stamp drawn on many pages is copied once
    subtype = b" /Subtype /%s" % kind.encode() if kind else b""
    for number, (page, stamp) in enumerate(zip(pdf.pages, pages, strict=True)):
        if stamp not in forms:
            forms[stamp] = pdf.copy_foreign(overlay.pages[stamp].as_form_xobject())
        name = page.add_resource(forms[stamp], Name.XObject, prefix=f"CTStamp{kind}{number}")
        left, bottom = float(page.mediabox[0]), float(page.mediabox[1])
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(
            b"Q /Artifact <</Type /Pagination%s>> BDC q 1 0 0 1 %.2f %.2f cm %s Do Q EMC\n"
            % (subtype, left, bottom, str(name).encode())
        )


def _page_label_formats(languages: tuple[str, ...] | None) -> list[str]:
    """ "Page %(number)s of %(total)s" in the active language, or in each language given."""
    from django.utils import translation
    from django.utils.translation import gettext

    if not languages:
        return [gettext("Page %(number)s of %(total)s")]
    formats = []
    for language in languages:
        with translation.override(language):
            formats.append(gettext("Page %(number)s of %(total)s"))
    return formats


# Fewer pages than this per chunk of "Page X of Y" stamps are not worth another worker.
STAMP_PAGES_PER_CHUNK = 40


def number_chunks(total: int, workers: int) -> list[range]:
    """The pages (0-based) of a ``total``-page document cut in up to ``workers`` runs, whose
    "Page X of Y" stamps render side by side (:func:`joined_overlay` puts them together)."""
    if total == 0:
        return [range(0)]
    count = max(1, min(workers, total // STAMP_PAGES_PER_CHUNK))
    size = -(-total // count)
    return [range(start, min(total, start + size)) for start in range(0, total, size)]


def joined_overlay(pdfs: list[bytes]) -> pikepdf.Pdf:
    """The stamp pages of several chunks as one overlay, in order."""
    joined = pikepdf.open(io.BytesIO(pdfs[0]))
    for pdf in pdfs[1:]:
        joined.pages.extend(pikepdf.open(io.BytesIO(pdf)).pages)
    return joined


def page_number_overlay_html(
    sizes: list[tuple[float, float]],
    blank: list[bool] | None = None,
    band_mm: float = 0,
    *,
    languages: tuple[str, ...] | None = None,
    pages: range | None = None,
) -> str:
    """The HTML of :func:`page_number_overlay` (kept renderings are keyed by it); ``pages``:
    only those pages' stamps (0-based), numbered in the whole document."""
    from django.template.loader import render_to_string

    blank = blank or [False] * len(sizes)
    pages = pages if pages is not None else range(len(sizes))
    distinct = sorted(set(sizes))
    formats = _page_label_formats(languages)
    total = len(sizes)
    return render_to_string(
        "compact/pdf/pack_stamps.html",
        {
            "page_sizes": [
                {"name": f"s{index}", "width": width, "height": height}
                for index, (width, height) in enumerate(distinct)
            ],
            "pages": [
                {
                    "label": " / ".join(f % {"number": number, "total": total} for f in formats),
                    "size": f"s{distinct.index(size)}",
                    "blank": is_blank,
                }
                for number, (size, is_blank) in enumerate(zip(sizes, blank, strict=True), 1)
                if number - 1 in pages
            ],
            "total": total,
            "band_mm": band_mm,
        },
    )


def page_number_overlay(
    sizes: list[tuple[float, float]],
    blank: list[bool] | None = None,
    band_mm: float = 0,
    *,
    languages: tuple[str, ...] | None = None,
) -> bytes:
    """One WeasyPrint render holding a "Page X of Y" footer page for each page size given,
    with embedded fonts (PDF/UA asks that of every font, artifacts included). ``blank`` pages
    also get a white band of ``band_mm`` under the number (over the parts' own footers).
    ``languages``: the words in each of them ("Tudalen 1 o 4 / Page 1 of 4"), else the active
    language's."""
    from compact.platform.pdf import html_to_pdf

    return html_to_pdf(page_number_overlay_html(sizes, blank, band_mm, languages=languages))


def running_header_overlay_html(
    sizes: list[tuple[float, float]], header_html: str, *, top_mm: float, side_mm: float
) -> str:
    """One page per distinct size with the running header centred in the top margin, as
    pdf/base.html's ``@top-center`` box draws it (``header_html`` is already escaped)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    return render_to_string(
        "compact/pdf/header_stamps.html",
        {
            "page_sizes": [
                {"name": f"s{index}", "width": width, "height": height}
                for index, (width, height) in enumerate(sorted(set(sizes)))
            ],
            "header": mark_safe(header_html),
            "top_mm": top_mm,
            "side_mm": side_mm,
        },
    )


def page_sizes(pdf: pikepdf.Pdf) -> list[tuple[float, float]]:
    return [
        (
            round(float(page.mediabox[2]) - float(page.mediabox[0]), 2),
            round(float(page.mediabox[3]) - float(page.mediabox[1]), 2),
        )
        for page in pdf.pages
    ]


def merge_tagged_and_number(parts: list[bytes]) -> tuple[bytes, int]:
    """Join tagged parts, number every page, and return the bytes and the page count."""
    merged = merge_tagged(parts)
    overlay = page_number_overlay(page_sizes(merged))
    overlay_as_artifacts(merged, pikepdf.open(io.BytesIO(overlay)))
    return saved(merged), len(merged.pages)


# Papers laid out with pdf.css carry "Page X of Y" in a 15-18 mm bottom margin; a join blanks
# this band before numbering the joined pages.
OWN_FOOTER_BAND_MM = 14


def join_versions(versions: list[tuple[str, bytes]]) -> bytes:
    """One tagged PDF of a paper's language versions in order (a bilingual paper: Welsh, then
    English): each later version's structure marked with its /Lang, the pages numbered through
    all of them in every language, a bookmark per version (its own bookmarks under it) and the
    titles joined with " / "."""
    from compact.platform.pdf.languages import numbered_by_caller

    merged = merge_tagged([pdf for _lang, pdf in versions], keep_bookmarks=False)
    languages = tuple(lang for lang, _pdf in versions)
    if not numbered_by_caller():  # inside a board pack, the pack numbers its pages
        overlay = page_number_overlay(
            page_sizes(merged),
            [True] * len(merged.pages),
            OWN_FOOTER_BAND_MM,
            languages=languages,
        )
        overlay_as_artifacts(merged, pikepdf.open(io.BytesIO(overlay)))
    titles: list[str] = []
    bookmarks: list[OutlineItem] = []
    first_page = 0
    for lang, pdf in versions:
        part = pikepdf.open(io.BytesIO(pdf))
        title = str(part.docinfo.get("/Title", "")).strip()
        if title and title not in titles:
            titles.append(title)
        top = OutlineItem(title or lang, first_page)
        top.children.extend(_outline_items(part, first_page, merged))
        bookmarks.append(top)
        first_page += len(part.pages)
    with merged.open_outline() as outline:
        outline.root.extend(bookmarks)
    title = " / ".join(titles)
    if title:
        merged.docinfo["/Title"] = title
        with merged.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["dc:title"] = title
    merged.Root.PageMode = Name.UseOutlines
    return saved(merged)
