"""CSV import and export of the register, and CSV export of the compliance matrix.

An import is all-or-nothing: every row is checked, every problem is reported with its row
number (the header is row 1, as a spreadsheet shows it), and nothing is saved unless all rows
are good.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from compact.models import Compact, Organisation, Person
from compact.platform.language import marked_text
from compact.platform.spreadsheets import CsvReadError, cell_problem, csv_text, read_csv
from partnerships import services
from partnerships.models import Partnership, ThirdSectorPlace
from partnerships.selectors import ComplianceMatrix, RegisterRow

COLUMNS = (
    "name",
    "name_cy",
    "type",
    "parent",
    "lead_body",
    "purpose",
    "purpose_cy",
    "meeting_frequency",
    "coverage",
    "other_cvcs",
    "status",
    "contact",
    "terms_of_reference_date",
    "published",
    "places",
)
REQUIRED_COLUMNS = ("name", "type")
# Written by the export for people reading it; ignored when the file is imported back.
EXPORT_ONLY_COLUMNS = ("total_places", "vacancies", "non_compliant")
# The header a reader sees: the column's own name in English (what the import always read),
# a Welsh label in Welsh. The import takes either, so a Welsh export goes back in as it is.
HEADER_LABELS = {
    "name": pgettext_lazy("register column", "name"),
    "name_cy": pgettext_lazy("register column", "name_cy"),
    "type": pgettext_lazy("register column", "type"),
    "parent": pgettext_lazy("register column", "parent"),
    "lead_body": pgettext_lazy("register column", "lead_body"),
    "purpose": pgettext_lazy("register column", "purpose"),
    "purpose_cy": pgettext_lazy("register column", "purpose_cy"),
    "meeting_frequency": pgettext_lazy("register column", "meeting_frequency"),
    "coverage": pgettext_lazy("register column", "coverage"),
    "other_cvcs": pgettext_lazy("register column", "other_cvcs"),
    "status": pgettext_lazy("register column", "status"),
    "contact": pgettext_lazy("register column", "contact"),
    "terms_of_reference_date": pgettext_lazy("register column", "terms_of_reference_date"),
    "published": pgettext_lazy("register column", "published"),
    "places": pgettext_lazy("register column", "places"),
    "total_places": pgettext_lazy("register column", "total_places"),
    "vacancies": pgettext_lazy("register column", "vacancies"),
    "non_compliant": pgettext_lazy("register column", "non_compliant"),
}
MAX_ROWS = 2000
TRUE_WORDS = {"yes", "y", "true", "1", "ie", "oes"}
FALSE_WORDS = {"no", "n", "false", "0", "na", "nac oes"}


class ImportFailed(Exception):
    """The file was refused; ``errors`` are row-numbered messages. Nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class _Row:
    number: int
    partnership: Partnership
    parent_name: str
    other_cvcs: list[Organisation]
    places: list[ThirdSectorPlace] = field(default_factory=list)


def _choice(value: str, choices: Any, what: str, row: int, errors: list[str]) -> str:
    """Accept a choice's code or its label (any case)."""
    wanted = value.strip().lower()
    for code, label in choices.choices:
        if wanted in {code.lower(), str(label).lower()}:
            return code
    errors.append(
        _("Row %(row)d: %(what)s '%(value)s' is not one of %(allowed)s.")
        % {
            "row": row,
            "what": what,
            "value": value,
            "allowed": ", ".join(code for code, _label in choices.choices),
        }
    )
    return ""


def _date(value: str, row: int, errors: list[str]) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    errors.append(
        _("Row %(row)d: terms of reference date '%(value)s' is not a date like 2009-01-26.")
        % {"row": row, "value": value}
    )
    return None


def _places(value: str, row: int, errors: list[str]) -> list[ThirdSectorPlace]:
    """ "elected:2; vamt_chief_officer:1:deputy" -> unsaved places."""
    places = []
    for part in filter(None, (item.strip() for item in value.split(";"))):
        bits = [bit.strip() for bit in part.split(":")]
        kind = _choice(bits[0], ThirdSectorPlace.Kind, _("place kind"), row, errors)
        number = 1
        if len(bits) > 1 and bits[1]:
            if not bits[1].isdigit() or int(bits[1]) < 1:
                errors.append(
                    _("Row %(row)d: number of places '%(value)s' is not a whole number above 0.")
                    % {"row": row, "value": bits[1]}
                )
                continue
            number = int(bits[1])
        deputy = len(bits) > 2 and bits[2].lower() == "deputy"
        if kind:
            places.append(ThirdSectorPlace(kind=kind, number_of_places=number, has_deputy=deputy))
    return places


