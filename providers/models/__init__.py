"""The catalogue: providers (utförare), their offerings (insatser), places, contacts and hours.

Names follow Open Referral HSDS 3.0 where they fit (organization ≈ Provider, service ≈ Offering,
location, phone/contact, schedule, service_area, taxonomy ≈ Need). HSDS has no access route,
no anonymity flag and no phone hours; those are ours.

A package along the catalogue's sections; every name is importable from `providers.models`.
"""

from providers.models.base import ReviewedListing, Translated
from providers.models.contacts import ContactPoint, HoursException, Location, WeeklyHours
from providers.models.municipality import Municipality, MunicipalityQuerySet
from providers.models.offering import (
    Format,
    Language,
    LegalBasis,
    Offering,
    OfferingQuerySet,
    Route,
    SearchPosting,
    SearchTerm,
)
from providers.models.provider import CatalogueLoad, Provider, ProviderQuerySet
from providers.models.staff_facts import OfferingStaffFacts
from providers.models.vocabularies import (
    Area,
    Method,
    Need,
    Vocabulary,
    VocabularyQuerySet,
)
from providers.vocabulary import Audience  # the `vem` vocabulary, defined once

__all__ = [
    "Area",
    "Audience",
    "CatalogueLoad",
    "ContactPoint",
    "Format",
    "HoursException",
    "Language",
    "LegalBasis",
    "Location",
    "Method",
    "Municipality",
    "MunicipalityQuerySet",
    "Need",
    "Offering",
    "OfferingQuerySet",
    "OfferingStaffFacts",
    "Provider",
    "ProviderQuerySet",
    "ReviewedListing",
    "Route",
    "SearchPosting",
    "SearchTerm",
    "Translated",
    "Vocabulary",
    "VocabularyQuerySet",
    "WeeklyHours",
]
