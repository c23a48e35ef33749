"""Offerings (insatser): the road to each kind of support, and the search dictionary."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers import hours, vocabulary
from providers.models.base import ReviewedListing, Translated
from providers.models.contacts import ContactPoint, HoursException, WeeklyHours
from providers.models.provider import Provider
from providers.models.vocabularies import Area, Method, Need
from providers.search import search_words

# --- Offerings ----------------------------------------------------------------------------------


def ages_text(min_age: int | None, max_age: int | None) -> str:
    """Who an offering is for by age, in the page's language: "18–64 år", "Från 18 år"."""
    if min_age is None and max_age is None:
        return gettext("Alla åldrar")
    if max_age is None:
        return gettext("Från %(min)s år") % {"min": min_age}
    if min_age is None:
        return gettext("Upp till %(max)s år") % {"max": max_age}
    return gettext("%(min)s–%(max)s år") % {"min": min_age, "max": max_age}


class Route(models.TextChoices):
    """How a resident gets the support: call directly, apply for bistånd, or either."""

    SERVICE = "service", _("Kontakta direkt (servicetjänst)")
    BISTAND = "bistand", _("Kräver ansökan om bistånd")
    SERVICE_OCH_BISTAND = "service-och-bistand", _("Kontakta direkt eller ansök om bistånd")
    # The municipality has not said whether an application is needed (DOMAIN.md): never shown
    # as "no application needed", listed in the guide's own `okand-vag` section.
    OKAND = "okand", _("Kommunen har inte angett om du kan kontakta dem direkt")

    @classmethod
    def with_service(cls) -> list[str]:
        return [cls.SERVICE, cls.SERVICE_OCH_BISTAND]


class Format(models.TextChoices):
    INDIVIDUAL = "individuellt", _("Enskilda samtal")
    GROUP = "grupp", _("Grupp")
    FAMILY = "familj", _("Familjesamtal")
    PHONE = "telefon", _("Telefon")
    HOME_VISITS = "hembesok", _("Hembesök")
    DROP_IN = "drop-in", _("Drop-in")
    HOUSING = "boende", _("Boende")
    ACTIVITY = "verksamhet", _("Daglig verksamhet")


class Language(models.TextChoices):
    """Languages an offering can be given in, as editors choose them in the admin.

    The values are what `Offering.languages` has always held (Swedish names, comma-separated),
    so older rows and the fixture keep working; the labels are translated for the English pages.
    The common languages of Linköping's residents, Swedish Sign Language, and the national
    minority language Finnish.
    """

    SWEDISH = "svenska", _("svenska")
    ENGLISH = "engelska", _("engelska")
    ARABIC = "arabiska", _("arabiska")
    SOMALI = "somaliska", _("somaliska")
    TIGRINYA = "tigrinja", _("tigrinja")
    PERSIAN = "persiska", _("persiska")
    DARI = "dari", _("dari")
    KURDISH = "kurdiska", _("kurdiska")
    BCS = "bosniska/kroatiska/serbiska", _("bosniska, kroatiska, serbiska")
    POLISH = "polska", _("polska")
    TURKISH = "turkiska", _("turkiska")
    FINNISH = "finska", _("finska")
    SPANISH = "spanska", _("spanska")
    RUSSIAN = "ryska", _("ryska")
    UKRAINIAN = "ukrainska", _("ukrainska")
    SIGN = "teckenspråk", _("svenskt teckenspråk")

    @staticmethod
    def split(text: str) -> list[str]:
        """The stored comma-separated text as a list of values."""
        return [part.strip() for part in (text or "").split(",") if part.strip()]

    @classmethod
    def join(cls, values) -> str:
        """The text to store: chosen values in the list's order, then any older free text."""
        chosen = set(values)
        known = [v for v in cls.values if v in chosen]
        return ", ".join(known + [v for v in values if v not in cls.values])


class LegalBasis(models.TextChoices):
    SOL = "SoL", _("Socialtjänstlagen (SoL)")
    LSS = "LSS", _("Lagen om stöd och service (LSS)")
    SOL_LSS = "SoL/LSS", _("SoL eller LSS")
    LVU_LVM = "LVU/LVM", _("Tvångslagarna LVU och LVM")
    OTHER = "annan", _("Annan")


