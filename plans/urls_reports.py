"""URLs of plan updates and change reports (no app_name: included by plans/urls.py)."""

from django.urls import path

from plans import views_reports as views

urlpatterns: list = [
    path("updates/", views.update_index, name="update_index"),
    path("<slug:slug>/updates/", views.update_list, name="update_list"),
    path("<slug:slug>/updates/issue/", views.update_issue, name="update_issue"),
    path("<slug:slug>/updates/compare/", views.update_compare, name="update_compare"),
    path("<slug:slug>/updates/compare/pdf/", views.update_compare_pdf, name="update_compare_pdf"),
    path("<slug:slug>/updates/<int:number>/", views.update_report, name="update_report"),
    path("<slug:slug>/updates/<int:number>/changes/", views.update_changes, name="update_changes"),
    path(
        "<slug:slug>/updates/<int:number>/paper/",
        views.update_paper_edit,
        name="update_paper_edit",
    ),
    path(
        "<slug:slug>/updates/<int:number>/pdf/", views.update_report_pdf, name="update_report_pdf"
    ),
    # Before export.<fmt>, which would take "docx" as its format.
    path("<slug:slug>/updates/<int:number>/export.docx", views.update_word, name="update_word"),
    path(
        "<slug:slug>/updates/<int:number>/export.<str:fmt>",
        views.update_export,
        name="update_export",
    ),
    path("<slug:slug>/draft/changes/", views.draft_changes, name="draft_changes"),
    path("<slug:slug>/draft/pdf/", views.draft_pdf, name="draft_pdf"),
    path("<slug:slug>/progress/", views.plan_progress_report, name="progress_report"),
    path("<slug:slug>/progress/pdf/", views.plan_progress_pdf, name="progress_pdf"),
]
