from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("export.csv", views.register_csv, name="export_csv"),
    path("add/", views.partnership_create, name="create"),
    path("import/", views.import_csv, name="import"),
    path("settings/", views.register_settings, name="settings"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix.csv", views.matrix_csv, name="matrix_csv"),
    path("matrix.pdf", views.matrix_pdf, name="matrix_pdf"),
    path("public/", views.public_register, name="public"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/edit/", views.partnership_edit, name="edit"),
    path("<slug:slug>/terms/", views.terms_of_reference, name="terms"),
    path("<slug:slug>/places/add/", views.place_add, name="place_add"),
    path("<slug:slug>/checklist/", views.checklist_edit, name="checklist"),
    path("<slug:slug>/reviews/add/", views.review_add, name="review_add"),
]
