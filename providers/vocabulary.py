"""The fixed vocabularies' codes (DOMAIN.md) and their bit positions.

Needs and areas are a public contract: the guide's query parameters use these slugs. Each has a
fixed bit so an offering's needs and areas can also be stored as two integers (needs_mask,
areas_mask): the guide and the catalogue filter and rank on them without joins, which keeps
pages fast with tens of thousands of offerings. Never reorder: append new codes at the end.

Who is asking (`vem`) is defined here once, with the words the guide uses for each answer; the
guide's forms, its decision and its SQL all derive from `Audience` and `AUDIENCE_FLAGS`.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

NEEDS = [
    "psykisk-ohalsa",
    "neuropsykiatri",
    "missbruk",
    "familj",
    "separation",
    "vald",
    "kris",
    "vardagsstod",
    "sysselsattning",
    "bostad",
    "ekonomi",
]
AREAS = [
    "hela-kommunen",
    # Linköping
    "centrum",
    "ryd",
    "berga",
    "lambohov",
    "skaggetorp",
    "landeryd",
    # Nacka (seed 004)
    "orminge",
    "fisksatra",
    "alta",
    "sicklaon",
]

NEED_BITS = {slug: 1 << position for position, slug in enumerate(NEEDS)}
AREA_BITS = {slug: 1 << position for position, slug in enumerate(AREAS)}


def mask(slugs, bits: dict[str, int]) -> int:
    """The OR of the slugs' bits; unknown slugs add nothing."""
    value = 0
    for slug in slugs:
        value |= bits.get(slug, 0)
    return value


def unmask(value: int, bits: dict[str, int]) -> frozenset[str]:
    return frozenset(slug for slug, bit in bits.items() if value & bit)


class Audience(TextChoices):
    """Who is asking (`vem`): the answer to the guide's "Vem söker du stöd för?"."""

    SELF = "jag", _("Mig själv")
    CHILD = "barn", _("Mitt barn")
    RELATIVE = "narstaende", _("Jag står nära någon som har det svårt, och vill ha stöd själv")
    PROFESSIONAL = "yrkesperson", _("Någon jag möter i mitt arbete")


# The Offering field that says such a person may get in touch (or get support of their own).
AUDIENCE_FLAGS = {
    Audience.SELF: "accepts_self",
    Audience.CHILD: "accepts_parent",
    Audience.RELATIVE: "accepts_relative",
    Audience.PROFESSIONAL: "accepts_professional",
}
