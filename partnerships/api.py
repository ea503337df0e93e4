"""The partnerships register in the read-only API (/api/v1/partnerships/, docs/api.md):
what each partnership is and how many third-sector places it has, filled and vacant. Never
personal data: no contact, no names of the people holding the places.

A visitor reads the public register's entries (active, marked public, of a Compact that
publishes its register); anyone signed in reads the whole register, as on its page."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from compact.platform.api import ApiListView, ApiView
from partnerships.models import Partnership
from partnerships.selectors import PlaceRow, place_rows, readable_partnerships


class PlaceSerializer(serializers.Serializer):
    kind = serializers.CharField(source="place.kind")
    kind_label = serializers.CharField(source="place.get_kind_display")
    title = serializers.CharField(source="place.title")
    title_cy = serializers.CharField(source="place.title_cy")
    number_of_places = serializers.IntegerField(source="place.number_of_places")
    has_deputy = serializers.BooleanField(source="place.has_deputy")
    term_months = serializers.IntegerField(source="place.term_months", allow_null=True)
    role_description = serializers.CharField(source="place.role_description")
    role_description_cy = serializers.CharField(source="place.role_description_cy")
    filled = serializers.IntegerField(source="holders")
    vacancies = serializers.IntegerField()


class PartnershipSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_cy = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField(source="get_type_display")
    status = serializers.CharField()
    coverage = serializers.CharField()
    parent = serializers.CharField(source="parent.slug", allow_null=True, default=None)
    lead_body = serializers.CharField(source="lead_body.name", allow_null=True, default=None)
    purpose = serializers.CharField()
    purpose_cy = serializers.CharField()
    meeting_frequency = serializers.CharField()
    places = PlaceSerializer(source="place_rows", many=True)
    url = serializers.SerializerMethodField()

    def get_url(self, partnership: Partnership) -> str:
        return reverse("api:partnership_detail", args=[partnership.slug])


def _with_places(partnerships: list[Partnership]) -> list[Partnership]:
    """Each partnership's places with their filled counts (one hook call for the page)."""
    rows: dict[int, PlaceRow] = {
        row.place.pk: row
        for row in place_rows([place for p in partnerships for place in p.places.all()])
    }
    for partnership in partnerships:
        partnership.place_rows = [rows[place.pk] for place in partnership.places.all()]
    return partnerships


class PartnershipList(ApiListView):
    """The register, by name."""

    serializer_class = PartnershipSerializer

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(readable_partnerships(request.user))
        data = PartnershipSerializer(_with_places(list(page)), many=True).data
        return self.get_paginated_response(data)


class PartnershipDetail(ApiView):
    """One partnership of the register."""

    serializer_class = PartnershipSerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        found = list(readable_partnerships(request.user).filter(slug=slug))
        if not found:
            raise Http404("No such partnership")
        return Response(PartnershipSerializer(_with_places(found)[0]).data)


urlpatterns = [
    path("partnerships/", PartnershipList.as_view(), name="partnership_list"),
    path("partnerships/<slug:slug>/", PartnershipDetail.as_view(), name="partnership_detail"),
]
