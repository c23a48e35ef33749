"""The catalogue: providers (utförare), their offerings (insatser), places, contacts and hours.

Names follow Open Referral HSDS 3.0 where they fit (organization ≈ Provider, service ≈ Offering,
location, phone/contact, schedule, service_area, taxonomy ≈ Need). HSDS has no access route,
no anonymity flag and no phone hours; those are ours.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers import hours, vocabulary
from providers.search import search_words


class Translated:
    """Reads `<field>_en` when the page is in English, falling back to the Swedish field."""

    def tr(self, field: str) -> str:
        if (get_language() or "sv").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    # Template-friendly names: {{ offering.name_text }} is the name in the page's language.
    name_text = property(lambda self: self.tr("name"))
    summary_text = property(lambda self: self.tr("summary"))
    description_text = property(lambda self: self.tr("description"))
    explanation_text = property(lambda self: self.tr("explanation"))
    route_conditions_text = property(lambda self: self.tr("route_conditions"))
    response_promise_text = property(lambda self: self.tr("response_promise"))


# --- Vocabularies -------------------------------------------------------------------------------


VOCABULARY_CACHE_SECONDS = 300


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
    def cached(cls) -> list:
        """All rows, from the cache: the vocabularies are read on every page and rarely change.

        Kept for VOCABULARY_CACHE_SECONDS per process; the admin clears it on save.
        """
        key = f"vocabulary:{cls._meta.label_lower}"
        rows = cache.get(key)
        if rows is None:
            rows = list(cls.objects.all())
            cache.set(key, rows, VOCABULARY_CACHE_SECONDS)
        return rows

    @classmethod
    def clear_cache(cls) -> None:
        cache.delete(f"vocabulary:{cls._meta.label_lower}")


class Need(Vocabulary):
    """What the support is about (behov): the fixed vocabulary of DOMAIN.md."""

    explanation = models.CharField(_("lättläst förklaring"), max_length=300)
    explanation_en = models.CharField(_("förklaring på engelska"), max_length=300, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("behov")
        verbose_name_plural = _("behov")


class Area(Vocabulary):
    """A part of the municipality (område); `hela-kommunen` means the whole municipality."""

    WHOLE_MUNICIPALITY = "hela-kommunen"

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


# --- Providers ----------------------------------------------------------------------------------


class ReviewedListing(models.Model):
    """Fields every editable listing shares: publication and the editors' review state."""

    is_published = models.BooleanField(_("publicerad"), default=True)
    last_reviewed = models.DateField(_("senast granskad"), null=True, blank=True)
    missing_facts = models.TextField(
        _("uppgifter som saknas"),
        blank=True,
        help_text=_(
            "Skriv vad som behöver kontrolleras. Listningen visas då under ”Behöver granskas”."
        ),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True

    def review_due(self, today: dt.date | None = None) -> bool:
        from django.conf import settings

        today = today or timezone.localdate()
        stale = today - dt.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return bool(self.missing_facts) or self.last_reviewed is None or self.last_reviewed < stale


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
        WITH_REGION = "med-regionen", _("Tillsammans med Region Östergötland")
        AUTHORITY = "myndighet", _("Myndighet (socialkontoret)")

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
    website = models.URLField(_("webbplats"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    contracting_committee = models.CharField(_("avtalande nämnd"), max_length=200, blank=True)
    contract_period = models.CharField(
        _("avtalsperiod"), max_length=100, blank=True, help_text=_("Till exempel 2022–2026.")
    )
    staff_and_competences = models.TextField(_("personal och kompetens"), blank=True)
    collaborators = models.TextField(_("samarbetar med"), blank=True)

    history = HistoricalRecords()
    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("utförare")
        verbose_name_plural = _("utförare")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:provider_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


# --- Offerings ----------------------------------------------------------------------------------


class Route(models.TextChoices):
    """How a resident gets the support: call directly, apply for bistånd, or either."""

    SERVICE = "service", _("Kontakta direkt (servicetjänst)")
    BISTAND = "bistand", _("Kräver ansökan om bistånd")
    SERVICE_OCH_BISTAND = "service-och-bistand", _("Kontakta direkt eller ansök om bistånd")

    @classmethod
    def with_service(cls) -> list[str]:
        return [cls.SERVICE, cls.SERVICE_OCH_BISTAND]


class Audience(models.TextChoices):
    """Who is getting in touch (`vem` in the guide)."""

    SELF = "jag", _("Jag söker stöd för mig själv")
    CHILD = "barn", _("Jag söker stöd för mitt barn")
    RELATIVE = "narstaende", _("Jag står nära någon som har det svårt")
    PROFESSIONAL = "yrkesperson", _("Jag arbetar med någon som behöver stöd")


class Format(models.TextChoices):
    INDIVIDUAL = "individuellt", _("Enskilda samtal")
    GROUP = "grupp", _("Grupp")
    FAMILY = "familj", _("Familjesamtal")
    PHONE = "telefon", _("Telefon")
    HOME_VISITS = "hembesok", _("Hembesök")
    DROP_IN = "drop-in", _("Drop-in")
    HOUSING = "boende", _("Boende")
    ACTIVITY = "verksamhet", _("Daglig verksamhet")


class LegalBasis(models.TextChoices):
    SOL = "SoL", _("Socialtjänstlagen (SoL)")
    LSS = "LSS", _("Lagen om stöd och service (LSS)")
    SOL_LSS = "SoL/LSS", _("SoL eller LSS")
    LVU_LVM = "LVU/LVM", _("Tvångslagarna LVU och LVM")
    OTHER = "annan", _("Annan")


class OfferingQuerySet(models.QuerySet):
    """Composable, side-effect-free reads of the catalogue."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self):
        # A subquery on the few providers instead of a join, so counting and filtering can
        # read the offering indexes alone (SQL: provider_id IN (SELECT id ... is_published)).
        return self.filter(
            is_published=True,
            provider_id__in=Provider.objects.filter(is_published=True).values("pk"),
        )

    def for_age(self, age: int):
        # A missing bound means "no limit": NULL min_age admits everyone from birth.
        return self.filter(Q(min_age__isnull=True) | Q(min_age__lte=age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=age)
        )

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
        vector = RawSQL(
            '"providers_offering"."search_vector"', [], output_field=SearchVectorField()
        )
        full_text = (
            self.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(F("search_vector"), query))
        )
        if full_text.exists():
            return full_text.order_by("-search_rank", "name", "pk")
        corrected = SearchTerm.corrections(words)
        if corrected == words:
            return full_text
        return self.search(" ".join(corrected))

    def for_listing(self):
        """What a list row shows besides contacts (see ContactPoint.attach): the provider.

        Needs and areas come from the masks and the cached vocabularies, not from queries.
        """
        return self.select_related("provider").defer(
            "description", "description_en", "search_text", "missing_facts"
        )

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
        help_text=_("Kommaseparerade, t.ex. svenska, engelska."),
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
        excluded_fields=["search_text", "needs_mask", "areas_mask"],
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
                fields=["is_published", "route"],
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
        flags = {
            Audience.SELF: self.accepts_self,
            Audience.CHILD: self.accepts_parent,
            Audience.RELATIVE: self.accepts_relative,
            Audience.PROFESSIONAL: self.accepts_professional,
        }
        return [value for value, on in flags.items() if on]

    def accepts(self, audience: str) -> bool:
        return audience in self.audiences()

    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [labels[f] for f in self.formats or [] if f in labels]

    def age_text(self) -> str:
        from django.utils.translation import gettext as _g

        if self.min_age is None and self.max_age is None:
            return _g("Alla åldrar")
        if self.max_age is None:
            return _g("Från %(min)s år") % {"min": self.min_age}
        if self.min_age is None:
            return _g("Upp till %(max)s år") % {"max": self.max_age}
        return _g("%(min)s–%(max)s år") % {"min": self.min_age, "max": self.max_age}

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
        Offering,
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
        help_text=_("Skriv ”uppgift saknas” om numret inte är känt – hitta aldrig på ett nummer."),
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
        return f"{self.label}: {self.value}"

    @classmethod
    def with_hours(cls):
        """Contact points with their weekly hours and the exceptions a page can still show
        (this week's, from Monday on), in three queries."""
        recent = timezone.localdate() - dt.timedelta(days=7)
        return cls.objects.prefetch_related(
            "weekly_hours",
            models.Prefetch("exceptions", HoursException.objects.filter(date__gte=recent)),
        )

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
        return bool(self.value) and "saknas" not in self.value.lower()

    @property
    def href(self) -> str:
        if not self.is_known:
            return ""
        if self.kind == self.Kind.PHONE:
            return "tel:" + "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
        if self.kind == self.Kind.EMAIL:
            return "mailto:" + self.value
        if self.kind == self.Kind.WEB:
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
