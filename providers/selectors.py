"""Composed reads for the catalogue pages."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone

from providers import phones
from providers.cache import catalogue_cache
from providers.hours import Status
from providers.models import ContactPoint, Provider, Translated


@dataclass
class ContactWithHours:
    point: ContactPoint
    status: Status | None
    week: list  # [(date, [(opens, closes)], holiday name or None, is_today)]


def contacts_with_hours(points) -> list[ContactWithHours]:
    """Each contact point with its open-now status and this week's hours, Monday first."""
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timezone.timedelta(days=today.weekday())
    rows = []
    for point in points:
        if not point.has_hours():
            rows.append(ContactWithHours(point, None, []))
            continue
        schedule = point.schedule()
        week = [(d, iv, h, d == today) for d, iv, h in schedule.week(monday)]
        rows.append(ContactWithHours(point, schedule.status(now), week))
    return rows


def provider_for_page(*, include_unpublished: bool = False) -> QuerySet[Provider]:
    providers = Provider.objects.all() if include_unpublished else Provider.objects.published()
    return providers.prefetch_related(
        "locations__area",
        Prefetch(
            "contact_points", queryset=ContactPoint.with_hours().filter(offering__isnull=True)
        ),
    )


def can_preview(user, model_name: str) -> bool:
    """Editors may open unpublished listings on the public pages to preview them."""
    return user.is_authenticated and user.has_perm(f"providers.change_{model_name}")


def query_string_without_page(params: QueryDict) -> str:
    params = params.copy()
    params.pop("sida", None)
    return params.urlencode()


# --- The phone numbers in the page shell ---------------------------------------------------------

