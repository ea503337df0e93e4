"""Minutes written item by item: the discussion of each agenda item, the decisions (numbered
per year, 2009/14, never reused), amendments to frozen minutes, links from actions to rows of
other apps, and the standard items each body's agendas start with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models.core import Body
from compact.models.meetings import WELSH_HELP, Action, AgendaItem, Minutes
from compact.platform.language import either_text, require_one_language


class ItemMinutes(models.Model):
    """What was said on one agenda item."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="minuted",
    )
    discussion = models.TextField(_("discussion"), blank=True)
    discussion_cy = models.TextField(_("discussion (Welsh)"), blank=True, help_text=WELSH_HELP)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes of an item")
        verbose_name_plural = _("minutes of items")
        ordering = ["item__position", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "item"], name="item_minuted_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {either_text(self, 'discussion')[:40]}"


class DecisionNumber(models.Model):
    """The last decision number given in a year. Numbers only grow, so a number is never given
    twice, even if its decision were removed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("decision numbering")
        verbose_name_plural = _("decision numbering")

    def __str__(self) -> str:
        return f"{self.year}/{self.last}"


class Decision(models.Model):
    """A decision taken at a meeting, on an agenda item (or in the general minutes). Numbered
    (year of the meeting / sequence) when its minutes are circulated, or when it is recorded in
    minutes already circulated."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    text = models.TextField(_("decision"), blank=True)
    text_cy = models.TextField(_("decision (Welsh)"), blank=True, help_text=WELSH_HELP)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    numbered_on = models.DateTimeField(_("numbered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["year", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"],
                name="decision_number_unique",
                violation_error_message=_("This decision number is already given."),
            )
        ]
        indexes = [models.Index(fields=["year", "sequence"], name="decision_number")]

    def __str__(self) -> str:
        return f"{self.number or '-'} {either_text(self, 'text')[:60]}"

    def clean(self) -> None:
        require_one_language(self, "text")

    @property
    def number(self) -> str:
        """ "2009/14", or "" until the minutes are circulated."""
        return f"{self.year}/{self.sequence}" if self.sequence else ""


class MinutesAmendment(models.Model):
    """A correction to approved minutes: the approved text stays as it was and the amendment
    is shown beside it, with who made it, when and why."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="amendments"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_amendments",
    )
    text = models.TextField(_("amendment"), blank=True)
    text_cy = models.TextField(_("amendment (Welsh)"), blank=True, help_text=WELSH_HELP)
    reason = models.TextField(_("reason"), blank=True)
    reason_cy = models.TextField(_("reason (Welsh)"), blank=True, help_text=WELSH_HELP)
    made_on = models.DateTimeField(_("made on"), auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("amendment to minutes")
        verbose_name_plural = _("amendments to minutes")
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return either_text(self, "text")[:60]

    def clean(self) -> None:
        require_one_language(self, "text", "reason")


class ActionLink(models.Model):
    """An action's link to a row of another app (a plan row), named by the registered
    :class:`compact.links.ActionLinkTarget` key and the row's id: compact imports no upper
    app."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="links"
    )
    target = models.CharField(_("linked to"), max_length=60)
    target_id = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("action link")
        verbose_name_plural = _("action links")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "target", "target_id"], name="action_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target}:{self.target_id}"


class StandardItem(models.TextChoices):
    APOLOGIES = "apologies", _("Apologies")
    INTERESTS = "interests", _("Declarations of interest")
    MINUTES = "minutes", _("Minutes of the last meeting")
    MATTERS_ARISING = "matters_arising", _("Matters arising")
    OTHER_BUSINESS = "other_business", _("Any other business")
    NEXT_MEETING = "next_meeting", _("Date of the next meeting")


class BodyAgendaSettings(models.Model):
    """Which standard items (in their usual order) each new agenda of a body starts with."""

    body = models.OneToOneField(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="agenda_settings"
    )
    standard_items = models.JSONField(_("standard items"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda settings")
        verbose_name_plural = _("agenda settings")

    def __str__(self) -> str:
        return str(self.body)
