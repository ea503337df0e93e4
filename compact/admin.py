from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
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
    RoleChange,
    RotationRule,
    SecondFactorChange,
    StandingInterest,
)
from compact.platform.roles import may_manage_user, roles_held, set_roles
from compact.platform.throttle import client_address
from compact.services.accounts import account_active_set, may_set_active


@admin.register(Compact)
class CompactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "adopted_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["lead_contacts"]


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
    list_display = ["name", "kind", "expected_meetings_per_year", "quorum"]
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
    # Files come in through the code's own page, which checks them (compact.platform.uploads).
    readonly_fields = ["file", "file_sha256"]


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
    search_fields = ["text", "text_cy"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = [
        "position",
        "title",
        "title_cy",
        "presenter",
        "purpose",
        "minutes_allowed",
        "standing",
    ]
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
    search_fields = ["description", "description_cy"]


@admin.register(StandingInterest)
class StandingInterestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "declared_on", "last_confirmed_on", "withdrawn_on"]
    list_filter = ["body"]
    search_fields = ["person__full_name", "description"]
    autocomplete_fields = ["person"]


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


# --- Accounts and roles -------------------------------------------------------------------
# Nobody grants a role they do not hold, touches superuser status, or takes over an account
# above their own (see compact/platform/roles.py and docs/roles.md).


class CompactUserAdmin(UserAdmin):
    actions = ["enable_accounts"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        if "groups" in form.base_fields:
            # Offer only the roles the administrator holds: a role outside it is refused.
            form.base_fields["groups"].queryset = Group.objects.filter(
                name__in=roles_held(request.user)
            )
        if "password" in form.base_fields:
            form.base_fields["password"].help_text = _(
                "Administrators never set other people's passwords: the person resets their "
                "own from the sign-in page."
            )
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and may_manage_user(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and may_manage_user(request.user, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # Setting someone else's password is signing in as them: superusers only.
        if not request.user.is_superuser:
            raise PermissionDenied(_("Only a superuser may set another person's password."))
        return super().user_change_password(request, id, form_url)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Enabling or disabling goes through the account service (checked, recorded); a
        # refusal raises PermissionDenied and the admin's transaction undoes the whole save.
        toggled = change and "is_active" in form.changed_data
        wanted = obj.is_active
        if toggled:
            obj.is_active = not wanted
        super().save_model(request, obj, form, change)
        if toggled:
            account_active_set(
                actor=request.user,
                user=obj,
                active=wanted,
                reason="Admin site",
                address=client_address(request),
            )

    @admin.action(description=_("Enable the selected accounts again"))
    def enable_accounts(self, request: HttpRequest, queryset: Any) -> None:
        enabled = 0
        for user in queryset.filter(is_active=False):
            if not may_set_active(request.user, user, active=True):
                continue  # a superuser's, for a superuser to enable
            account_active_set(
                actor=request.user,
                user=user,
                active=True,
                reason="Admin site",
                address=client_address(request),
            )
            enabled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d account was enabled again.",
                "%(count)d accounts were enabled again.",
                enabled,
            )
            % {"count": enabled},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Groups go through the role service (checked, recorded, e-mailed), not save_m2m.
        wanted = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if wanted is not None:
            # A refusal raises PermissionDenied; the admin's transaction undoes the whole save.
            set_roles(
                user=form.instance,
                roles=[group.name for group in wanted],
                actor=request.user,
                reason="Admin site",
            )


class CompactGroupAdmin(GroupAdmin):
    """Groups are the roles: renaming or re-permissioning one is for superusers only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, CompactUserAdmin)
admin.site.register(Group, CompactGroupAdmin)


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The audit trail of role changes, read-only."""

    list_display = ["changed_at", "username", "role", "action", "changed_by_username", "reason"]
    list_filter = ["action", "role"]
    search_fields = ["username", "changed_by_username", "role"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SecondFactorChange)
class SecondFactorChangeAdmin(RoleChangeAdmin):
    """The audit trail of two-step sign-in changes (enrolled, codes regenerated, reset),
    read-only."""

    list_display = ["changed_at", "username", "action", "changed_by_username", "reason"]
    list_filter = ["action"]
    search_fields = ["username", "changed_by_username"]


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
