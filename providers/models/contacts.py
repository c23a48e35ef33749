"""Places, contact points and their hours."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers import hours, phones
from providers.models.base import Translated
from providers.models.provider import Provider
from providers.models.vocabularies import Area

if TYPE_CHECKING:
    from providers.models.offering import Offering


# --- Places, contacts and hours -----------------------------------------------------------------


class Location(Translated, models.Model):
    """A physical place: reception, meeting place, housing. May be confidential."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="locations", verbose_name=_("utförare")
    )
    name = models.CharField(_("namn"), max_length=200)
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, default="Linköping")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("område")
    )
    accessibility = models.TextField(_("tillgänglighet"), blank=True)
    is_confidential = models.BooleanField(
        _("skyddad adress"),
        default=False,
        help_text=_("Adressen visas inte publikt, till exempel för skyddade boenden."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return self.name

    def address_text(self) -> str:
        parts = [self.street_address, " ".join(p for p in [self.postal_code, self.city] if p)]
        return ", ".join(p for p in parts if p)


class ContactPoint(models.Model):
    """A way to reach a provider or one of its offerings, with its own hours."""

    # What an editor writes when a number or address is not known (never invent one).
    MISSING = "uppgift saknas"

    class Kind(models.TextChoices):
        PHONE = "telefon", _("Telefon")
        EMAIL = "e-post", _("E-post")
        WEB = "webb", _("Webbformulär eller e-tjänst")
        VISIT = "besok", _("Besök")

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("utförare"),
    )
    offering = models.ForeignKey(
        "Offering",
        on_delete=models.CASCADE,
        related_name="contact_points",
        null=True,
        blank=True,
        verbose_name=_("insats"),
        help_text=_("Lämna tomt om kontakten gäller hela utföraren."),
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("rubrik"), max_length=120, help_text=_("Till exempel Telefon."))
    label_en = models.CharField(_("rubrik på engelska"), max_length=120, blank=True)
    value = models.CharField(
        _("nummer eller adress"),
        max_length=200,
        help_text=_(
            "Telefon: ett svenskt nummer, till exempel 013-20 69 68. Webb: en adress som börjar "
            "med https://. Skriv ”uppgift saknas” om uppgiften inte är känd – hitta aldrig på "
            "ett nummer."
        ),
    )
    is_on_call = models.BooleanField(_("beredskapstelefon"), default=False)
    open_on_holidays = models.BooleanField(
        _("öppen även på helgdagar"),
        default=False,
        help_text=_("Kryssa i för jourlinjer som har samma tider på röda dagar."),
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    note_en = models.CharField(_("kommentar på engelska"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kontaktväg")
        verbose_name_plural = _("kontaktvägar")

    def __str__(self) -> str:
        return f"{self.label}: {self.display_value}"

    def clean(self) -> None:
        """Check the value by kind and store phone numbers in one form (see providers.phones)."""
        value = " ".join((self.value or "").split())
        if not value:
            return  # the field's own "required" message says it
        if value.strip("\"'”“ ").casefold() == self.MISSING:
            self.value = self.MISSING
            return
        self.value = value
        if self.kind == self.Kind.PHONE:
            self.value = self._clean_phone(value)
        elif self.kind == self.Kind.EMAIL:
            self._clean_email(value)
        elif self.kind == self.Kind.WEB:
            self._clean_web(value)

    @classmethod
    def _clean_phone(cls, value: str) -> str:
        messages = {
            "phone": _("Skriv ett svenskt telefonnummer, till exempel 013-20 69 68."),
            "foreign": _(
                "Skriv ett svenskt telefonnummer, till exempel 013-20 69 68. "
                "Utländska nummer kan inte anges."
            ),
            "premium": _(
                "Skriv ett nummer som är gratis eller kostar som ett vanligt samtal. "
                "Betalnummer (0900, 0939, 0944) kan inte anges."
            ),
        }
        try:
            return phones.normalise(value)
        except phones.PhoneError as error:
            raise ValidationError(
                {"value": ValidationError(messages[error.code], code=error.code)}
            ) from None

    @classmethod
    def _clean_email(cls, value: str) -> None:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                {
                    "value": ValidationError(
                        _("Skriv en e-postadress, till exempel mottagningen@linkoping.se."),
                        code="email",
                    )
                }
            ) from None

    @classmethod
    def _clean_web(cls, value: str) -> None:
        if not value.lower().startswith("https://"):
            raise ValidationError(
                {
                    "value": ValidationError(
                        _(
                            "Skriv en webbadress som börjar med https://, till exempel "
                            "https://www.linkoping.se/. Andra adresser, som http:// eller "
                            "javascript:, kan inte anges."
                        ),
                        code="web_scheme",
                    )
                }
            )
        try:
            URLValidator(schemes=["https"])(value)
        except ValidationError:
            raise ValidationError(
                {
                    "value": ValidationError(
                        _("Skriv en hel webbadress, till exempel https://www.linkoping.se/."),
                        code="web",
                    )
                }
            ) from None

    @classmethod
    def with_hours(cls):
        """Contact points with their weekly hours and the exceptions a page may still show
        (from exceptions_from() on), in three queries."""
        return cls.objects.prefetch_related(
            "weekly_hours",
            models.Prefetch(
                "exceptions", HoursException.objects.filter(date__gte=cls.exceptions_from())
            ),
        )

    @staticmethod
    def exceptions_from() -> dt.date:
        """The first date whose exceptions a page may still need: a week back (a week view)."""
        return timezone.localdate() - dt.timedelta(days=7)

    @staticmethod
    def known(value: str) -> bool:
        """A value a resident can use: not empty, not an editor's "saknas" (missing)."""
        return bool(value) and "saknas" not in value.lower()

    @classmethod
    def attach(cls, offerings) -> list[Offering]:
        """Load every contact an offering list shows in three queries, whatever its length.

        Each offering gets its own contact points, or its provider's general ones.
        """
        offerings = list(offerings)
        if not offerings:
            return offerings
        points = cls.with_hours().filter(
            Q(offering__isnull=True) | Q(offering_id__in=[o.pk for o in offerings]),
            provider_id__in={o.provider_id for o in offerings},
        )
        own, general = {}, {}
        for point in points:
            if point.offering_id:
                own.setdefault(point.offering_id, []).append(point)
            else:
                general.setdefault(point.provider_id, []).append(point)
        for offering in offerings:
            offering._contact_points = own.get(offering.pk) or general.get(offering.provider_id, [])
        return offerings

    @property
    def label_text(self) -> str:
        return Translated.tr(self, "label")

    @property
    def note_text(self) -> str:
        return Translated.tr(self, "note")

    @property
    def is_known(self) -> bool:
        return self.known(self.value)

    @property
    def display_value(self) -> str:
        """The value as pages show it: phone numbers in Swedish form (013-20 69 68)."""
        if self.kind == self.Kind.PHONE and self.is_known:
            return phones.display(self.value)
        return self.value

    @property
    def href(self) -> str:
        """A link only for a value that passes the same checks as clean(): a row written
        around them (an old import, a raw update) is shown as text, never as a link."""
        if not self.is_known:
            return ""
        if self.kind == self.Kind.PHONE:
            return phones.tel_href(self.value)
        if self.kind == self.Kind.EMAIL:
            try:
                validate_email(self.value)
            except ValidationError:
                return ""
            return "mailto:" + self.value
        if self.kind == self.Kind.WEB:
            try:
                parts = urlsplit(self.value)
            except ValueError:
                return ""
            if parts.scheme == "https" and parts.netloc and not parts.username:
                return self.value
        return ""

    def has_hours(self) -> bool:
        return bool(self.weekly_hours.all())

    def schedule(self) -> hours.Schedule:
        return hours.Schedule(
            weekly=[(h.weekday, h.opens, h.closes) for h in self.weekly_hours.all()],
            exceptions={
                e.date: (None if e.is_closed else (e.opens, e.closes))
                for e in self.exceptions.all()
            },
            open_on_holidays=self.open_on_holidays,
        )

    def status(self, now: dt.datetime | None = None) -> hours.Status:
        return self.schedule().status(now or timezone.now())


class WeeklyHours(models.Model):
    """One opening interval on a weekday; a day may have several (split shifts, evenings)."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=hours.WEEKDAY_CHOICES)
    opens = models.TimeField(_("öppnar"))
    closes = models.TimeField(_("stänger"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("öppettid")
        verbose_name_plural = _("öppettider per vecka")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="weekly_hours_opens_before_closes",
                violation_error_message=_("Öppnar-tiden måste vara före stänger-tiden."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="weekly_hours_weekday_valid"
            ),
        ]
        indexes = [models.Index(fields=["weekday", "opens", "closes"], name="weekly_hours_lookup")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"


class HoursException(models.Model):
    """A date with other hours than usual: closed, or open at special times."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("datum"))
    is_closed = models.BooleanField(_("stängt hela dagen"), default=True)
    opens = models.TimeField(_("öppnar"), null=True, blank=True)
    closes = models.TimeField(_("stänger"), null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("avvikande öppettid")
        verbose_name_plural = _("avvikande öppettider")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_point", "date"], name="hours_exception_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(is_closed=True)
                | (
                    Q(opens__isnull=False)
                    & Q(closes__isnull=False)
                    & Q(opens__lt=models.F("closes"))
                ),
                name="hours_exception_times_when_open",
                violation_error_message=_(
                    "Fyll i både öppnar och stänger (öppnar före stänger), eller kryssa i stängt."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}"