def _search_vector_column(queryset) -> Col:
    """The generated `search_vector` column (PostgreSQL only, so not a model field), as a
    column of the query's own table alias.

    A Col, not raw SQL naming "providers_offering": when the search is used as a subquery
    (`pk__in=search.values("pk")`), Django renames its table alias (U0) and a Col follows,
    whereas raw SQL would keep pointing at the outer query's row and turn the subquery into a
    correlated one, evaluated again for every row of the outer query.
    """
    field = SearchVectorField()
    # Only its column: bound to a name and model, Django would look the field up on Offering
    # (to compare or pickle the query) and not find it.
    field.column = "search_vector"
    return Col(queryset.query.get_initial_alias(), field)


class OfferingQuerySet(models.QuerySet):
    """Composable, side-effect-free reads of the catalogue."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self):
        # A subquery on the few unpublished providers (a partial index holds them) instead of
        # a join, so counting and filtering read the offering indexes alone (SQL: NOT
        # provider_id IN (SELECT id ... NOT is_published)). Hashing the thousands of published
        # providers instead cost about 2 ms a query at national scale.
        return self.filter(is_published=True).exclude(
            provider_id__in=Provider.objects.filter(is_published=False).values("pk")
        )

    def for_place(self, place):
        """Offerings for residents of a municipality (providers.municipalities.Place): its own
        and other municipalities' that also take them. The whole country: every offering."""
        if place is None or place.id is None:
            return self
        if place.served_ids:
            # Two indexed conditions OR-ed: the served ids are a short list, not a subquery.
            return self.filter(Q(municipality_id=place.id) | Q(pk__in=place.served_ids))
        return self.filter(municipality_id=place.id)

    def for_age(self, age: int):
        # A missing bound means "no limit": NULL min_age admits everyone from birth. Compared
        # through COALESCE, as the guide does: "max_age IS NULL OR …" made PostgreSQL read a
        # bitmap of every offering without an upper age (tens of thousands).
        return self.alias(
            _age_from=Coalesce("min_age", 0), _age_to=Coalesce("max_age", 1000)
        ).filter(_age_from__lte=age, _age_to__gte=age)

    def for_needs(self, needs):
        """Offerings that address at least one of the needs (slugs or Need objects)."""
        slugs = [getattr(need, "slug", need) for need in needs]
        if not slugs:
            return self
        # SQL: WHERE needs_mask & :mask <> 0 — one row, no join, each offering once.
        wanted = vocabulary.mask(slugs, vocabulary.NEED_BITS)
        return self.alias(_needs_hit=F("needs_mask").bitand(wanted)).exclude(_needs_hit=0)

    def with_route(self, routes):
        return self.filter(route__in=list(routes))

    def in_area(self, area):
        """Offerings serving the area, counting city-wide ones (hela-kommunen) everywhere."""
        slug = getattr(area, "slug", area)
        wanted = vocabulary.mask([slug, Area.WHOLE_MUNICIPALITY], vocabulary.AREA_BITS)
        return self.alias(_area_hit=F("areas_mask").bitand(wanted)).exclude(_area_hit=0)

    def city_wide(self):
        """Offerings for the whole municipality (not only some of its areas)."""
        return self.in_area(Area.WHOLE_MUNICIPALITY)

    def open_at(self, when: dt.datetime):
        """Offerings with a contact point (phone, reception) open at `when`.

        Idea in SQL: EXISTS (contact point of the offering, or of its provider when the offering
        has none of its own, with a weekly interval covering the local weekday and time, on a
        day without a closing exception), OR an exception that opens it specially that day.
        Public holidays close ordinary hours unless the contact point stays open on holidays.
        """
        hours.note_change(None)  # which offerings are open changes at any moment
        local = timezone.localtime(when) if timezone.is_aware(when) else when
        day, time = local.date(), local.time()
        holiday = hours.is_holiday(day)

        exception_today = HoursException.objects.filter(contact_point=OuterRef("pk"), date=day)
        regular = WeeklyHours.objects.filter(
            contact_point=OuterRef("pk"), weekday=day.weekday(), opens__lte=time, closes__gt=time
        )
        special = exception_today.filter(is_closed=False, opens__lte=time, closes__gt=time)
        ordinary = Exists(regular) & ~Exists(exception_today)
        if holiday:
            ordinary &= Q(open_on_holidays=True)
        open_points = ContactPoint.objects.filter(ordinary | Exists(special))
        own = open_points.filter(offering=OuterRef("pk"))
        has_own = ContactPoint.objects.filter(offering=OuterRef("pk"))
        inherited = open_points.filter(provider=OuterRef("provider"), offering__isnull=True)
        return self.filter(Exists(own) | (~Exists(has_own) & Exists(inherited)))

    def search(self, text: str):
        """Offerings matching the words, best first on PostgreSQL.

        PostgreSQL: Swedish full-text search (stemming: "samtal" finds "samtalen") over the
        generated `search_vector` column, ranked; when that finds nothing, misspelt words are
        replaced by the most similar catalogue words (SearchTerm, trigrams) and it searches
        again ("alkohl" → "alkohol"). SQLite: every word must occur in the lower-cased text.
        """
        words = search_words(text)
        if not words:
            return self
        if connection.vendor != "postgresql":
            qs = self
            for word in words:
                qs = qs.filter(search_text__contains=word)
            return qs
        query = SearchQuery(" ".join(words), config="pg_catalog.swedish", search_type="plain")
        qs = self.all()
        full_text = (
            qs.annotate(search_vector=_search_vector_column(qs))
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(F("search_vector"), query))
        )
        if full_text.exists():
            return full_text.order_by("-search_rank", "name", "pk")
        corrected = SearchTerm.corrections(words)
        if corrected == words:
            return full_text
        return self.search(" ".join(corrected))

    def for_detail(self):
        return self.select_related("provider").prefetch_related("methods", "locations")


