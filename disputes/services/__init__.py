"""Writes to disputes, one module per aggregate: concerns (raising one, its contacts, documents
and confidential notes), stages (moving through the procedure and each stage's record), the
scrutiny panel (appointing it, declarations of interest) and the overdue reminders. Each step is
one transaction that checks who may act, validates, and records who did it and why. The names
below are the app's service API."""

from disputes.services.concerns import (
    confidential_note_add,
    dispute_contact_add,
    dispute_contact_remove,
    dispute_raise,
    document_add,
)
from disputes.services.panel import (
    dispute_panel_assign,
    interest_declare,
    panel_conflicts,
)
from disputes.services.reminders import dispute_reminders_send
from disputes.services.stages import (
    dispute_move,
    mediation_session_add,
    stage_record_update,
)

__all__ = [
    "confidential_note_add",
    "dispute_contact_add",
    "dispute_contact_remove",
    "dispute_move",
    "dispute_panel_assign",
    "dispute_raise",
    "dispute_reminders_send",
    "document_add",
    "interest_declare",
    "mediation_session_add",
    "panel_conflicts",
    "stage_record_update",
]
