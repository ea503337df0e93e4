"""Core models of the Compact: who the partners are, the people, the bodies they sit on, their
meetings and board packs, and the codes of practice."""

from compact.models.codes import CodeDocumentVersion, CodeOfPractice, Commitment
from compact.models.core import Body, Compact, Membership, Organisation, Person
from compact.models.meetings import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Minutes,
    Paper,
    RotationRule,
)
from compact.models.packs import BoardPack, Circulation, PackBuildRequest

__all__ = [
    "Action",
    "AgendaItem",
    "Attendance",
    "BoardPack",
    "Body",
    "Circulation",
    "CodeDocumentVersion",
    "CodeOfPractice",
    "Commitment",
    "Compact",
    "Declaration",
    "Meeting",
    "Membership",
    "Minutes",
    "Organisation",
    "PackBuildRequest",
    "Paper",
    "Person",
    "RotationRule",
]
