from django.urls import path

from representatives.views import appointments, conduct, mine, records, rounds, signups

app_name = "representatives"

urlpatterns = [
    path("sign-up/", signups.signup, name="signup"),
    path("sign-up/thank-you/", signups.signup_done, name="signup_done"),
    path("sign-up/confirm/<str:token>/", signups.signup_confirm, name="signup_confirm"),
    path("sign-ups/", signups.signup_list, name="signup_list"),
    path("sign-ups/<int:pk>/", signups.signup_detail, name="signup_detail"),
    path("sign-ups/<int:pk>/<slug:action>/", signups.signup_action, name="signup_action"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_open, name="round_open"),
    path("rounds/direct-link/", rounds.direct_link, name="direct_link"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/letter.pdf", rounds.round_letter, name="round_letter"),
    path("rounds/<int:pk>/<slug:action>/", rounds.round_action, name="round_action"),
    path("appointments/", appointments.appointment_list, name="appointment_list"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment_detail"),
    path(
        "appointments/<int:pk>/induction/",
        appointments.appointment_induction,
        name="appointment_induction",
    ),
    path("appointments/<int:pk>/end/", appointments.appointment_end, name="appointment_end"),
    path("code-of-conduct/", conduct.conduct_current, name="conduct_current"),
    path("code-of-conduct/new-version/", conduct.conduct_version_new, name="conduct_version_new"),
    path("code-of-conduct/signatures/", conduct.conduct_signatures, name="conduct_signatures"),
    path("signatures/<int:pk>/", conduct.signature_detail, name="signature_detail"),
    path("signatures/<int:pk>/pdf/", conduct.signature_pdf, name="signature_pdf"),
    path("declarations/new/", records.declaration_new, name="declaration_new"),
    path("declarations/<int:pk>/edit/", records.declaration_edit, name="declaration_edit"),
    path("declarations/", records.declaration_register, name="declaration_register"),
    path("declarations/export.csv", records.declaration_csv, name="declaration_csv"),
    path("feedback/", records.feedback_list, name="feedback_list"),
    path("feedback/new/", records.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/", records.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/edit/", records.feedback_edit, name="feedback_edit"),
    path("feedback/<int:pk>/publish/", records.feedback_publish, name="feedback_publish"),
    path("issues/new/", records.issue_new, name="issue_new"),
    path("issues/<int:pk>/taken/", records.issue_take, name="issue_take"),
    path("mine/", mine.mine, name="mine"),
    path("report/", mine.report, name="report"),
    path("report/pdf/", mine.report_pdf, name="report_pdf"),
]
