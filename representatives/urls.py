from django.urls import path

from representatives import views

app_name = "representatives"

urlpatterns = [
    path("sign-up/", views.signup, name="signup"),
    path("sign-up/thank-you/", views.signup_done, name="signup_done"),
    path("sign-up/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("sign-ups/", views.signup_list, name="signup_list"),
    path("sign-ups/<int:pk>/", views.signup_detail, name="signup_detail"),
    path("sign-ups/<int:pk>/<slug:action>/", views.signup_action, name="signup_action"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/direct-link/", views.direct_link, name="direct_link"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/letter.pdf", views.round_letter, name="round_letter"),
    path("rounds/<int:pk>/<slug:action>/", views.round_action, name="round_action"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path(
        "appointments/<int:pk>/induction/",
        views.appointment_induction,
        name="appointment_induction",
    ),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("code-of-conduct/", views.conduct_current, name="conduct_current"),
    path("code-of-conduct/new-version/", views.conduct_version_new, name="conduct_version_new"),
    path("code-of-conduct/signatures/", views.conduct_signatures, name="conduct_signatures"),
    path("signatures/<int:pk>/", views.signature_detail, name="signature_detail"),
    path("signatures/<int:pk>/pdf/", views.signature_pdf, name="signature_pdf"),
    path("declarations/new/", views.declaration_new, name="declaration_new"),
    path("declarations/<int:pk>/edit/", views.declaration_edit, name="declaration_edit"),
    path("declarations/", views.declaration_register, name="declaration_register"),
    path("declarations/export.csv", views.declaration_csv, name="declaration_csv"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/edit/", views.feedback_edit, name="feedback_edit"),
    path("feedback/<int:pk>/publish/", views.feedback_publish, name="feedback_publish"),
    path("issues/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/taken/", views.issue_take, name="issue_take"),
    path("mine/", views.mine, name="mine"),
    path("report/", views.report, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
]
