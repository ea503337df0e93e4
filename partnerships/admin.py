"""Admin for administrators: the register's records and their history. Officers keep the
register through its own pages, which apply the rules (regional CVCs) the admin cannot."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)


class PlaceInline(admin.TabularInline):
    model = ThirdSectorPlace
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "lead_body", "coverage", "status", "published"]
    list_filter = ["type", "status", "coverage", "published"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [PlaceInline]
    # Uploaded on the register's own page, which checks the file (compact.platform.uploads).
    readonly_fields = ["terms_of_reference"]


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "commitment", "status", "checked_on", "checked_by"]
    list_filter = ["status"]
    list_select_related = ["partnership", "commitment", "checked_by"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "review_date", "reviewer", "rating"]
    list_filter = ["rating"]


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["compact", "publish_public_register"]
