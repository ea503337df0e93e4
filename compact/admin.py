from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compact.models import (
    Body,
    CodeOfPractice,
    Commitment,
    Compact,
    Membership,
    Organisation,
    Person,
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


@admin.register(CodeOfPractice)
class CodeOfPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "review_date"]
    list_filter = ["status", "kind"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "party", "number", "text"]
    list_filter = ["code", "party"]
    search_fields = ["text"]
