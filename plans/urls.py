"""URLs of the plans app. Editing and dashboard views are listed here; the reports' views
(updates, change reports, exports) live in plans/urls_reports.py and are listed first, so that
no pattern of ours (``<slug>/``) can shadow theirs."""

from django.urls import path

from plans import urls_reports, views_edit

app_name = "plans"

KIND = "<str:kind>/<int:pk>"

urlpatterns: list = [
    *urls_reports.urlpatterns,
    path("", views_edit.plan_list, name="plan_list"),
    path("import/", views_edit.plan_import, name="plan_import"),
    path("new/", views_edit.plan_create, name="plan_create"),
    path("objectives/<int:pk>/", views_edit.objective_show, name="objective_show"),
    path("objectives/<int:pk>/edit/", views_edit.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/tasks/add/", views_edit.task_add, name="task_add"),
    path("tasks/<int:pk>/", views_edit.task_show, name="task_show"),
    path("tasks/<int:pk>/edit/", views_edit.task_edit, name="task_edit"),
    path("tasks/<int:pk>/relocate/", views_edit.task_relocate, name="task_relocate"),
    path("tasks/<int:pk>/rows/add/", views_edit.row_add, name="row_add"),
    path("rows/<int:pk>/", views_edit.row_show, name="row_show"),
    path("rows/<int:pk>/edit/", views_edit.row_edit, name="row_edit"),
    path(f"items/{KIND}/delete/", views_edit.item_delete, name="item_delete"),
    path(f"items/{KIND}/move/", views_edit.item_move, name="item_move"),
    path(f"items/{KIND}/history/", views_edit.item_history, name="item_history"),
    path("<slug:slug>/", views_edit.plan_detail, name="plan_detail"),
    path("<slug:slug>/rows/", views_edit.plan_rows, name="plan_rows"),
    path("<slug:slug>/settings/", views_edit.plan_settings, name="plan_settings"),
    path("<slug:slug>/objectives/add/", views_edit.objective_add, name="objective_add"),
]
