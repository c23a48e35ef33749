"""The catalogue: providers (utförare), their offerings (insatser), places, contacts and hours.

Names follow Open Referral HSDS 3.0 where they fit (organization ≈ Provider, service ≈ Offering,
location, phone/contact, schedule, service_area, taxonomy ≈ Need). HSDS has no access route,
no anonymity flag and no phone hours; those are ours.

A package along the catalogue's sections; every name is importable from `providers.models`.
"""

from providers.models.base import ReviewedListing, Translated
from providers.models.contacts import ContactPoint, HoursException, Location, WeeklyHours
from providers.models.offering import (
    Audience,
    Format,
    LegalBasis,
    Offering,
    OfferingQuerySet,
    Route,
    SearchTerm,
)
from providers.models.provider import CatalogueLoad, Provider, ProviderQuerySet
from providers.models.vocabularies import (
    VOCABULARY_CACHE_SECONDS,
    Area,
    Method,
    Need,
    Vocabulary,
    VocabularyQuerySet,
)

__all__ = [
    "VOCABULARY_CACHE_SECONDS",
    "Area",
    "Audience",
    "CatalogueLoad",
    "ContactPoint",
    "Format",
    "HoursException",
    "LegalBasis",
    "Location",
    "Method",
    "Need",
    "Offering",
    "OfferingQuerySet",
    "Provider",
    "ProviderQuerySet",
    "ReviewedListing",
    "Route",
    "SearchTerm",
    "Translated",
    "Vocabulary",
    "VocabularyQuerySet",
    "WeeklyHours",
]
