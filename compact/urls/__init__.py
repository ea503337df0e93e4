"""Root URLs. Every view here declares its access (see compact/platform/access.py)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from compact import views
from compact.forms.auth import PasswordResetForm
from compact.platform import health as views_health
from compact.platform import language
from compact.platform.access import public, signed_in
from compact.platform.mfa import before_second_factor
from compact.views import accounts as views_accounts
from compact.views import api_tokens as views_api_tokens
from compact.views import notifications as views_notifications
from compact.views import sso as views_sso
from compact.views import two_factor as views_two_factor

admin.site.site_header = "Compact Tracker administration"
admin.site.site_title = "Compact Tracker"

auth_patterns = [
    path("login/", before_second_factor(public(auth_views.LoginView.as_view())), name="login"),
    path("logout/", before_second_factor(public(auth_views.LogoutView.as_view())), name="logout"),
    # Single sign-on (OpenID Connect): not found unless configured (compact/platform/sso.py).
    path("sso/start/", before_second_factor(views_sso.sso_start), name="sso_start"),
    path("sso/callback/", before_second_factor(views_sso.sso_callback), name="sso_callback"),
    path(
        "password/change/",
        signed_in(views_accounts.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("audit/", views_accounts.account_audit, name="account_audit"),
    path("audit/export/", views_accounts.account_audit_csv, name="account_audit_csv"),
    path("disabled/", views_accounts.accounts_disabled, name="accounts_disabled"),
    path("sessions/", views_accounts.my_sessions, name="my_sessions"),
    path(
        "sessions/end-others/",
        views_accounts.my_sessions_end_others,
        name="my_sessions_end_others",
    ),
    path("api-tokens/", views_api_tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views_api_tokens.api_token_revoke, name="api_token_revoke"),
    path("notifications/", views_notifications.my_notifications, name="my_notifications"),
    path("two-step/", views_two_factor.two_factor_account, name="two_factor_account"),
    path("two-step/set-up/", views_two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("two-step/code/", views_two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-step/people/", views_two_factor.two_factor_people, name="two_factor_people"),
    path(
        "two-step/people/<int:user_id>/reset/",
        views_two_factor.two_factor_reset,
        name="two_factor_reset",
    ),
    path(
        "password/reset/",
        public(auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", before_second_factor(views_health.health), name="health"),
    path("accounts/", include(auth_patterns)),
    path(
        "i18n/setlang/",
        before_second_factor(public(language.set_language)),
        name="set_language",
    ),
    path("compact/", include("compact.urls.core")),
    path("plans/", include("plans.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("representatives/", include("representatives.urls")),
    path("disputes/", include("disputes.urls")),
    path("files/", include("compact.urls.files")),
    path("api/v1/", include("compact.urls.api")),
    path("admin/", admin.site.urls),
]

# A lost database connection gets the 503 page (see compact/platform/middleware.py), anything
# else 500.
handler500 = "compact.platform.middleware.server_error"
