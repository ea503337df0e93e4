"""Reading the plain-text (tab-delimited) export of the Word plan into a ParsedPlan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.importing.parsed import (
    _OBJECTIVE,
    COLUMNS,
    HEADER,
    ParsedObjective,
    ParsedPlan,
    PlanImportError,
    Text,
    _header_matches,
    _read_preamble,
    _rows_into_objective,
    clean_text,
)


def parse_text(content: str) -> ParsedPlan:
    """Read the tab-indented text export (see the module docstring for its layout)."""
    parsed = ParsedPlan()
    preamble: list[str] = []
    cells: list[list[str]] = []
    for line in content.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
        else:
            preamble.append(line)
    _read_preamble(preamble, parsed)
    texts = [clean_text("\n".join(cell)) for cell in cells]

    index = 0
    if texts and not _OBJECTIVE.match(texts[0].split("\n", 1)[0]):
        raise PlanImportError(
            _("The document must start with an OBJECTIVE heading; found “%(text)s”.")
            % {"text": texts[0][:60]}
        )
    while index < len(texts):
        first_line, _sep, rest = texts[index].partition("\n")
        heading = _OBJECTIVE.match(first_line)
        if heading is None:  # pragma: no cover - guarded by the loop below
            raise PlanImportError(_("Unexpected text: “%(text)s”.") % {"text": first_line[:60]})
        number = int(heading[1])
        statement = clean_text("\n".join(part for part in (heading[2], rest) if part))
        objective = ParsedObjective(number=number, statement=Text.plain(statement))
        index += 1
        header = texts[index : index + COLUMNS]
        if not _header_matches(header):
            raise PlanImportError(
                _(
                    "Objective %(number)s: expected the table header (%(header)s) after the "
                    "statement, found “%(found)s”."
                )
                % {
                    "number": number,
                    "header": ", ".join(HEADER),
                    "found": " | ".join(header)[:120],
                }
            )
        index += COLUMNS
        body: list[str] = []
        while index < len(texts) and not _OBJECTIVE.match(texts[index].split("\n", 1)[0]):
            body.append(texts[index])
            index += 1
        is_last = index >= len(texts)
        rows: list[tuple[int, list[Text]]] = []
        for start in range(0, len(body), COLUMNS):
            chunk = body[start : start + COLUMNS]
            if len(chunk) < COLUMNS and is_last:
                chunk = chunk + [""] * (COLUMNS - len(chunk))
            rows.append((start // COLUMNS + 2, [Text.plain(cell) for cell in chunk]))
        _rows_into_objective(objective, rows)
        parsed.objectives.append(objective)
    if not parsed.objectives:
        raise PlanImportError(_("No OBJECTIVE heading found: is this an implementation plan?"))
    return parsed
