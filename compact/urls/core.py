"""URLs of the core app: bodies, organisations, people, meetings, board packs and codes."""

from django.urls import path

from compact import views
from compact.views import actions as views_actions
from compact.views import attendance as views_attendance
from compact.views import calendars as views_calendars
from compact.views import codes as views_codes
from compact.views import interests as views_interests
from compact.views import meetings as views_meetings
from compact.views import minutes as views_minutes
from compact.views import packs as views_packs
from compact.views import search as views_search

app_name = "compact"

urlpatterns = [
    path("about/edit/", views.compact_edit, name="compact_edit"),
    path("contact/", views.contact, name="contact"),
    path("search/", views_search.search_page, name="search"),
    path("calendar/", views_calendars.calendar_page, name="calendar"),
    path("calendar/public.ics", views_calendars.calendar_public, name="calendar_public"),
    path("calendar/<str:token>.ics", views_calendars.calendar_feed, name="calendar_feed"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
    path(
        "bodies/<slug:slug>/rotation/", views_meetings.rotation_rule_edit, name="rotation_rule_edit"
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("people/", views.person_list, name="person_list"),
    # Meetings
    path("meetings/", views_meetings.meeting_programme, name="meeting_programme"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/items/new/", views_meetings.agenda_item_create, name="agenda_item_create"
    ),
    path(
        "meetings/<int:pk>/attendance/", views_meetings.attendance_record, name="attendance_record"
    ),
    path("meetings/<int:pk>/declarations/", views_meetings.declaration_add, name="declaration_add"),
    path("meetings/<int:pk>/minutes/", views_meetings.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/move/", views_minutes.minutes_move, name="minutes_move"),
    path("meetings/<int:pk>/minutes/amend/", views_minutes.minutes_amend, name="minutes_amend"),
    path("meetings/<int:pk>/decisions/new/", views_minutes.decision_add, name="decision_add"),
    path("items/<int:pk>/minutes/", views_minutes.item_minutes_edit, name="item_minutes_edit"),
    path("decisions/<int:pk>/delete/", views_minutes.decision_delete, name="decision_delete"),
    path("decisions/", views_minutes.decision_register, name="decision_register"),
    path("decisions/csv/", views_minutes.decision_register_csv, name="decision_register_csv"),
    path(
        "bodies/<slug:slug>/standard-items/",
        views_minutes.standard_items_edit,
        name="standard_items_edit",
    ),
    path("meetings/<int:pk>/actions/new/", views_meetings.action_create, name="action_create"),
    path("actions/<int:pk>/done/", views_meetings.action_done, name="action_done"),
    path("actions/mine/", views_actions.my_actions, name="my_actions"),
    path(
        "meetings/<int:pk>/agenda/finalise/",
        views_meetings.agenda_finalise,
        name="agenda_finalise",
    ),
    path("items/<int:pk>/edit/", views_meetings.agenda_item_edit, name="agenda_item_edit"),
    path("items/<int:pk>/move/", views_meetings.agenda_item_move, name="agenda_item_move"),
    path("items/<int:pk>/delete/", views_meetings.agenda_item_delete, name="agenda_item_delete"),
    path("items/<int:pk>/papers/<str:kind>/", views_meetings.paper_add, name="paper_add"),
    path("papers/<int:pk>/", views_meetings.paper_view, name="paper_view"),
    path("papers/<int:pk>/edit/", views_meetings.paper_edit, name="paper_edit"),
    path("papers/<int:pk>/delete/", views_meetings.paper_delete, name="paper_delete"),
    # Attendance and the register of interests
    path(
        "meetings/<int:pk>/answer/",
        views_attendance.attendance_answer,
        name="attendance_answer",
    ),
    path(
        "meetings/<int:pk>/answer/<str:token>/",
        views_attendance.attendance_answer_link,
        name="attendance_answer_link",
    ),
    path(
        "meetings/<int:pk>/attendance/register/",
        views_attendance.attendance_register,
        name="attendance_register",
    ),
    path("attendance/", views_attendance.attendance_report, name="attendance_report"),
    path("interests/", views_interests.my_interests, name="my_interests"),
    path("interests/confirm/", views_interests.interests_confirm, name="interests_confirm"),
    path(
        "interests/<int:pk>/withdraw/",
        views_interests.interest_withdraw,
        name="interest_withdraw",
    ),
    path("interests/register/", views_interests.interest_register, name="interest_register"),
    path("bodies/<slug:slug>/interests/", views_interests.body_interests, name="body_interests"),
    # Board packs
    path("meetings/<int:pk>/pack/build/", views_packs.pack_build, name="pack_build"),
    path("packs/<int:pk>/circulate/", views_packs.pack_circulate, name="pack_circulate"),
    path("packs/<int:pk>/download/", views_packs.pack_download, name="pack_download"),
    # Codes of practice
    path("codes/", views_codes.code_list, name="code_list"),
    path("codes/new/", views_codes.code_create, name="code_create"),
    path("codes/<slug:slug>/", views_codes.code_detail, name="code_detail"),
    path("codes/<slug:slug>/edit/", views_codes.code_edit, name="code_edit"),
    path("codes/<slug:slug>/versions/new/", views_codes.code_version_add, name="code_version_add"),
    path("code-versions/<int:pk>/", views_codes.code_version_view, name="code_version_view"),
    path("codes/<slug:slug>/commitments/new/", views_codes.commitment_add, name="commitment_add"),
    path("commitments/<int:pk>/edit/", views_codes.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/delete/", views_codes.commitment_delete, name="commitment_delete"),
]
