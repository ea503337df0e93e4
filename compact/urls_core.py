"""URLs of the core app (bodies, organisations, people; later meetings and codes)."""

from django.urls import path

from compact import views

app_name = "compact"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("people/", views.person_list, name="person_list"),
]