def _read(content: bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                [_("The file is not UTF-8 text: save it from your spreadsheet as CSV UTF-8.")]
            ) from exc
    try:
        records = read_csv(content)
    except CsvReadError as exc:
        raise ImportFailed([str(exc)]) from exc
    known = _header_names()
    headers = [
        known.get(name.strip().lower(), name.strip().lower())
        for name in (records[0] if records else [])
    ]
    if not any(headers):
        raise ImportFailed([_("The file is empty: it needs a header row, e.g. name,type,...")])
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    unknown = [name for name in headers if name and name not in COLUMNS + EXPORT_ONLY_COLUMNS]
    problems = []
    if missing:
        problems.append(
            _("Row 1: the header has no column %(names)s.") % {"names": ", ".join(missing)}
        )
    if unknown:
        problems.append(
            _("Row 1: unknown column %(names)s; the columns are %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(COLUMNS)}
        )
    if problems:
        raise ImportFailed(problems)
    if len(records) - 1 > MAX_ROWS:
        raise ImportFailed(
            [_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}]
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        if not record:
            continue  # an empty line, as some spreadsheets leave at the end
        row: dict[str, str] = {}
        for name, value in zip(headers, record, strict=False):
            if not name:
                continue
            problem = cell_problem(value)
            if problem:
                problems.append(
                    _("Row %(row)d, column %(column)s: %(problem)s")
                    % {"row": number, "column": name, "problem": problem}
                )
            row[name] = value.strip()
        rows.append((number, row))
    if problems:
        raise ImportFailed(problems)
    return headers, rows


def _header_names() -> dict[str, str]:
    """Every header the import reads, lower case, to its column: the column's own name and its
    label in each language of the site."""
    names = {column: column for column in COLUMNS + EXPORT_ONLY_COLUMNS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label).lower(): column for column, label in HEADER_LABELS.items()})
    return names


def partnerships_import(*, compact: Compact, content: bytes | str, actor: Any) -> list[Partnership]:
    """Add every partnership in a CSV file to the register, or none if any row is wrong."""
    services.require_register_editor(actor)
    _headers, raw_rows = _read(content)
    if not raw_rows:
        raise ImportFailed([_("The file has a header but no partnerships.")])
    errors: list[str] = []
    organisations: dict[str, Organisation] = {}
    for org in Organisation.objects.all():
        organisations[org.name.lower()] = org
        if org.short_name:
            organisations[org.short_name.lower()] = org
    people = {person.full_name.lower(): person for person in Person.objects.all()}
    existing = {p.name.lower(): p for p in Partnership.objects.filter(compact=compact)}
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, raw in raw_rows:
        name = raw.get("name", "")
        if not name:
            errors.append(_("Row %(row)d: the name is missing.") % {"row": number})
            continue
        if name.lower() in existing:
            errors.append(
                _("Row %(row)d: '%(name)s' is already in the register.")
                % {"row": number, "name": name}
            )
        if name.lower() in seen:
            errors.append(
                _("Row %(row)d: '%(name)s' is also on row %(other)d.")
                % {"row": number, "name": name, "other": seen[name.lower()]}
            )
        seen[name.lower()] = number

        def organisation(value: str, what: str, row: int = number) -> Organisation | None:
            found = organisations.get(value.lower())
            if found is None:
                errors.append(
                    _(
                        "Row %(row)d: %(what)s '%(value)s' is not an organisation of the Compact "
                        "(use its short name, e.g. MTCBC, or its full name)."
                    )
                    % {"row": row, "what": what, "value": value}
                )
            return found

        partnership = Partnership(
            compact=compact,
            name=name,
            name_cy=raw.get("name_cy", ""),
            type=_choice(raw.get("type", ""), Partnership.Type, _("type"), number, errors),
            purpose=raw.get("purpose", ""),
            purpose_cy=raw.get("purpose_cy", ""),
            meeting_frequency=raw.get("meeting_frequency", ""),
            coverage=(
                _choice(raw["coverage"], Partnership.Coverage, _("coverage"), number, errors)
                if raw.get("coverage")
                else Partnership.Coverage.COUNTY
            ),
            status=(
                _choice(raw["status"], Partnership.Status, _("status"), number, errors)
                if raw.get("status")
                else Partnership.Status.ACTIVE
            ),
            terms_of_reference_date=_date(raw.get("terms_of_reference_date", ""), number, errors),
        )
        if raw.get("lead_body"):
            partnership.lead_body = organisation(raw["lead_body"], _("lead body"))
        if raw.get("contact"):
            partnership.contact = people.get(raw["contact"].lower())
            if partnership.contact is None:
                errors.append(
                    _("Row %(row)d: contact '%(value)s' is not a person in the directory.")
                    % {"row": number, "value": raw["contact"]}
                )
        published = raw.get("published", "").lower()
        if published in FALSE_WORDS:
            partnership.published = False
        elif published and published not in TRUE_WORDS:
            errors.append(
                _("Row %(row)d: published '%(value)s' is not yes or no.")
                % {"row": number, "value": raw["published"]}
            )
        cvcs = []
        for value in filter(None, (v.strip() for v in raw.get("other_cvcs", "").split(";"))):
            found = organisation(value, _("other CVC"))
            if found is not None:
                cvcs.append(found)
        rows.append(
            _Row(
                number=number,
                partnership=partnership,
                parent_name=raw.get("parent", ""),
                other_cvcs=cvcs,
                places=_places(raw.get("places", ""), number, errors),
            )
        )
    ordered = _parents_first(rows, existing, errors)
    if errors:
        raise ImportFailed(errors)
    return _save(ordered, existing, actor)


