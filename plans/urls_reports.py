"""URLs of plan updates and change reports (no app_name: included by plans/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
