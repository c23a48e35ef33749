"""The call log: one row per contact with Mottagningen, for statistics. Never who it was.

There is no field for a name, personnummer, phone number or e-mail address; the note is checked
for them (frontdesk.privacy) and blanked after `CALL_NOTE_RETENTION_DAYS` (purge_call_notes).
Needs and outcomes are fixed vocabularies, stored as lists of their codes (the codes are the
public contract, DOMAIN.md); the offerings navigated to are rows of the catalogue.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontdesk.vocabulary import AgeGroup, Caller, Channel, NoContent, Outcome
from providers.models.municipality import default_municipality_id

NOTE_MAX_LENGTH = 500

# A pseudonymous series code: letters and digits with at least one digit, 3–12 characters,
# optionally split by one dash ("K7-23", "SERIE12"). A bare word ("Anna") has no digit; a
# personnummer has too many digits to fit the pattern's letter rule below.
SERIES_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})?$")


def validate_series_code(value: str) -> None:
    """A series code is short, has a digit and at least one letter, and is never a number
    that could be a personnummer or phone number."""
    compact = value.replace("-", "")
    if (
        not SERIES_CODE.match(value)
        or not 3 <= len(compact) <= 12
        or not any(character.isalpha() for character in compact)
    ):
        raise ValidationError(
            _(
                "Skriv en kod för samtalsserien med bokstäver och siffror, till exempel K7-23. "
                "Skriv aldrig namn, personnummer eller telefonnummer."
            ),
            code="series_code",
        )


class CallLogEntryQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-tidpunkt", "-pk")

    def on_or_after(self, day):
        return self.filter(tidpunkt__gte=_day_start(day))

    def on_or_before(self, day):
        return self.filter(tidpunkt__lt=_day_start(day + timedelta(days=1)))

    def with_note_older_than(self, moment):
        return self.filter(tidpunkt__lt=moment).exclude(anteckning="")


def _day_start(day: date) -> datetime:
    """Midnight of a local (Europe/Stockholm) date, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


class CallLogEntry(models.Model):
    """One contact: when, how, who (as a category), about what, and how it ended."""

    # The municipality whose navigator took the contact: staff see only their own's entries.
    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        default=default_municipality_id,
        related_name="+",
        verbose_name=_("kommun"),
    )
    tidpunkt = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    kanal = models.CharField(
        _("kanal"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    vem = models.CharField(_("vem"), max_length=20, choices=Caller.choices, default=Caller.UNKNOWN)
    aldersgrupp = models.CharField(
        _("åldersgrupp"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    behov = models.JSONField(_("behov"), default=list, blank=True)  # need slugs (NEEDS)
    utfall = models.JSONField(_("utfall"), default=list, blank=True)  # Outcome codes
    insatser = models.ManyToManyField(
        "providers.Offering",
        blank=True,
        related_name="+",
        verbose_name=_("insatser"),
        # Deleting an offering removes only its link here; the contact itself stays counted.
    )
    omrade = models.CharField(_("område"), max_length=50, blank=True)
    minuter = models.PositiveSmallIntegerField(_("minuter"), null=True, blank=True)
    anteckning = models.CharField(_("anteckning"), max_length=NOTE_MAX_LENGTH, blank=True)
    serie = models.CharField(
        _("serie"), max_length=20, blank=True, validators=[validate_series_code]
    )
    utan_innehall = models.CharField(
        _("samtal utan innehåll"), max_length=20, choices=NoContent.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="call_log_entries",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now, editable=False)
    # Demo data from `seed_call_log` (never a real contact); `remove_synthetic_calls` deletes it.
    syntetisk = models.BooleanField(_("syntetisk testdata"), default=False, db_index=True)
    # The one-time key of the form that created the entry: a second submit of the same form
    # finds this row instead of storing the contact twice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(m2m_fields=[insatser], excluded_fields=["submission_key"])
    objects = CallLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-tidpunkt", "-pk"]
        verbose_name = _("samtal")
        verbose_name_plural = _("samtalslogg")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def outcome_labels(self) -> list[str]:
        return [Outcome(code).label for code in self.utfall if code in Outcome.values]

    @property
    def slip_url(self) -> str:
        """The public slip with the entry's offerings, for its municipality's residents."""
        from frontdesk.views import slip_url

        return slip_url(self.insatser.all(), self.municipality)

    @property
    def local_created_date(self):
        return timezone.localtime(self.created_at).date()
