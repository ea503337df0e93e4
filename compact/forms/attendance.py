"""Forms for answering a meeting notice, recording who was present, and the register of
interests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.models import Attendance, AttendanceAnswer, Body, Person
from compact.selectors.attendance import MemberRow

OTHER_ROWS = 3


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=AttendanceAnswer.Answer.choices,
        widget=forms.RadioSelect,
    )
    substitute_name = forms.CharField(
        label=_("Substitute's name"),
        max_length=200,
        required=False,
        help_text=_("Only if you are sending a substitute."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("answer") == AttendanceAnswer.Answer.SUBSTITUTE
            and not (data.get("substitute_name") or "").strip()
        ):
            self.add_error("substitute_name", _("Name the person who will attend in your place."))
        return data


MEMBER_STATUSES = [
    (Attendance.Status.PRESENT, _("Present")),
    (Attendance.Status.APOLOGIES, _("Apologies")),
    (Attendance.Status.ABSENT, _("Absent")),
]


class RegisterForm(forms.Form):
    """One choice per member (present / apologies / absent), then a few rows for substitutes
    and others in attendance."""

    def __init__(self, *args: Any, members: list[MemberRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        people = Person.objects.order_by("full_name")
        member_choices = [(row.person.pk, row.person.full_name) for row in members]
        for row in members:
            initial = row.attendance.status if row.attendance else None
            if initial is None and row.answer is not None:
                initial = (
                    Attendance.Status.PRESENT
                    if row.answer.answer == AttendanceAnswer.Answer.ATTENDING
                    else Attendance.Status.APOLOGIES
                )
            self.fields[f"member_{row.person.pk}"] = forms.ChoiceField(
                label=row.person.full_name,
                choices=MEMBER_STATUSES,
                initial=initial or Attendance.Status.ABSENT,
                widget=forms.RadioSelect,
            )
        for index in range(OTHER_ROWS):
            self.fields[f"other_{index}_person"] = forms.ModelChoiceField(
                label=_("Substitute or other person"), queryset=people, required=False
            )
            self.fields[f"other_{index}_for"] = forms.TypedChoiceField(
                label=_("Substitute for"),
                choices=[("", _("Nobody: in attendance")), *member_choices],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def member_fields(self) -> list[Any]:
        return [self[f"member_{row.person.pk}"] for row in self.members]

    def other_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"other_{index}_person"], self[f"other_{index}_for"])
            for index in range(OTHER_ROWS)
        ]

    def register(self) -> tuple[dict[int, str], list[tuple[Person, str, Person | None]]]:
        data = self.cleaned_data
        members = {row.person.pk: data[f"member_{row.person.pk}"] for row in self.members}
        by_id = {row.person.pk: row.person for row in self.members}
        others = []
        for index in range(OTHER_ROWS):
            person = data.get(f"other_{index}_person")
            if person is None:
                continue
            substitute_for = by_id.get(data.get(f"other_{index}_for"))
            status = (
                Attendance.Status.PRESENT if substitute_for else Attendance.Status.IN_ATTENDANCE
            )
            others.append((person, status, substitute_for))
        return members, others


class InterestForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("For"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Every body I sit on"),
    )
    description = forms.CharField(
        label=_("Interest"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_('As it will be published, e.g. "Trustee of Merthyr Credit Union".'),
    )
    private_details = forms.CharField(
        label=_("Private details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Seen by officers only, never published."),
    )

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[body.pk for body in bodies])
