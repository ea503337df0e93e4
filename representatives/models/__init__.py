"""Representatives' models, one module per aggregate."""

from representatives.models.appointments import Appointment, TermEndReminder
from representatives.models.conduct import CodeOfConductVersion, Signature
from representatives.models.records import Declaration, FeedbackReport, SectorIssue
from representatives.models.rounds import Nomination, RoundEvent, SelectionRound
from representatives.models.signups import SIGNUP_PERSONAL_FIELDS, SignUp

__all__ = [
    "SIGNUP_PERSONAL_FIELDS",
    "Appointment",
    "CodeOfConductVersion",
    "Declaration",
    "FeedbackReport",
    "Nomination",
    "RoundEvent",
    "SectorIssue",
    "SelectionRound",
    "SignUp",
    "Signature",
    "TermEndReminder",
]
