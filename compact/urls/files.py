"""URLs for background files (namespace ``files``)."""

from django.urls import path

from compact.views import files as views_files

app_name = "files"

urlpatterns = [
    path("start/", views_files.file_start, name="file_start"),
    path("<slug:result_id>/", views_files.file_status, name="file_status"),
    path("<slug:result_id>/download/", views_files.file_download, name="file_download"),
]
