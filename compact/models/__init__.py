"""Core models of the Compact: who the partners are, the people, and the bodies they sit on."""

from compact.models.codes import CodeOfPractice, Commitment
from compact.models.core import Body, Compact, Membership, Organisation, Person

__all__ = [
    "Body",
    "CodeOfPractice",
    "Commitment",
    "Compact",
    "Membership",
    "Organisation",
    "Person",
]
