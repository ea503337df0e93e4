"""Object rules: a representative sees and edits only their own declarations, signatures and
reports; officers (and, for personal details, administrators) see everyone's."""

from __future__ import annotations

from typing import Any

import rules

from compact.platform.access import is_administrator, is_officer


@rules.predicate
def owns_person_record(user: Any, obj: Any) -> bool:
    """The object (declaration, signature) belongs to the user's Person."""
    if obj is None:  # the admin asks model-level questions with no object
        return False
    person = getattr(obj, "person", None)
    return bool(person is not None and person.user_id and person.user_id == user.pk)


@rules.predicate
def owns_appointment_record(user: Any, obj: Any) -> bool:
    """The object (feedback report, sector issue) belongs to the user's appointment."""
    if obj is None:
        return False
    appointment = getattr(obj, "appointment", None)
    return bool(appointment is not None and appointment.person.user_id == user.pk)


@rules.predicate
def holds_or_deputises(user: Any, appointment: Any) -> bool:
    """The user holds the appointment, deputises for it, or is deputised for by it."""
    if appointment is None:  # "representatives.view_appointment" is also a model permission
        return False
    if appointment.person.user_id == user.pk:
        return True
    if appointment.deputy_of_id and appointment.deputy_of.person.user_id == user.pk:
        return True
    deputy = getattr(appointment, "deputy", None)
    try:
        return bool(deputy and deputy.person.user_id == user.pk)
    except Exception:
        return False


RULES = {
    "representatives.view_signup_personal_data": is_officer | is_administrator,
    "representatives.view_own_declaration": owns_person_record | is_officer,
    "representatives.change_own_declaration": owns_person_record,
    "representatives.view_own_signature": owns_person_record | is_officer,
    "representatives.view_own_feedback": owns_appointment_record | is_officer,
    "representatives.change_own_feedback": owns_appointment_record,
    "representatives.take_sector_issue": owns_appointment_record,
    "representatives.view_appointment": holds_or_deputises | is_officer,
}


def register_rules() -> None:
    """Install the rules above (from ``representatives.registrations``)."""
    for name, predicate in RULES.items():
        rules.set_perm(name, predicate)
