"""Import of the Partnership Working Code of Practice (the seed text): its numbered commitments
by party, its supporting documents as register entries, and Appendix 2 (the representatives'
code of conduct) as a code of conduct whose version 1 is the appendix text.

Parsing is pure (``parse_partnership_code``); ``import_partnership_code`` writes, idempotently,
keyed on slugs, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from compact.models import Body, CodeDocumentVersion, CodeOfPractice, Commitment, Compact
from compact.models.codes import CODE_OF_CONDUCT_SLUG, PARTNERSHIP_CODE_SLUG
from compact.platform.history import save_with_history

PROTOCOL_SLUG = "protocol-third-sector-involvement-in-partnerships"

# The headings of the code's numbered lists, in the code's own order.
PARTY_HEADINGS = [
    (re.compile(r"^All parties will\s*[:;]", re.I), Commitment.Party.ALL),
    (re.compile(r"^Public sector organisations will\s*[:;]", re.I), Commitment.Party.PUBLIC),
    (
        re.compile(
            r"^On behalf of the Third Sector, Voluntary Action Merthyr Tydfil will\s*[:;]", re.I
        ),
        Commitment.Party.VAMT,
    ),
    (re.compile(r"^Third sector organisations will\s*[:;]", re.I), Commitment.Party.THIRD),
]
NUMBERED = re.compile(r"^(\d+)\.\s+(\S.*)$")
MARKER = re.compile(r"\s*\((to be developed|in development|appendix \d+|\d{4})\)\s*$", re.I)


@dataclass
class SupportingDocument:
    title: str
    status: str
    kind: str
    appendix: int | None = None


@dataclass
class ParsedCode:
    title: str
    text: str
    commitments: list[tuple[str, int, str, int]] = field(
        default_factory=list
    )  # party, no, text, line
    documents: list[SupportingDocument] = field(default_factory=list)
    appendix_1: str = ""
    appendix_2: str = ""


def _document(line: str) -> SupportingDocument:
    match = MARKER.search(line)
    marker = match.group(1).lower() if match else ""
    title = MARKER.sub("", line).strip()
    appendix = int(marker.split()[1]) if marker.startswith("appendix") else None
    status = (
        CodeOfPractice.Status.TO_BE_DEVELOPED
        if marker == "to be developed"
        else CodeOfPractice.Status.IN_DEVELOPMENT
        if marker == "in development"
        else CodeOfPractice.Status.AGREED
    )
    lowered = title.lower()
    if "code of conduct" in lowered:
        kind = CodeOfPractice.Kind.CODE_OF_CONDUCT
    elif lowered.startswith("protocol"):
        kind = CodeOfPractice.Kind.PROTOCOL
    elif "process" in lowered:
        kind = CodeOfPractice.Kind.PROCESS
    elif lowered.startswith("code of practice"):
        kind = CodeOfPractice.Kind.CODE
    else:
        kind = CodeOfPractice.Kind.DOCUMENT
    return SupportingDocument(title=title, status=status, kind=kind, appendix=appendix)


def parse_partnership_code(text: str) -> ParsedCode:
    """Read the commitments by party, the supporting documents and the two appendices.
    Raises ValidationError naming the line when the text does not have the expected shape."""
    lines = [line.strip().replace("\u2019", "'") for line in text.splitlines()]
    parsed = ParsedCode(title="Partnership Working Code of Practice", text="")
    party: str | None = None
    expected = 1
    section = "intro"
    code_lines: list[str] = []
    appendix: dict[int, list[str]] = {1: [], 2: []}
    for number, line in enumerate(lines, start=1):
        if section in {"intro", "code"} and line.lower().startswith("supporting documents"):
            section = "documents"
            continue
        if section == "documents" and line.lower().startswith("for further information"):
            section = "after-documents"
            continue
        if line.lower().startswith("appendix 1"):
            section = "appendix-1"
            continue
        if line.lower().startswith("appendix 2"):
            section = "appendix-2"
            continue
        if section == "intro":
            code_lines.append(line)
            if line.lower() == "code of practice":
                section = "code"
            continue
        if section == "code":
            code_lines.append(line)
            if line.lower().startswith("implementation and monitoring"):
                party = None
                continue
            heading = next((p for pattern, p in PARTY_HEADINGS if pattern.match(line)), None)
            if heading is not None:
                party, expected = heading, 1
                continue
            match = NUMBERED.match(line)
            if party is not None and match:
                if int(match.group(1)) != expected:
                    raise ValidationError(
                        f"Line {number}: expected commitment {expected}, found {match.group(1)}."
                    )
                parsed.commitments.append((party, expected, match.group(2).strip(), number))
                expected += 1
            elif party is not None and line and not match:
                raise ValidationError(
                    f"Line {number}: expected a numbered commitment, found {line[:60]!r}."
                )
            continue
        if section == "documents" and line:
            parsed.documents.append(_document(line))
        elif section.startswith("appendix-"):
            appendix[int(section[-1])].append(line)
    parties = {party for party, *_rest in parsed.commitments}
    missing = [str(label) for value, label in Commitment.Party.choices if value not in parties]
    if missing:
        raise ValidationError(f"No commitments found for: {', '.join(missing)}.")
    parsed.text = _tidy(code_lines)
    parsed.appendix_1 = _tidy(appendix[1])
    parsed.appendix_2 = signing_text(_tidy(appendix[2]))
    return parsed


def signing_text(text: str) -> str:
    """Appendix 2 as representatives read it to sign: from its first sentence to just before
    the paper form's signature lines ("Signed ....", which the electronic signature replaces),
    bullets as "- " so they read the same on the page and in the PDF."""
    start = text.find("This Code of Conduct outlines")
    end = text.find("Signed …")
    body = text[start if start >= 0 else 0 : end if end > 0 else len(text)].strip()
    return re.sub(r"\n\s*\n", "\n\n", body).replace("\u00b7 ", "- ")


def _tidy(lines: list[str]) -> str:
    """Join lines, keeping at most one blank line between paragraphs."""
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _code(compact: Compact, slug: str, **fields: Any) -> CodeOfPractice:
    code = CodeOfPractice.objects.filter(slug=slug).first() or CodeOfPractice(slug=slug)
    code.compact = compact
    for name, value in fields.items():
        setattr(code, name, value)
    save_with_history(
        code, actor=None, reason="Imported from the Partnership Working Code of Practice"
    )
    return code


def _first_version(code: CodeOfPractice, text: str, date: datetime.date) -> None:
    if text and not code.versions.filter(label="1").exists():
        version = CodeDocumentVersion(code=code, label="1", date=date, text=text, notes="Imported")
        version.full_clean()
        version.save()


@transaction.atomic
def import_partnership_code(
    *,
    compact: Compact,
    path: Path,
    owner_body: Body | None = None,
    date: datetime.date | None = None,
) -> CodeOfPractice:
    """Create or refresh the code, its commitments, the supporting documents and appendices."""
    parsed = parse_partnership_code(path.read_text(encoding="utf-8"))
    date = date or datetime.date(2009, 1, 1)
    code = _code(
        compact,
        PARTNERSHIP_CODE_SLUG,
        title=parsed.title,
        kind=CodeOfPractice.Kind.CODE,
        status=CodeOfPractice.Status.AGREED,
        owner_body=owner_body,
        summary="How the public sector and the third sector work together in partnerships and "
        "joint working groups in Merthyr Tydfil: numbered commitments for each party.",
    )
    _first_version(code, parsed.text, date)
    existing = {(c.party, c.number): c for c in code.commitments.all()}
    for party, number, text, _line in parsed.commitments:
        commitment = existing.get((party, number)) or Commitment(
            code=code, party=party, number=number
        )
        if commitment.text != text:
            commitment.text = text
            save_with_history(commitment, actor=None, reason="Imported")
    for document in parsed.documents:
        if document.appendix == 1:
            slug, text = PROTOCOL_SLUG, parsed.appendix_1
        elif document.appendix == 2:
            slug, text = CODE_OF_CONDUCT_SLUG, parsed.appendix_2
        else:
            slug, text = slugify(document.title)[:80], ""
        entry = _code(
            compact,
            slug,
            title=document.title,
            kind=document.kind,
            status=document.status,
            owner_body=owner_body,
        )
        _first_version(entry, text, date)
    return code
