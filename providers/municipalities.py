"""Which municipality a public page is about, and what the pages need to know of it.

A resident chooses the municipality on the start page and the choice travels in the URL
(`kommun=<slug>`, DOMAIN.md), never in a cookie, so a shared link shows the same page. Without
it the page is about `settings.DEFAULT_MUNICIPALITY` (Linköping), so every older URL keeps
working; a deployment may instead pin one municipality per host name
(`settings.MUNICIPALITY_HOSTS`). `kommun=alla` means the whole country, for search.

The municipalities are read once per catalogue version (providers.cache), so resolving one
costs no query on an ordinary page, and an editor's change reaches every app server at once.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from providers.cache import catalogue_cache

logger = logging.getLogger(__name__)

PARAM = "kommun"
ALL = "alla"

# The `kommun=…` the current request's links carry (set by portal.middleware; "" = none).
current_query: ContextVar[str] = ContextVar("kommun_query", default="")
# The current request's municipality (portal.middleware), for code without the request: the
# forms' choices of areas. None outside requests: the default municipality.
current_place: ContextVar = ContextVar("kommun_place", default=None)


def current() -> Place:
    place = current_place.get()
    return place if place is not None else default()


def areas_of(place: Place) -> list:
    """The areas a resident of the municipality can choose among (not `hela-kommunen`).

    An area without a municipality is the default municipality's: Linköping's areas are
    older than municipalities (until the catalogue fixture names their municipality)."""
    from providers.models import Area

    default_slug = settings.DEFAULT_MUNICIPALITY
    return [
        area
        for area in Area.cached()
        if area.slug != Area.WHOLE_MUNICIPALITY
        and (
            (area.municipality_id is not None and area.municipality_id == place.id)
            or (area.municipality_id is None and place.slug == default_slug)
        )
    ]


@dataclass(frozen=True)
class Place:
    """A municipality as the public pages see it: plain values, safe to cache.

    The roles are provider and offering slugs (routing.Roles): who helps residents find the
    right support, where applications and reports of concern go, the emergency line.
    `served_ids`: other municipalities' offerings that also take this one's residents.
    """

    id: int | None
    slug: str
    name: str
    name_en: str = ""
    navigator: str = ""
    social_office: str = ""
    emergency: str = ""
    navigation_offering: str = ""
    report_offering: str = ""
    is_generated: bool = False
    served_ids: tuple[int, ...] = ()
    # The ids of the providers in two roles, for the guide's SQL (pathways.selectors): their
    # offerings have sections of their own. None when no provider plays the role.
    emergency_id: int | None = None
    social_office_id: int | None = None
    # The social office's site (its provider's website): where a resident finds the
    # municipality's switchboard number when the catalogue has no number to call.
    website: str = ""

    @property
    def website_name(self) -> str:
        """The site as a person reads it aloud: "kinda.se" for https://www.kinda.se/omsorg."""
        text = self.website.strip()
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
        return host.removeprefix("www.")

    @property
    def is_all(self) -> bool:
        return self.slug == ALL

    @property
    def label(self) -> str:
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def roles(self):
        from pathways.routing import Roles

        return Roles(
            navigator=self.navigator,
            authority=self.social_office,
            emergency=self.emergency,
            navigation_offering=self.navigation_offering,
            report_offering=self.report_offering,
        )


WHOLE_COUNTRY = Place(id=None, slug=ALL, name="Hela landet", name_en="The whole country")


