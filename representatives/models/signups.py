"""Sign-ups: people offering to represent the third sector, and what they consented to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Person
from partnerships.models import Partnership, ThirdSectorPlace

if TYPE_CHECKING:
    from representatives.models.rounds import Nomination  # rounds imports this module

# Personal data on a sign-up. These fields are never copied into the history table, so erasing
# a sign-up leaves no copy of them behind (see docs/representatives.md, "Erasure").
SIGNUP_PERSONAL_FIELDS = (
    "full_name",
    "organisation_name",
    "email",
    "phone",
    "address",
    "interests",
    "experience",
    "rejection_reason",  # may name the person or quote them
)


class SignUp(models.Model):
    """Someone from a third-sector organisation registering interest in representing the
    sector (or in specialist membership), without an account."""

    class Interest(models.TextChoices):
        REPRESENTATION = "representation", _("Representing the third sector")
        MEMBERSHIP = "membership", _("Specialist input as a member")
        EITHER = "either", _("Either")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not yet confirmed")
        WAITING = "waiting", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged into another sign-up")
        ERASED = "erased", _("Erased on request")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED
    )
    full_name = models.CharField(_("full name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    interest = models.CharField(
        _("interested in"), max_length=16, choices=Interest.choices, default=Interest.EITHER
    )
    interests = models.TextField(_("areas of interest"))
    experience = models.TextField(_("experience"), blank=True)
    places = models.ManyToManyField(
        ThirdSectorPlace, verbose_name=_("places"), blank=True, related_name="signups"
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), blank=True, related_name="signups"
    )
    consent_wording = models.TextField(_("consent wording shown"))
    consent_given_at = models.DateTimeField(_("consent given at"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=list(SIGNUP_PERSONAL_FIELDS))

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return _("Sign-up #%(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("representatives:signup_detail", kwargs={"pk": self.pk})

    @property
    def latest_nomination(self) -> Nomination | None:
        """The nomination this sign-up was last put forward as (reads prefetched
        ``nominations__round`` when there), or None."""
        return max(self.nominations.all(), key=lambda nomination: nomination.pk, default=None)

    @property
    def progress_label(self) -> str:
        """What happens to the sign-up now: once put forward, the nomination's state decides
        (a sign-up is never left "waiting for a decision" while a round runs)."""
        nomination = self.latest_nomination
        if nomination is None or self.status not in (self.Status.WAITING, self.Status.APPROVED):
            return self.get_status_display()
        return nomination.outcome_label