class Offering(Translated, ReviewedListing):
    """An insats: one kind of support a provider gives, and the road to it."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("utförare")
    )
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    slug = models.SlugField(_("adressnamn"), unique=True, max_length=100)
    # The provider's municipality, copied here (services.offering_derived_fields) so the guide
    # filters on one indexed column; `serves`: other municipalities whose residents it also takes.
    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        related_name="offerings",
        editable=False,
        null=True,
        verbose_name=_("kommun"),
    )
    serves = models.ManyToManyField(
        "providers.Municipality",
        blank=True,
        related_name="served_by",
        verbose_name=_("tar också emot invånare från"),
    )
    summary = models.TextField(
        _("lättläst sammanfattning"), help_text=_("Två–tre korta meningar i lättläst svenska.")
    )
    summary_en = models.TextField(_("sammanfattning på engelska"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)

    route = models.CharField(_("väg in"), max_length=20, choices=Route.choices, db_index=True)
    route_conditions = models.TextField(
        _("villkor för vägen in"),
        blank=True,
        help_text=_(
            "Till exempel: upp till 6 timmar i veckan som service, mer efter biståndsbeslut."
        ),
    )
    route_conditions_en = models.TextField(_("villkor på engelska"), blank=True)
    service_hours_cap = models.PositiveSmallIntegerField(
        _("högst timmar i veckan som service"), null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("lägsta ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("högsta ålder"), null=True, blank=True)
    needs = models.ManyToManyField(Need, related_name="offerings", verbose_name=_("behov"))
    areas = models.ManyToManyField(Area, related_name="offerings", verbose_name=_("områden"))
    methods = models.ManyToManyField(
        Method, related_name="offerings", blank=True, verbose_name=_("metoder")
    )
    locations = models.ManyToManyField(
        "Location", related_name="offerings", blank=True, verbose_name=_("platser")
    )

    # Who may get in touch (the guide's `vem`).
    accepts_self = models.BooleanField(_("personen själv kan höra av sig"), default=True)
    accepts_parent = models.BooleanField(_("föräldrar kan höra av sig"), default=False)
    accepts_relative = models.BooleanField(_("närstående kan få stöd"), default=False)
    accepts_professional = models.BooleanField(_("yrkespersoner kan höra av sig"), default=False)

    anonymity_possible = models.BooleanField(_("går att vara anonym"), default=False)
    languages = models.CharField(
        _("språk"),
        max_length=200,
        default="svenska",
        help_text=_("Väljs i en lista; sparas kommaseparerat, t.ex. svenska, engelska."),
    )
    legal_basis = models.CharField(
        _("lagstöd"), max_length=10, choices=LegalBasis.choices, default=LegalBasis.SOL
    )
    formats = models.JSONField(_("former"), default=list, blank=True)
    response_promise_days = models.PositiveSmallIntegerField(
        _("löfte: dagar till personligt samtal"), null=True, blank=True
    )
    response_promise = models.CharField(
        _("löfte i ord"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel: Personligt samtal inom två veckor."),
    )
    response_promise_en = models.CharField(_("löfte på engelska"), max_length=300, blank=True)

    # Derived from the fields and relations above by services.offering_reindex (never edited):
    # lower-cased text for search, and the needs and areas as bit masks (providers.vocabulary)
    # so the guide and the filters need no joins.
    search_text = models.TextField(editable=False, blank=True, default="")
    needs_mask = models.BigIntegerField(editable=False, default=0)
    areas_mask = models.BigIntegerField(editable=False, default=0)

    history = HistoricalRecords(
        m2m_fields=[needs, areas, methods],
        excluded_fields=["search_text", "needs_mask", "areas_mask", "municipality"],
    )
    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        indexes = [
            models.Index(fields=["is_published", "route"], name="offering_pub_route"),
            models.Index(fields=["min_age", "max_age"], name="offering_ages"),
            models.Index(fields=["name", "id"], name="offering_name"),
            # Covers every column the guide filters and ranks on, so PostgreSQL can answer
            # from the index alone instead of reading the wide rows (SQLite: a plain index).
            models.Index(
                fields=["municipality", "is_published", "route"],
                include=[
                    "id",
                    "needs_mask",
                    "areas_mask",
                    "min_age",
                    "max_age",
                    "accepts_self",
                    "accepts_parent",
                    "accepts_relative",
                    "accepts_professional",
                    "anonymity_possible",
                    "service_hours_cap",
                    "provider",
                    "slug",
                ],
                name="offering_guide",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="offering_min_age_lte_max_age",
                violation_error_message=_("Lägsta ålder kan inte vara högre än högsta ålder."),
            ),
            models.CheckConstraint(
                condition=~Q(route="bistand") | Q(service_hours_cap__isnull=True),
                name="offering_bistand_has_no_service_cap",
                violation_error_message=_(
                    "En insats som bara ges efter biståndsbeslut kan inte ha ett timtak för service."  # noqa: E501
                ),
            ),
            models.CheckConstraint(
                condition=Q(route__in=[r.value for r in Route]),
                name="offering_route_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:offering_detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        # The one derived column a new row must have at once: without it the guide cannot
        # find the offering (services.offering_derived_fields keeps it right afterwards).
        if self.provider_id is not None:
            self.municipality_id = self.provider.municipality_id
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def clean(self) -> None:
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = ValidationError(
                _("Högsta ålder måste vara samma som eller högre än lägsta ålder."),
                code="age_range",
            )
        if self.route == Route.BISTAND and self.service_hours_cap is not None:
            errors["service_hours_cap"] = ValidationError(
                _("Ta bort timtaket: insatsen ges bara efter biståndsbeslut, inte som service."),
                code="cap_without_service",
            )
        unknown = set(self.formats or []) - set(Format.values)
        if unknown:
            errors["formats"] = ValidationError(
                _("Okänd form: %(forms)s."),
                params={"forms": ", ".join(sorted(unknown))},
                code="format",
            )
        if errors:
            raise ValidationError(errors)

    # --- Reading helpers for templates ---------------------------------------------------------

    @property
    def has_service_route(self) -> bool:
        return self.route in Route.with_service()

    @property
    def needs_application(self) -> bool:
        return self.route == Route.BISTAND

    def audiences(self) -> list[str]:
        return [vem for vem, flag in vocabulary.AUDIENCE_FLAGS.items() if getattr(self, flag)]

    def accepts(self, audience: str) -> bool:
        return audience in self.audiences()

    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [labels[f] for f in self.formats or [] if f in labels]

    def language_labels(self) -> list[str]:
        """The languages in the page's language; older free text is shown as it was typed."""
        labels = dict(Language.choices)
        return [labels.get(value, value) for value in Language.split(self.languages)]

    def age_text(self) -> str:
        return ages_text(self.min_age, self.max_age)

    def all_contact_points(self) -> list[ContactPoint]:
        """The offering's own contacts, or its provider's general ones when it has none.

        Uses the rows ContactPoint.attach() loaded, when it did.
        """
        if hasattr(self, "_contact_points"):
            return self._contact_points
        own = list(self.contact_points.all())
        return own or list(self.provider.contact_points.filter(offering__isnull=True))

    def need_list(self) -> list[Need]:
        return [n for n in Need.cached() if self.needs_mask & vocabulary.NEED_BITS.get(n.slug, 0)]

    def area_list(self) -> list[Area]:
        return [a for a in Area.cached() if self.areas_mask & vocabulary.AREA_BITS.get(a.slug, 0)]

    def first_phone(self) -> ContactPoint | None:
        """The main public phone: the offering's own, else the provider's (not an on-call line)."""
        phones = [p for p in self.all_contact_points() if p.kind == ContactPoint.Kind.PHONE]
        regular = [p for p in phones if not p.is_on_call]
        return (regular or phones or [None])[0]

    def phone_status(self, now: dt.datetime | None = None) -> hours.Status | None:
        """Open/closed status of the main phone, when both its number and hours are known."""
        phone = self.first_phone()
        if phone is None or not phone.is_known or not phone.has_hours():
            return None
        return phone.status(now)


