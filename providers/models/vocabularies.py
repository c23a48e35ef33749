"""The fixed vocabularies: needs, areas and methods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from providers import cache as catalogue
from providers.models.base import Translated

# --- Vocabularies -------------------------------------------------------------------------------


class VocabularyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Vocabulary(Translated, models.Model):
    slug = models.SlugField(_("kod"), unique=True)
    name = models.CharField(_("namn"), max_length=100)
    name_en = models.CharField(_("namn på engelska"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def label(self) -> str:
        return self.tr("name")

    @classmethod
    def cached(cls, *, cache: catalogue.CatalogueCache | None = None) -> list:
        """All rows, from the catalogue cache: read on every page, changed only by editors.

        Keyed by the catalogue version, which the services replace on every catalogue write,
        so no app server shows an old label after an edit. `cache` stands for another server
        in tests.
        """
        rows = (cache or catalogue.catalogue_cache).get_or_set(
            f"vocabulary:{cls._meta.label_lower}", lambda: list(cls.objects.all())
        )
        return list(rows)  # a copy: callers may sort or filter it, the cached list stays whole


class Need(Vocabulary):
    """What the support is about (behov): the fixed vocabulary of DOMAIN.md."""

    explanation = models.CharField(_("lättläst förklaring"), max_length=300)
    explanation_en = models.CharField(_("förklaring på engelska"), max_length=300, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("behov")
        verbose_name_plural = _("behov")


class Area(Vocabulary):
    """A part of a municipality (område); `hela-kommunen` (no municipality of its own) means the
    whole of the offering's municipality."""

    WHOLE_MUNICIPALITY = "hela-kommunen"

    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="areas",
        verbose_name=_("kommun"),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("område")
        verbose_name_plural = _("områden")


class Method(Vocabulary):
    """A named way of working (MI, CRA, FFT, …) with a plain explanation for residents."""

    explanation = models.CharField(_("förklaring"), max_length=400, blank=True)
    explanation_en = models.CharField(_("förklaring på engelska"), max_length=400, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("metod")
        verbose_name_plural = _("metoder")
