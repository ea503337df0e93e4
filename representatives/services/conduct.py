"""The Code of Conduct: publishing a version and signing it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compact.models import Person
from compact.platform.access import Role, require_role
from compact.platform.history import save_with_history
from compact.platform.language import choose
from compact.services.codes import code_of_conduct_entry, code_version_record
from partnerships.models import Partnership
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Signature,
)
from representatives.services.common import _normalise_name


@transaction.atomic
def conduct_version_publish(
    *,
    version: str,
    text: str,
    effective_on: datetime.date,
    actor: Any,
    code: Any = None,
    text_cy: str = "",
) -> CodeOfConductVersion:
    """A new version of the Code of Conduct becomes current; everyone is asked to sign again.
    Its wording is a version of the code's entry in the codes register (the code of conduct
    entry, added if the register has none, unless ``code`` names another): the register's
    version of the same label when it has one with the same text, else a new one, so the
    register is the one list of published wordings. ``text_cy`` is the Welsh wording; either
    language will do, as in the register. The register's version without Welsh gets it."""
    require_role(actor, Role.OFFICER, Role.ADMINISTRATOR)
    label, text, text_cy = version.strip(), text.strip(), text_cy.strip()
    if not text and not text_cy:
        raise ValidationError({"text": _("Write this in English or in Welsh (or both).")})
    if CodeOfConductVersion.objects.filter(document__label=label).exists():
        raise ValidationError({"version": _("There is already a version %(v)s.") % {"v": label}})
    if code is None:
        code = code_of_conduct_entry(actor=actor)
    document = code.versions.filter(label=label).first()
    if document is not None and (
        document.text.strip() != text or (text_cy and document.text_cy.strip() not in ("", text_cy))
    ):
        raise ValidationError(
            {
                "version": _(
                    "The codes register already has a version %(v)s of this code with other "
                    "wording: give this one another version number."
                )
                % {"v": label}
            }
        )
    for previous in CodeOfConductVersion.objects.select_for_update().filter(is_current=True):
        previous.is_current = False
        save_with_history(previous, actor=actor, reason=f"Replaced by {label}")
    if document is None:
        document = code_version_record(
            code=code,
            label=label,
            date=effective_on,
            text=text,
            text_cy=text_cy,
            notes="Published for representatives to sign",
            actor=actor,
        )
    elif text_cy and not document.text_cy.strip():
        document.text_cy = text_cy
        save_with_history(document, actor=actor, reason="Welsh text added for signing")
    new = CodeOfConductVersion(
        document=document,
        effective_on=effective_on,
        is_current=True,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_with_history(new, actor=actor, reason="Published")
    return new


@transaction.atomic
def conduct_sign(
    *,
    version: CodeOfConductVersion,
    partnership: Partnership,
    typed_name: str,
    actor: Any,
    language: str | None = None,
) -> Signature:
    """A representative signs the current version for a partnership they sit on; the typed
    name must be their full name; an outdated version is refused. ``language`` ("cy" or
    "en") is the wording they read and signed: by default the one the active language shows
    (its own, else the other); a language the version has no wording in is refused."""
    person = Person.objects.filter(user=actor).select_related("organisation").first()
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person."))
    version = CodeOfConductVersion.objects.select_related("document").get(pk=version.pk)
    if not version.is_current:
        current = CodeOfConductVersion.objects.filter(is_current=True).first()
        raise ValidationError(
            _(
                "Version %(old)s of the Code of Conduct has been replaced%(by)s. "
                "Read and sign the current version."
            )
            % {
                "old": version.version,
                "by": (" " + _("by version %(v)s") % {"v": current.version}) if current else "",
            }
        )
    if not Appointment.objects.filter(
        person=person, partnership=partnership, status__in=Appointment.CURRENT
    ).exists():
        raise ValidationError(
            {"partnership": _("You can sign only for a partnership where you hold a place.")}
        )
    if _normalise_name(typed_name) != _normalise_name(person.full_name):
        raise ValidationError(
            {
                "typed_name": _("Type your full name exactly as we hold it: %(name)s.")
                % {"name": person.full_name}
            }
        )
    if language is None:
        language = choose(version.text, version.text_cy).lang
    if language not in Signature.Language.values:
        raise ValidationError(_("Choose the language you signed in: Welsh or English."))
    if not version.has_text_in(language):
        raise ValidationError(
            _("This version has no Welsh wording to sign.")
            if language == Signature.Language.WELSH
            else _("This version has no English wording to sign.")
        )
    if Signature.objects.filter(version=version, person=person, partnership=partnership).exists():
        raise ValidationError(_("You have already signed this version for this partnership."))
    signature = Signature(
        version=version,
        person=person,
        partnership=partnership,
        typed_name=typed_name.strip(),
        organisation_name=person.organisation.name if person.organisation else "",
        signed_by=actor,
        language=language,
    )
    save_with_history(signature, actor=actor, reason="Signed")
    return signature
