"""Meetings and their papers in the read-only API (/api/v1/meetings/, docs/api.md).

What each person reads is what the meeting pages show them: officers every meeting, members
their bodies' meetings (``compact.selectors.meetings.readable_meetings``), each with its agenda
and the papers they may read (``compact.permissions.can_read_paper``). Everyone, visitors too,
also sees the date, time and venue of publicly listed bodies' meetings, as the public calendar
does, without agenda or papers. No attendance, declarations or minutes: those are personal or
for members, on the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from compact.models import AgendaItem, Meeting, Paper
from compact.permissions import can_read_paper
from compact.platform.api import ApiListView, ApiView
from compact.selectors.meetings import readable_meetings


class BodySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PaperSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In English (empty when only in Welsh).")
    title_cy = serializers.CharField(help_text="In Welsh (empty until it is translated).")
    kind = serializers.CharField()
    added_at = serializers.DateTimeField(source="created_at")
    text = serializers.SerializerMethodField(help_text="A paper written in the browser: its text.")
    text_cy = serializers.SerializerMethodField(help_text="The Welsh of a written paper's text.")
    web_url = serializers.SerializerMethodField(
        help_text="The paper as PDF, for a signed-in reader."
    )

    def get_text(self, paper: Paper) -> str:
        return paper.text if paper.kind == Paper.Kind.WRITTEN else ""

    def get_text_cy(self, paper: Paper) -> str:
        return paper.text_cy if paper.kind == Paper.Kind.WRITTEN else ""

    def get_web_url(self, paper: Paper) -> str:
        return reverse("compact:paper_view", args=[paper.pk])


class AgendaItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    title_cy = serializers.CharField(help_text="In Welsh (empty until it is translated).")
    purpose = serializers.CharField()
    papers = PaperSerializer(source="readable_papers", many=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = BodySerializer()
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    status = serializers.CharField()
    venue = serializers.CharField()
    full = serializers.BooleanField(
        help_text="True when this person may see the agenda and papers (a member or officer)."
    )
    online_link = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_online_link(self, meeting: Meeting) -> str:
        return meeting.online_link if meeting.full else ""

    def get_url(self, meeting: Meeting) -> str:
        return reverse("api:meeting_detail", args=[meeting.pk])


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True)


class MeetingList(ApiListView):
    """The meetings this person may see, by date (without agendas: see each meeting)."""

    serializer_class = MeetingSerializer

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(readable_meetings(request.user))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)


def _agenda(meeting: Meeting, user: Any) -> list[AgendaItem]:
    """The agenda with the papers this person may read (none unless they see the meeting)."""
    if not meeting.full:
        return []
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related("papers")
        .order_by("position", "pk")
    )
    for item in items:
        item.readable_papers = [paper for paper in item.papers.all() if can_read_paper(user, paper)]
    return items


class MeetingDetail(ApiView):
    """One meeting; with its agenda and readable papers for those who may see it."""

    serializer_class = MeetingDetailSerializer
    pagination_class = None

    def get(self, request: Request, pk: int) -> Response:
        meeting = readable_meetings(request.user).filter(pk=pk).first()
        if meeting is None:
            raise Http404("No such meeting")
        meeting.agenda_items = _agenda(meeting, request.user)
        return Response(MeetingDetailSerializer(meeting).data)


urlpatterns = [
    path("meetings/", MeetingList.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", MeetingDetail.as_view(), name="meeting_detail"),
]
