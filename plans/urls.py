"""URLs of the plans app. The reports' views (updates, change reports, exports) are listed
first, so that no editing pattern (``<slug>/``) can shadow theirs."""

from django.urls import path

from plans.views import calls, calls_sheet, items, plans, progress, reports

app_name = "plans"

KIND = "<str:kind>/<int:pk>"

urlpatterns: list = [
    # Updates and reports
    path("updates/", reports.update_index, name="update_index"),
    path("<slug:slug>/updates/", reports.update_list, name="update_list"),
    path("<slug:slug>/updates/issue/", reports.update_issue, name="update_issue"),
    path("<slug:slug>/updates/compare/", reports.update_compare, name="update_compare"),
    path("<slug:slug>/updates/compare/pdf/", reports.update_compare_pdf, name="update_compare_pdf"),
    path("<slug:slug>/updates/<int:number>/", reports.update_report, name="update_report"),
    path(
        "<slug:slug>/updates/<int:number>/changes/", reports.update_changes, name="update_changes"
    ),
    path(
        "<slug:slug>/updates/<int:number>/paper/",
        reports.update_paper_edit,
        name="update_paper_edit",
    ),
    path(
        "<slug:slug>/updates/<int:number>/pdf/", reports.update_report_pdf, name="update_report_pdf"
    ),
    # Before export.<fmt>, which would take "docx" as its format.
    path("<slug:slug>/updates/<int:number>/export.docx", reports.update_word, name="update_word"),
    path(
        "<slug:slug>/updates/<int:number>/export.<str:fmt>",
        reports.update_export,
        name="update_export",
    ),
    path("<slug:slug>/draft/changes/", reports.draft_changes, name="draft_changes"),
    path("<slug:slug>/draft/pdf/", reports.draft_pdf, name="draft_pdf"),
    path("<slug:slug>/progress/", reports.plan_progress_report, name="progress_report"),
    path("<slug:slug>/progress/pdf/", reports.plan_progress_pdf, name="progress_pdf"),
    # The progress spreadsheet (officers)
    path("<slug:slug>/progress/sheet.<str:fmt>", progress.progress_sheet, name="progress_sheet"),
    path("<slug:slug>/progress/upload/", progress.progress_upload, name="progress_upload"),
    # The plan editor
    path("", plans.plan_list, name="plan_list"),
    path("import/", plans.plan_import, name="plan_import"),
    path("new/", plans.plan_create, name="plan_create"),
    path("objectives/<int:pk>/", items.objective_show, name="objective_show"),
    path("objectives/<int:pk>/edit/", items.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/tasks/add/", items.task_add, name="task_add"),
    path("tasks/<int:pk>/", items.task_show, name="task_show"),
    path("tasks/<int:pk>/edit/", items.task_edit, name="task_edit"),
    path("tasks/<int:pk>/relocate/", items.task_relocate, name="task_relocate"),
    path("tasks/<int:pk>/rows/add/", items.row_add, name="row_add"),
    path("rows/<int:pk>/", items.row_show, name="row_show"),
    path("rows/<int:pk>/edit/", items.row_edit, name="row_edit"),
    path(f"items/{KIND}/delete/", items.item_delete, name="item_delete"),
    path(f"items/{KIND}/move/", items.item_move, name="item_move"),
    path(f"items/{KIND}/history/", items.item_history, name="item_history"),
    # Update calls
    path("calls/", calls.my_calls, name="my_calls"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/close/", calls.call_close, name="call_close"),
    path("calls/<int:pk>/mine/", calls.my_rows, name="my_rows"),
    path("calls/<int:pk>/mine/<int:row>/", calls.my_row_propose, name="my_row_propose"),
    path("calls/<int:pk>/mine/sheet.xlsx", calls_sheet.my_rows_sheet, name="my_rows_sheet"),
    path("calls/<int:pk>/mine/upload/", calls_sheet.my_rows_upload, name="my_rows_upload"),
    path("proposals/<int:pk>/", calls.proposal_review, name="proposal_review"),
    path("<slug:slug>/calls/new/", calls.call_open, name="call_open"),
    path("<slug:slug>/contributors/", calls.row_contributors, name="row_contributors"),
    path("<slug:slug>/", plans.plan_detail, name="plan_detail"),
    path("<slug:slug>/rows/", plans.plan_rows, name="plan_rows"),
    path("<slug:slug>/settings/", plans.plan_settings, name="plan_settings"),
    path("<slug:slug>/objectives/add/", items.objective_add, name="objective_add"),
]