class UnknownMunicipality(Exception):
    """`kommun=` named no municipality the portal knows."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(value)


def places() -> dict[str, Place]:
    """Every municipality by slug, from the catalogue cache (one read per version)."""
    from portal import outage

    try:
        return catalogue_cache.get_or_set("municipalities", _places_from_database)
    except Exception as error:
        if outage.outage_error(error) is not None and not outage.refusing():
            raise  # the request fails now, once, and gets the outage page
        # Showing the outage page (or a broken query): the fixture's municipalities, so the
        # shell still has its numbers.
        logger.info("Municipalities: database unavailable, using the fixture")
        return _places_from_fixture()


def _places_from_database() -> dict[str, Place]:
    from providers.models import Municipality, Offering

    served: dict[int, list[int]] = {}
    through = Offering.serves.through.objects.filter(offering__is_published=True)
    for offering_id, municipality_id in through.values_list("offering_id", "municipality_id"):
        served.setdefault(municipality_id, []).append(offering_id)
    rows = Municipality.objects.values(
        "id",
        "slug",
        "name",
        "name_en",
        "is_generated",
        "navigator__slug",
        "social_office__slug",
        "social_office__website",
        "emergency__slug",
        "navigation_offering__slug",
        "report_offering__slug",
        "emergency_id",
        "social_office_id",
    )
    return {
        row["slug"]: Place(
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            name_en=row["name_en"],
            navigator=row["navigator__slug"] or "",
            social_office=row["social_office__slug"] or "",
            emergency=row["emergency__slug"] or "",
            navigation_offering=row["navigation_offering__slug"] or "",
            report_offering=row["report_offering__slug"] or "",
            is_generated=row["is_generated"],
            website=row["social_office__website"] or "",
            emergency_id=row["emergency_id"],
            social_office_id=row["social_office_id"],
            served_ids=tuple(sorted(served.get(row["id"], ()))),
        )
        for row in rows
    }


@functools.lru_cache(maxsize=1)
def _places_from_fixture() -> dict[str, Place]:
    from providers.services import CATALOGUE_FIXTURES, fixture_path

    found = {}
    for name in CATALOGUE_FIXTURES:
        try:
            rows = json.loads(fixture_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for row in rows:
            if row.get("model") != "providers.municipality":
                continue
            fields = row["fields"]

            def slug(name, fields=fields):
                return (fields.get(name) or [""])[0]

            found[fields["slug"]] = Place(
                id=None,
                slug=fields["slug"],
                name=fields["name"],
                name_en=fields.get("name_en", ""),
                navigator=slug("navigator"),
                social_office=slug("social_office"),
                emergency=slug("emergency"),
                navigation_offering=slug("navigation_offering"),
                report_offering=slug("report_offering"),
            )
    return found


def choices() -> list[Place]:
    """The municipalities a resident chooses among (not the generated test ones), by name."""
    return sorted((p for p in places().values() if not p.is_generated), key=lambda p: p.name)


def default() -> Place:
    slug = settings.DEFAULT_MUNICIPALITY
    place = places().get(slug)
    if place is not None and place.roles.providers:
        return place
    # A catalogue not loaded yet (or a municipality created before its roles were set): the
    # fixture's roles, so the shell still has its numbers.
    known = _places_from_fixture().get(slug) or Place(id=None, slug=slug, name="")
    if place is None:
        return known
    return dataclasses.replace(
        known, id=place.id, name=known.name or place.name, served_ids=place.served_ids
    )


def fixture_default() -> Place:
    """The default municipality as the catalogue fixture has it (no database needed)."""
    slug = settings.DEFAULT_MUNICIPALITY
    return _places_from_fixture().get(slug) or Place(id=None, slug=slug, name="")


def pinned_slug(request: HttpRequest) -> str | None:
    """The municipality this host name is pinned to, if the deployment pins one."""
    hosts = settings.MUNICIPALITY_HOSTS
    if not hosts:
        return None
    return hosts.get(request.get_host().split(":")[0].lower())


def resolve(request: HttpRequest) -> Place:
    """The page's municipality: the host's pinned one, else `kommun=`, else the default.

    Raises UnknownMunicipality for a `kommun=` no municipality has.
    """
    pinned = pinned_slug(request)
    if pinned:
        return places().get(pinned) or default()
    value = request.GET.get(PARAM, "").strip().lower()
    if not value:
        return default()
    if value == ALL:
        return WHOLE_COUNTRY
    place = places().get(value)
    if place is None:
        raise UnknownMunicipality(value)
    return place


def query_for(request: HttpRequest, place: Place | None = None) -> str:
    """`kommun=<slug>` to carry on the page's links, or "" when the URL need not say it
    (the default municipality, or a host pinned to one)."""
    place = place if place is not None else getattr(request, "municipality", None)
    if place is None or pinned_slug(request):
        return ""
    if place.slug == settings.DEFAULT_MUNICIPALITY:
        return ""
    return f"{PARAM}={place.slug}"


def by_id(municipality_id: int | None) -> Place | None:
    for place in places().values():
        if place.id == municipality_id:
            return place
    return None


def follow_listing(request: HttpRequest, municipality_id: int | None) -> None:
    """A listing's page is about the listing's municipality, unless the URL or the host says
    which one: its numbers, its links to apply and report, its guide."""
    if PARAM in request.GET or pinned_slug(request):
        return
    place = by_id(municipality_id)
    if place is None:
        return
    request.municipality = place
    current_place.set(place)
    current_query.set(query_for(request, place))
