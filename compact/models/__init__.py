"""Core models of the Compact: who the partners are, the people, the bodies they sit on, their
meetings and board packs, and the codes of practice."""

from compact.models.api_tokens import ApiToken
from compact.models.attendance import AttendanceAnswer, InterestReminderSent, StandingInterest
from compact.models.audit import AccountEvent
from compact.models.calendars import CalendarFeed
from compact.models.codes import CodeDocumentVersion, CodeOfPractice, Commitment
from compact.models.core import Body, Compact, Membership, Organisation, Person
from compact.models.meetings import (
    Action,
    ActionReminderSent,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingDeclaration,
    Minutes,
    Paper,
    RotationRule,
)
from compact.models.mfa import RecoveryCode, SecondFactorChange
from compact.models.minutes import (
    ActionLink,
    BodyAgendaSettings,
    Decision,
    DecisionNumber,
    ItemMinutes,
    MinutesAmendment,
    StandardItem,
)
from compact.models.notifications import (
    DigestItem,
    Notification,
    NotificationPreference,
    WeeklyDigest,
)
from compact.models.packs import BoardPack, Circulation, PackBuildRequest
from compact.models.roles import RoleChange
from compact.models.throttle import RateCount

__all__ = [
    "AccountEvent",
    "Action",
    "ActionLink",
    "ActionReminderSent",
    "AgendaItem",
    "ApiToken",
    "Attendance",
    "AttendanceAnswer",
    "BoardPack",
    "Body",
    "BodyAgendaSettings",
    "CalendarFeed",
    "Circulation",
    "CodeDocumentVersion",
    "CodeOfPractice",
    "Commitment",
    "Compact",
    "Decision",
    "DecisionNumber",
    "DigestItem",
    "InterestReminderSent",
    "ItemMinutes",
    "Meeting",
    "MeetingDeclaration",
    "Membership",
    "Minutes",
    "MinutesAmendment",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "PackBuildRequest",
    "Paper",
    "Person",
    "RateCount",
    "RecoveryCode",
    "RoleChange",
    "RotationRule",
    "SecondFactorChange",
    "StandardItem",
    "StandingInterest",
    "WeeklyDigest",
]
