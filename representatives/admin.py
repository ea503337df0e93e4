from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    SectorIssue,
    SelectionRound,
    Signature,
)


@admin.register(CodeOfConductVersion)
class CodeOfConductVersionAdmin(SimpleHistoryAdmin):
    # The wording is the codes register's version: it is chosen, not copied, here.
    list_display = ["version", "effective_on", "is_current"]
    list_select_related = ["document"]
    raw_id_fields = ["document"]


@admin.register(SelectionRound)
class SelectionRoundAdmin(SimpleHistoryAdmin):
    list_display = ["place", "process", "status", "created_at"]
    list_filter = ["process", "status"]
    readonly_fields = ["status"]


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "place", "term_start", "term_end", "status"]
    list_filter = ["status"]
    readonly_fields = ["status"]


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = ["typed_name", "version", "partnership", "language", "signed_at"]

    def has_change_permission(self, request, obj=None):
        return False  # a signature is evidence: never edited


admin.site.register(Declaration, SimpleHistoryAdmin)
admin.site.register(FeedbackReport, SimpleHistoryAdmin)
admin.site.register(SectorIssue, SimpleHistoryAdmin)
# Sign-ups are managed in the app's own queue, where approval, erasure and merging run
# through the services; they are deliberately not editable in the admin.
