"""Municipalities (kommuner): each owns its providers, areas, staff and the providers that play
the guide's fixed roles (navigator, social office, emergency line)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from providers.models.base import Translated


class MunicipalityQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def real(self):
        """The municipalities residents choose among: not the generated test ones."""
        return self.filter(is_generated=False)


class Municipality(Translated, models.Model):
    """A kommun. Slugs are a public contract (DOMAIN.md): `kommun=<slug>` on every public page."""

    # `kommun=alla`: the whole country's catalogue (search only, never a municipality's slug).
    ALL = "alla"

    slug = models.SlugField(_("adressnamn"), unique=True, max_length=50)
    name = models.CharField(_("namn"), max_length=100)
    name_en = models.CharField(_("namn på engelska"), max_length=100, blank=True)
    code = models.CharField(_("kommunkod"), max_length=4, blank=True)
    # Who plays the guide's fixed roles here; another municipality's provider may play one
    # (Kinda's families are sent to Linköping's Sociala jouren, seed 000 §4.1.4).
    navigator = models.ForeignKey(
        "providers.Provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hjälper invånare att hitta rätt stöd"),
    )
    social_office = models.ForeignKey(
        "providers.Provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("socialkontoret (ansökningar och orosanmälningar)"),
    )
    emergency = models.ForeignKey(
        "providers.Provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("socialjour"),
    )
    navigation_offering = models.ForeignKey(
        "providers.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("insatsen för hjälp att hitta rätt stöd"),
    )
    report_offering = models.ForeignKey(
        "providers.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("insatsen för orosanmälan"),
    )
    is_generated = models.BooleanField(
        _("genererad testkommun"), default=False, help_text=_("Skapad av generate_catalogue.")
    )
    # Staff and editors of this municipality: they see only its rows. Administered by
    # superusers on the user's page.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staff_municipalities",
        verbose_name=_("personal och redaktörer"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


def default_municipality_id() -> int:
    """The default municipality (settings.DEFAULT_MUNICIPALITY): where a provider created
    without one belongs. Created when missing with only its slug, so a catalogue can be
    started from nothing; the catalogue fixture fills in its name and roles."""
    municipality, _created = Municipality.objects.get_or_create(slug=settings.DEFAULT_MUNICIPALITY)
    return municipality.pk
