"""Forms for representatives: each parses input for one service call."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.forms.bilingual import BilingualMixin
from compact.models import Body, Organisation, Person
from partnerships.models import Partnership, ThirdSectorPlace
from representatives.models import (
    Appointment,
    Declaration,
    FeedbackReport,
    SelectionRound,
    Signature,
    SignUp,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _in_reader_language(form: forms.BaseForm) -> None:
    """Partnerships and places offered by their names in the reader's language (their
    ``__str__`` keeps the English that keys the register)."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if queryset.model is Partnership:
            field.label_from_instance = attrgetter("reader_name")
        elif queryset.model is ThirdSectorPlace:
            field.label_from_instance = attrgetter("reader_label")


def networks() -> QuerySet[Body]:
    return Body.objects.filter(kind=Body.Kind.NETWORK).order_by("name")


def public_bodies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(sector=Organisation.Sector.PUBLIC).order_by("name")


class SignUpForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I agree that VAMT may hold and use my details for this purpose."),
        required=True,
        error_messages={
            "required": _("We can only hold your details if you agree to the statement above.")
        },
    )

    class Meta:
        model = SignUp
        fields = [
            "full_name",
            "organisation_name",
            "email",
            "phone",
            "address",
            "interest",
            "interests",
            "experience",
            "places",
            "partnerships",
        ]
        widgets = {
            "places": forms.CheckboxSelectMultiple,
            "partnerships": forms.CheckboxSelectMultiple,
            "interests": forms.Textarea(attrs={"rows": 3}),
            "experience": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "interests": _("Which subjects or client groups you would like to represent."),
            "experience": _("Relevant knowledge, skills and experience."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the places a member of the public can put themselves forward for.
        self.fields["places"].queryset = (
            ThirdSectorPlace.objects.filter(
                kind__in=[ThirdSectorPlace.Kind.ELECTED, ThirdSectorPlace.Kind.SPECIALIST],
                partnership__status=Partnership.Status.ACTIVE,
                partnership__published=True,
            )
            .select_related("partnership")
            .order_by("partnership__name", "pk")
        )
        self.fields["partnerships"].queryset = Partnership.objects.filter(
            status=Partnership.Status.ACTIVE, published=True
        )
        _in_reader_language(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Keep this sign-up (merge into it)"), queryset=None)

    def __init__(self, *args: Any, signup: SignUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = SignUp.objects.filter(
            status__in=[SignUp.Status.UNVERIFIED, SignUp.Status.WAITING, SignUp.Status.APPROVED]
        ).exclude(pk=signup.pk)
        self.fields["into"].label_from_instance = lambda s: f"#{s.pk} {s.full_name} ({s.email})"


class PutForwardForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Open round"), queryset=None)
    nominated_by = forms.CharField(label=_("Nominated by"), max_length=200)
    supporting_statement = forms.CharField(
        label=_("Supporting statement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = SelectionRound.objects.filter(
            status__in=[SelectionRound.Status.CANVASSING, SelectionRound.Status.CIRCULATED]
        ).select_related("place__partnership")


class RoundOpenForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=None)
    process = forms.ChoiceField(
        label=_("Process"),
        choices=[
            (SelectionRound.Process.REPRESENTATION, SelectionRound.Process.REPRESENTATION.label),
            (SelectionRound.Process.MEMBERSHIP, SelectionRound.Process.MEMBERSHIP.label),
        ],
    )
    statutory_body = forms.ModelChoiceField(
        label=_("Statutory body"), queryset=None, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = ThirdSectorPlace.objects.select_related("partnership")
        self.fields["statutory_body"].queryset = public_bodies()
        _in_reader_language(self)


class DirectLinkForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=None)
    person = forms.ModelChoiceField(label=_("Third-sector member"), queryset=None)
    informed_by = forms.ModelChoiceField(
        label=_("Statutory partner who informed VAMT"), queryset=None
    )
    informed_on = forms.DateField(label=_("Informed VAMT on"), widget=DATE)
    invited_on = forms.DateField(label=_("VAMT linked and invited on"), widget=DATE)
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = ThirdSectorPlace.objects.select_related("partnership")
        self.fields["person"].queryset = Person.objects.order_by("full_name")
        self.fields["informed_by"].queryset = public_bodies()
        _in_reader_language(self)


class TimetableForm(forms.Form):
    statutory_body = forms.ModelChoiceField(label=_("Agreed with (statutory body)"), queryset=None)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    nominations_close_on = forms.DateField(label=_("Nominations close on"), widget=DATE)
    election_on = forms.DateField(label=_("Election on"), widget=DATE)
    appointment_on = forms.DateField(label=_("Appointment on"), widget=DATE)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statutory_body"].queryset = public_bodies()
        self.fields["statutory_body"].initial = selection_round.statutory_body_id


class CanvassForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        label=_("Networks and fora canvassed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wider_membership = forms.BooleanField(label=_("VAMT's wider membership"), required=False)
    done_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = networks()


class NominationForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Nominee (person)"), queryset=None, required=False)
    signup = forms.ModelChoiceField(
        label=_("Or nominee from a sign-up"), queryset=None, required=False
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    nominated_by = forms.CharField(label=_("Nominated by"), max_length=200)
    supporting_statement = forms.CharField(
        label=_("Supporting statement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.order_by("full_name")
        self.fields["signup"].queryset = SignUp.objects.filter(
            status__in=[SignUp.Status.WAITING, SignUp.Status.APPROVED]
        )
        self.fields["signup"].label_from_instance = lambda s: f"#{s.pk} {s.full_name}"
        self.fields["organisation"].queryset = Organisation.objects.filter(
            sector=Organisation.Sector.THIRD
        )


class EligibilityForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Nomination"), queryset=None)
    eligible = forms.TypedChoiceField(
        label=_("Eligible?"),
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = selection_round.nominations.filter(
            withdrawn_at__isnull=True
        ).select_related("person", "signup")


class WithdrawForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Nomination withdrawn"), queryset=None)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = selection_round.nominations.filter(
            withdrawn_at__isnull=True
        ).select_related("person", "signup")


class ElectionForm(forms.Form):
    constituency = forms.ModelChoiceField(label=_("Constituency (forum or network)"), queryset=None)
    done_on = forms.DateField(label=_("Election opened on"), widget=DATE)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = networks()


class VotesForm(forms.Form):
    """One whole-number field per standing nominee."""

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standing = [n for n in selection_round.nominations.all() if n.standing]
        for nomination in self.standing:
            self.fields[f"votes_{nomination.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": nomination.nominee_name},
                min_value=0,
                initial=nomination.votes,
            )

    def votes(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"votes_{n.pk}"] for n in self.standing}


class DeclareForm(forms.Form):
    done_on = forms.DateField(label=_("Result declared on"), widget=DATE)
    tie_winners = forms.ModelMultipleChoiceField(
        label=_("If there is a tie: the nominee(s) chosen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tie_decision = forms.CharField(
        label=_("If there is a tie: how it was resolved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tie_winners"].queryset = selection_round.nominations.filter(
            withdrawn_at__isnull=True, eligible=True
        ).select_related("person", "signup")


class InformForm(forms.Form):
    recipient = forms.CharField(label=_("Sent to (name and organisation)"), max_length=200)
    email = forms.EmailField(
        label=_("Email the letter to"),
        required=False,
        help_text=_("Leave empty if the letter was posted or handed over."),
    )
    done_on = forms.DateField(label=_("Sent on"), widget=DATE)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ChooseForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Chosen by the statutory body"), queryset=None)
    done_on = forms.DateField(label=_("VAMT informed on"), widget=DATE)

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = selection_round.nominations.filter(
            withdrawn_at__isnull=True
        ).select_related("person", "signup")


class AppointForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Appoint"), queryset=None)
    deputy_of = forms.ModelChoiceField(
        label=_("As deputy of"),
        queryset=None,
        required=False,
        help_text=_("Only for a deputy; leave empty for the place holder."),
    )
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(
        label=_("Term ends"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to use the place's term length."),
    )
    mandate_body = forms.ModelChoiceField(
        label=_("Mandate from forum or network"), queryset=None, required=False
    )

    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = selection_round.nominations.filter(
            withdrawn_at__isnull=True
        ).select_related("person", "signup")
        self.fields["deputy_of"].queryset = Appointment.objects.filter(
            place=selection_round.place, status__in=Appointment.CURRENT, deputy_of__isnull=True
        ).select_related("person", "place__partnership")
        self.fields["mandate_body"].queryset = networks()
        self.fields["mandate_body"].initial = selection_round.constituency_id


class CancelForm(ReasonForm):
    def __init__(self, *args: Any, selection_round: SelectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class InductionForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Induction items done"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("role_briefed", _("Role and responsibilities briefed")),
            ("conflict_explained", _("Conflict of interest explained")),
            ("feedback_agreed", _("Feedback channels agreed")),
        ],
    )
    complete = forms.BooleanField(
        label=_("Induction complete (the code of conduct must be signed)"), required=False
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False)


class ConductVersionForm(BilingualMixin, forms.Form):
    """The wording in English and in Welsh side by side (either will do)."""

    TRANSLATED = ("text",)

    version = forms.CharField(label=_("Version"), max_length=20)
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # The wording shown above the form (Welsh or English): the one being signed. Absent (a
    # page from before it was asked), the wording the page's language shows.
    language = forms.ChoiceField(
        choices=Signature.Language.choices, widget=forms.HiddenInput, required=False
    )
    partnership = forms.ModelChoiceField(
        label=_("On behalf of partnership / working group"), queryset=None
    )
    typed_name = forms.CharField(
        label=_("Signed: type your full name"),
        max_length=200,
        help_text=_("Typing your name here is your electronic signature."),
    )
    agree = forms.BooleanField(
        label=_("I have read the Code of Conduct and Agreement above and I agree to it."),
        error_messages={"required": _("Tick the box to agree to the Code of Conduct.")},
    )

    def __init__(self, *args: Any, partnerships: QuerySet[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        _in_reader_language(self)


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["kind", "partnership", "meeting_date", "item", "interest", "action_taken"]
        widgets = {
            "meeting_date": DATE,
            "interest": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
        }


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = FeedbackReport
        fields = ["appointment", "meeting_date", "discussed", "issues_raised", "sector_should_know"]
        widgets = {
            "meeting_date": DATE,
            "discussed": forms.Textarea(attrs={"rows": 3}),
            "issues_raised": forms.Textarea(attrs={"rows": 3}),
            "sector_should_know": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, appointments: QuerySet[Appointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = appointments
        self.fields["appointment"].label = _("Partnership place")


class PublishForm(forms.Form):
    forum = forms.ModelChoiceField(label=_("Publish to forum or network"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = networks()


class SectorIssueForm(forms.Form):
    appointment = forms.ModelChoiceField(label=_("Representative"), queryset=None)
    raised_through = forms.ModelChoiceField(
        label=_("Raised through forum or network"), queryset=None, required=False
    )
    issue = forms.CharField(label=_("Issue"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = Appointment.objects.filter(
            status__in=Appointment.CURRENT
        ).select_related("person", "place__partnership")
        self.fields["raised_through"].queryset = networks()


class TakeIssueForm(forms.Form):
    outcome = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
