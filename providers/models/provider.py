"""Providers (utförare)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers.models.base import ReviewedListing, Translated
from providers.models.municipality import default_municipality_id

# --- Providers ----------------------------------------------------------------------------------


class ProviderQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Provider(Translated, ReviewedListing):
    """An utförare: a municipal, private or regional provider, or the authority itself."""

    class OrganisationForm(models.TextChoices):
        MUNICIPAL = "kommunal", _("Kommunal regi")
        PRIVATE = "privat", _("Privat utförare")
        WITH_REGION = "med-regionen", _("Tillsammans med regionen")
        AUTHORITY = "myndighet", _("Myndighet (socialkontoret)")

    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        default=default_municipality_id,
        related_name="providers",
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    slug = models.SlugField(_("adressnamn"), unique=True, max_length=100)
    organisation_form = models.CharField(
        _("driftform"), max_length=20, choices=OrganisationForm.choices
    )
    parent_organisation = models.CharField(
        _("del av"), max_length=200, blank=True, help_text=_("Till exempel Leanlink Råd & Stöd.")
    )
    description = models.TextField(_("beskrivning"))
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    website = models.URLField(
        _("webbplats"),
        blank=True,
        validators=[
            URLValidator(
                schemes=["https"],
                message=_(
                    "Skriv en webbadress som börjar med https://, till exempel https://www.linkoping.se/."
                ),
            )
        ],
    )
    email = models.EmailField(_("e-post"), blank=True)
    contracting_committee = models.CharField(_("avtalande nämnd"), max_length=200, blank=True)
    contract_period = models.CharField(
        _("avtalsperiod"), max_length=100, blank=True, help_text=_("Till exempel 2022–2026.")
    )
    staff_and_competences = models.TextField(_("personal och kompetens"), blank=True)
    collaborators = models.TextField(_("samarbetar med"), blank=True)
    # The provider's own staff (role `utforare`): they see this provider's contact requests.
    # Administered by superusers on the user's page, never by editors.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staff_providers",
        verbose_name=_("personal hos utföraren"),
    )

    history = HistoricalRecords()
    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("utförare")
        verbose_name_plural = _("utförare")
        indexes = [
            # The guide leaves out the few unpublished providers' offerings: a tiny index
            # answers that instead of a scan of every provider in the country.
            models.Index(
                fields=["id"], condition=models.Q(is_published=False), name="provider_unpublished"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:provider_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class CatalogueLoad(models.Model):
    """One run of load_catalogue: when, from which fixture, and the state it left each row in.

    `digests` maps "<model label>:<pk>" to a digest of the row's fields as loaded, so the next
    load can tell an editor's change (the row differs from what was loaded) from its own.
    """

    loaded_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    fixture = models.CharField(_("fil"), max_length=200)
    digests = models.JSONField(default=dict)
    changed = models.PositiveIntegerField(_("ändrade rader"), default=0)
    overwrote_edits = models.BooleanField(_("skrev över redaktörers ändringar"), default=False)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        verbose_name = _("inläsning av katalogen")
        verbose_name_plural = _("inläsningar av katalogen")

    def __str__(self) -> str:
        return f"{self.fixture} {self.loaded_at:%Y-%m-%d %H:%M}"
