"""Disputes URLs. Views declare their own access; object rules give a 404 (see views.py)."""

from django.urls import path

from disputes import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("raise/", views.dispute_raise, name="raise"),
    path("report/", views.monitoring_report, name="report"),
    path("report.csv", views.monitoring_report_csv, name="report_csv"),
    path("report.pdf", views.monitoring_report_pdf, name="report_pdf"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/move/<slug:stage>/", views.dispute_move, name="move"),
    path("<int:pk>/record/", views.stage_record_edit, name="record"),
    path("<int:pk>/panel/", views.panel_edit, name="panel"),
    path("<int:pk>/contacts/", views.contacts_edit, name="contacts"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/interests/", views.interest_add, name="interest_add"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
]
