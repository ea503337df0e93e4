"""URLs of the plans app. Editing and dashboard views are listed here; the reports' views
(updates, change reports, exports) live in plans/urls_reports.py and are appended."""

from django.urls import path  # noqa: F401

from plans import urls_reports

app_name = "plans"

urlpatterns: list = [
    *urls_reports.urlpatterns,
]