def _parents_first(
    rows: list[_Row], existing: dict[str, Partnership], errors: list[str]
) -> list[_Row]:
    """Order rows so every parent is saved before its sub groups; report loops and unknowns."""
    by_name = {row.partnership.name.lower(): row for row in rows}
    for row in rows:
        parent = row.parent_name.lower()
        if parent and parent not in by_name and parent not in existing:
            errors.append(
                _("Row %(row)d: parent '%(parent)s' is neither in the register nor in the file.")
                % {"row": row.number, "parent": row.parent_name}
            )
    ordered: list[_Row] = []
    placed: set[str] = set()
    pending = list(rows)
    while pending:
        ready = [
            row
            for row in pending
            if not row.parent_name
            or row.parent_name.lower() in placed
            or row.parent_name.lower() not in by_name
        ]
        if not ready:
            for row in pending:
                errors.append(
                    _(
                        "Row %(row)d: '%(name)s' and its parent '%(parent)s' feed into each "
                        "other (a loop); a sub group cannot feed into itself or its own sub "
                        "groups."
                    )
                    % {"row": row.number, "name": row.partnership.name, "parent": row.parent_name}
                )
            break
        for row in ready:
            ordered.append(row)
            placed.add(row.partnership.name.lower())
            pending.remove(row)
    return ordered


def _save(
    ordered: Sequence[_Row], existing: dict[str, Partnership], actor: Any
) -> list[Partnership]:
    errors: list[str] = []
    saved: dict[str, Partnership] = {}
    try:
        with transaction.atomic():
            for row in ordered:
                partnership = row.partnership
                parent = row.parent_name.lower()
                if parent:
                    partnership.parent = saved.get(parent) or existing.get(parent)
                    if partnership.parent is None:
                        continue  # its parent's row failed and is reported already
                try:
                    with transaction.atomic():
                        services.partnership_create(
                            partnership=partnership,
                            other_cvcs=row.other_cvcs,
                            actor=actor,
                            reason=_("Imported from CSV (row %(row)d)") % {"row": row.number},
                        )
                        for place in row.places:
                            place.partnership = partnership
                            services.place_save(place=place, actor=actor, reason=_("Imported"))
                except ValidationError as exc:
                    errors.extend(
                        _("Row %(row)d: %(message)s") % {"row": row.number, "message": message}
                        for message in _messages(exc)
                    )
                    continue
                saved[partnership.name.lower()] = partnership
            if errors:
                raise ImportFailed(errors)
    except ImportFailed:
        for row in ordered:  # the objects were never committed: forget their keys
            row.partnership.pk = None
        raise
    return list(saved.values())


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    found = []
    for name, messages in exc.message_dict.items():
        label = ""
        if name != "__all__":
            try:
                label = f"{Partnership._meta.get_field(name).verbose_name}: "
            except FieldDoesNotExist:
                label = f"{name}: "
        found.extend(f"{label}{message}" for message in messages)
    return found


def _write(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    return csv_text([list(header), *rows])


def register_csv(rows: Sequence[RegisterRow]) -> str:
    """The register as CSV, in the import's columns (plus figures the import ignores): each
    text in two columns, the English and the Welsh; headers in the reader's language."""

    def places(row: RegisterRow) -> str:
        return "; ".join(
            f"{place.place.kind}:{place.place.number_of_places}"
            + (":deputy" if place.place.has_deputy else "")
            for place in row.places
        )

    return _write(
        [str(HEADER_LABELS[column]) for column in COLUMNS + EXPORT_ONLY_COLUMNS],
        (
            [
                row.partnership.name,
                row.partnership.name_cy,
                row.partnership.type,
                row.partnership.parent.name if row.partnership.parent else "",
                (row.partnership.lead_body.short_name or row.partnership.lead_body.name)
                if row.partnership.lead_body
                else "",
                row.partnership.purpose,
                row.partnership.purpose_cy,
                row.partnership.meeting_frequency,
                row.partnership.coverage,
                "; ".join(org.short_name or org.name for org in row.partnership.other_cvcs.all()),
                row.partnership.status,
                row.partnership.contact.full_name if row.partnership.contact else "",
                row.partnership.terms_of_reference_date or "",
                "yes" if row.partnership.published else "no",
                places(row),
                row.total_places,
                row.vacancies,
                "yes" if row.non_compliant else "no",
            ]
            for row in rows
        ),
    )


def matrix_csv(matrix: ComplianceMatrix) -> str:
    """The compliance matrix as CSV: one row per partnership, one column per commitment."""
    header = [_("Partnership"), _("Type"), _("Status")] + [
        f"{commitment.reference} - {label}"
        for commitment, label in zip(matrix.commitments, matrix.labels(), strict=True)
    ]
    rows = []
    for row in matrix.rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append(_("Not assessed"))
            else:
                dated = f" ({cell.checked_on:%Y-%m-%d})" if cell.checked_on else ""
                cells.append(f"{cell.get_status_display()}{dated}")
        rows.append(
            [
                marked_text(row.partnership, "name"),
                row.partnership.get_type_display(),
                row.partnership.get_status_display(),
                *cells,
            ]
        )
    return _write(header, rows)
