"""URLs for background files (namespace ``ops``)."""

from django.urls import path

from compact import views_ops

app_name = "ops"

urlpatterns = [
    path("start/", views_ops.file_start, name="file_start"),
    path("<slug:result_id>/", views_ops.file_status, name="file_status"),
    path("<slug:result_id>/download/", views_ops.file_download, name="file_download"),
]
