"""The fixed vocabularies' codes (DOMAIN.md) and their bit positions.

Needs and areas are a public contract: the guide's query parameters use these slugs. Each has a
fixed bit so an offering's needs and areas can also be stored as two integers (needs_mask,
areas_mask): the guide and the catalogue filter and rank on them without joins, which keeps
pages fast with tens of thousands of offerings. Never reorder: append new codes at the end.
"""

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
AREAS = ["hela-kommunen", "centrum", "ryd", "berga", "lambohov", "skaggetorp", "landeryd"]

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
