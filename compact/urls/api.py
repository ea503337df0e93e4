"""The read-only API, version 1 (/api/v1/; compact/platform/api.py, docs/api.md): its index,
the OpenAPI schema, the reference page, and each app's endpoints (from its ``api`` module)."""

from django.urls import include, path
from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from compact import api as compact_api
from compact.platform.access import public
from compact.platform.api import ApiView, csrf_checked
from compact.views import api_tokens as views_api_tokens

app_name = "api"


class ApiIndex(ApiView):
    """Where everything is: the endpoints, the schema and the reference page."""

    pagination_class = None

    @extend_schema(operation_id="api_index", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        names = ("plan_list", "meeting_list", "partnership_list", "schema", "docs")
        return Response({name: django_reverse(f"api:{name}") for name in names})


SCHEMA_VIEW = SpectacularAPIView.as_view(api_version="1")

urlpatterns = [
    path("", ApiIndex.as_view(), name="index"),
    path(
        "schema/", public(csrf_checked(SpectacularAPIView.as_view(api_version="1"))), name="schema"
    ),
    path("docs/", views_api_tokens.api_reference, name="docs"),
    *compact_api.urlpatterns,
    path("", include("plans.api")),
    path("", include("partnerships.api")),
]