# The providers whose numbers every page may show are the municipality's in the guide's roles
# (providers.municipalities.Place): emergency line, navigator, social office.
SHELL_CACHE_NAME = "shell-contacts"  # under the catalogue version (providers.cache)
# Written on every database read, never expires: what pages show while the database is down.
SHELL_LAST_KNOWN_KEY = "shell-contacts:last-known"
SHELL_FIXTURES = [
    settings.BASE_DIR / "fixtures" / "catalogue.json",
    settings.BASE_DIR / "fixtures" / "kommuner.json",
]
SHELL_FIELDS = (
    "provider",
    "offering",
    "value",
    "label",
    "label_en",
    "is_on_call",
    "provider_name",
    "provider_name_en",
)
SHELL_COLUMNS = (
    "provider__slug",
    "offering__slug",
    "value",
    "label",
    "label_en",
    "is_on_call",
    "provider__name",
    "provider__name_en",
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShellPhone:
    """One phone line the page shell shows, as the catalogue has it."""

    label: str
    label_en: str
    value: str  # as stored: +4613207526

    @property
    def number(self) -> str:
        return phones.display(self.value)

    @property
    def href(self) -> str:
        return phones.tel_href(self.value)

    @property
    def label_text(self) -> str:
        return Translated.tr(self, "label")


@dataclass(frozen=True)
class ShellContacts:
    """The numbers the shell shows: Sociala jouren, Mottagningen, socialkontoret's lines.

    112 is not here: it is the national emergency number, not a fact of the catalogue.
    """

    jour: ShellPhone | None
    mottagningen: ShellPhone | None
    socialkontoret: tuple[ShellPhone, ...]  # its general lines, in the editors' order
    orosanmalan: ShellPhone | None  # where a report of concern about a child is phoned in
    # The providers' slugs and names ("" when the municipality has none in that role).
    names: tuple[tuple[str, str, str, str], ...] = ()  # (role, slug, name, name_en)

    def name(self, role: str) -> str:
        for found, _slug, name, name_en in self.names:
            if found == role:
                return Translated.tr(_Named(name, name_en), "name")
        return ""

    def slug(self, role: str) -> str:
        return next((slug for found, slug, _name, _en in self.names if found == role), "")


@dataclass(frozen=True)
class _Named:
    name: str
    name_en: str


def shell_contacts(place=None) -> ShellContacts:
    """The shell's numbers for a municipality (default: the default one) from the catalogue;
    never raises, so error pages can use it too.

    Read from the catalogue cache, else the database (then cached under the catalogue version,
    and kept without expiry as the last known copy), else that last known copy, else
    fixtures/catalogue.json. A number the database lacks (a catalogue not loaded yet) is taken
    from the fixture, so the emergency line never vanishes from the page.
    """
    from providers import municipalities

    if place is None:
        try:
            place = municipalities.default()
        except Exception:  # the database is down: the fixture's roles for the default
            logger.info("Shell contacts: municipalities unavailable, using the fixture")
            place = municipalities.fixture_default()
    roles = place.roles
    try:
        rows = _shell_rows(place.slug, tuple(roles.providers))
    except Exception:  # the shell must render whatever failed
        logger.exception("Shell contacts: no catalogue rows; using the fixture")
        rows = []
    contacts = _shell_pick(rows, roles)
    if contacts.jour and contacts.mottagningen and contacts.socialkontoret:
        return contacts
    fallback = _shell_pick(_shell_fixture_rows(), roles)
    return ShellContacts(
        jour=contacts.jour or fallback.jour,
        mottagningen=contacts.mottagningen or fallback.mottagningen,
        socialkontoret=contacts.socialkontoret or fallback.socialkontoret,
        orosanmalan=contacts.orosanmalan or fallback.orosanmalan,
        names=contacts.names or fallback.names,
    )


def _shell_rows(slug: str, providers: tuple[str, ...]) -> list[dict]:
    """Phone rows of the municipality's role providers: cached under the catalogue version (so
    an editor's save shows everywhere at once), else the last known copy when the database is
    down."""
    try:
        return catalogue_cache.get_or_set(
            f"{SHELL_CACHE_NAME}:{slug}", lambda: _shell_rows_from_database(slug, providers)
        )
    except Exception:  # database down, or the request's transaction already broken
        # Info, not warning: the failed request is already logged once, on one line.
        logger.info("Shell contacts: database unavailable, using the last known copy")
        return _cache_get(f"{SHELL_LAST_KNOWN_KEY}:{slug}") or []


def _shell_rows_from_database(slug: str, providers: tuple[str, ...]) -> list[dict]:
    rows = [
        dict(zip(SHELL_FIELDS, row, strict=True))
        for row in ContactPoint.objects.filter(
            provider__slug__in=providers, kind=ContactPoint.Kind.PHONE
        )
        .order_by("position", "pk")
        .values_list(*SHELL_COLUMNS)
    ]
    # Providers without a phone row still give their names.
    named = {row["provider"] for row in rows}
    rows += [
        {"provider": p_slug, "provider_name": name, "provider_name_en": name_en, "value": ""}
        for p_slug, name, name_en in Provider.objects.filter(slug__in=providers).values_list(
            "slug", "name", "name_en"
        )
        if p_slug not in named
    ]
    _cache_set(f"{SHELL_LAST_KNOWN_KEY}:{slug}", rows, None)
    return rows


def _shell_pick(rows: list[dict], roles) -> ShellContacts:
    """Choose the shell's lines from phone rows (position order): known full numbers only."""

    def phone(row: dict) -> ShellPhone:
        return ShellPhone(row["label"], row["label_en"] or "", row["value"])

    usable = [
        row
        for row in rows
        if row.get("provider") in roles.providers
        and phones.tel_href(row.get("value") or "").startswith("tel:+")
    ]
    names = {}
    for row in rows:
        if row.get("provider_name"):
            names.setdefault(row["provider"], (row["provider_name"], row.get("provider_name_en")))

    def general(slug: str) -> list[dict]:
        lines = [r for r in usable if r["provider"] == slug and not r["offering"]]
        return [r for r in lines if not r["is_on_call"]] + [r for r in lines if r["is_on_call"]]

    jour = general(roles.emergency)
    mottagningen = general(roles.navigator)
    office = [r for r in general(roles.authority) if not r["is_on_call"]]
    report = [
        r
        for r in usable
        if r["provider"] == roles.authority
        and r["offering"] == roles.report_offering
        and not r["is_on_call"]
    ]
    role_providers = {
        "jour": roles.emergency,
        "mottagningen": roles.navigator,
        "socialkontoret": roles.authority,
    }
    return ShellContacts(
        names=tuple(
            (role, slug, *names[slug]) for role, slug in role_providers.items() if slug in names
        ),
        jour=phone(jour[0]) if jour else None,
        mottagningen=phone(mottagningen[0]) if mottagningen else None,
        socialkontoret=tuple(phone(r) for r in office),
        orosanmalan=phone((report or office)[0]) if report or office else None,
    )


@functools.lru_cache(maxsize=1)
def _shell_fixture_rows() -> list[dict]:
    """The phone rows (and provider names) of the catalogue fixtures, the last resort (read
    once per process)."""
    data = []
    for path in SHELL_FIXTURES:
        try:
            data += json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.exception("Shell contacts: cannot read %s", path)
    rows = []
    for item in data:
        fields = item.get("fields", {})
        if item.get("model") == "providers.provider":
            rows.append(
                {
                    "provider": fields.get("slug"),
                    "provider_name": fields.get("name", ""),
                    "provider_name_en": fields.get("name_en", ""),
                    "value": "",
                    "position": 10**6,
                }
            )
            continue
        if item.get("model") != "providers.contactpoint" or fields.get("kind") != "telefon":
            continue
        rows.append(
            {
                "provider": (fields.get("provider") or [None])[0],
                "offering": (fields.get("offering") or [None])[0],
                "value": phones.normalise_or_keep(fields.get("value", "")),
                "label": fields.get("label", ""),
                "label_en": fields.get("label_en", ""),
                "is_on_call": fields.get("is_on_call", False),
                "position": fields.get("position", 0),
            }
        )
    return sorted(rows, key=lambda row: row["position"])


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # Redis down: read on as if the cache were empty
        logger.warning("Shell contacts: cache unavailable")
        return None


def _cache_set(key: str, value, timeout: int | None) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Shell contacts: cache unavailable")
