from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compact.models import (
    Action,
    AgendaItem,
    BoardPack,
    Body,
    Circulation,
    CodeDocumentVersion,
    CodeOfPractice,
    Commitment,
    Compact,
    Meeting,
    Membership,
    Minutes,
    NotificationPreference,
    Organisation,
    Person,
    RotationRule,
)


@admin.register(Compact)
class CompactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "adopted_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "initials", "organisation", "job_title", "user"]
    list_filter = ["organisation"]
    search_fields = ["full_name", "initials", "email"]
    autocomplete_fields = ["organisation", "user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "expected_meetings_per_year"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "organisation", "start_date", "end_date"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["person", "body", "organisation"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class CodeDocumentVersionInline(admin.TabularInline):
    model = CodeDocumentVersion
    extra = 0
    readonly_fields = ["file_sha256"]


@admin.register(CodeOfPractice)
class CodeOfPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "review_date"]
    list_filter = ["status", "kind"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CommitmentInline, CodeDocumentVersionInline]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "party", "number", "text"]
    list_filter = ["code", "party"]
    search_fields = ["text"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "purpose", "minutes_allowed", "standing"]
    autocomplete_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    """Meetings are prepared in the app (overlap checks, standing items); the admin is for
    looking things up and repairs."""

    list_display = ["body", "date", "start_time", "venue", "status"]
    list_filter = ["body", "status"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "status", "version", "approved_at_meeting"]
    list_filter = ["status"]
    readonly_fields = ["status", "approved_at_meeting", "approved_on", "approved_by"]

    def get_readonly_fields(self, request: object, obj: Minutes | None = None) -> list[str]:
        # Approved minutes are frozen here too, not only in the app's pages.
        if obj is not None and obj.is_approved:
            return [field.name for field in Minutes._meta.fields]
        return list(self.readonly_fields)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "status", "meeting"]
    list_filter = ["status"]
    search_fields = ["description"]


@admin.register(RotationRule)
class RotationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["body", "rotate_after_months"]


class CirculationInline(admin.TabularInline):
    model = Circulation
    extra = 0
    can_delete = False
    readonly_fields = ["recipient", "email", "sent_at", "sent_by", "first_downloaded_at"]


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "version", "page_count", "created_at"]
    readonly_fields = [f.name for f in BoardPack._meta.fields]
    inlines = [CirculationInline]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SimpleHistoryAdmin):
    """Read only: each person sets their own choice on My notifications."""

    list_display = ["user", "frequency", "changed_at"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