class SearchTerm(models.Model):
    """Every word that occurs in the catalogue's search text: the dictionary for typo fixes.

    A misspelt query word is replaced by the most similar catalogue word (pg_trgm, on
    PostgreSQL), so "alkohl" searches for "alkohol". Rebuilt with the search text.
    """

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("sökord")
        verbose_name_plural = _("sökord")

    def __str__(self) -> str:
        return self.word

    @classmethod
    def corrections(cls, words: list[str]) -> list[str]:
        """Each word, or the most similar known word when it is unknown (PostgreSQL only)."""
        if connection.vendor != "postgresql":
            return words
        known = set(cls.objects.filter(word__in=words).values_list("word", flat=True))
        fixed = []
        for word in words:
            if word in known:
                fixed.append(word)
                continue
            # `word %> query` (word similarity, index-backed) also matches inside Swedish
            # compounds; among the matches the most similar whole word wins.
            best = (
                cls.objects.filter(word__trigram_word_similar=word)
                .annotate(similarity=TrigramSimilarity("word", word))
                .order_by("-similarity", "word")
                .values_list("word", flat=True)
                .first()
            )
            fixed.append(best or word)
        return fixed


class SearchPosting(models.Model):
    """One word of one listed offering with its rank for that word: the catalogue search's
    precomputed index (PostgreSQL only; providers.ranked_search reads it, services keep it).

    `lexeme` is the Swedish stem as the offering's `search_vector` has it, `rank` is
    `ts_rank(search_vector, lexeme)`, so the best offerings for a word are the first rows of
    an index instead of a ranking of every match; `name` orders equal ranks as the list does.
    Several words: each word's rows in offering order (the second index) are merged, so only
    offerings with every word are read twice, not every posting of every word.
    Only offerings a resident can see (published, with a published provider) have rows.
    """

    lexeme = models.TextField()
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    rank = models.FloatField()

    class Meta:
        indexes = [
            models.Index(
                "lexeme", F("rank").desc(), "name", "offering", name="posting_lexeme_rank"
            ),
            # The foreign key's own index serves deletes by offering.
            models.Index(
                fields=["lexeme", "offering"],
                include=["rank", "name"],
                name="posting_lexeme_offering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme}: {self.offering_id}"
