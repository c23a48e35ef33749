"""A shared cache of whole public pages, for every app server at once (Redis in production).

Only what any anonymous visitor would get: GET and HEAD of the public pages in `CACHED_VIEWS`,
status 200, no cookie set, no CSRF token used, not marked private or no-cache by the view
(the intake forms are `never_cache`), never for a signed-in person.

The key holds everything the page depends on: scheme, host, language, municipality, path and
the query's parameters (sorted by name, each name's values in their order), the code's release
(portal.release: during a rolling deploy neither release serves the other's pages) and the
catalogue version (providers.cache). Every catalogue write replaces the version when it commits, so
every app server misses at once and no page with an old phone number or name is served again.
A page also expires when anything it shows about opening hours changes ("open now, closes
17.00" at 17.00, "opens tomorrow" at midnight: providers.hours.note_change), and after
`settings.PAGE_CACHE_SECONDS` in any case (0 turns the cache off). That end is stored with the
page and checked on every read, so it holds on the app server's clock, not only the cache's.

A cache that fails (Redis down) is skipped: the page is rendered as if nothing were cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from providers import hours
from providers.cache import catalogue_version

logger = logging.getLogger(__name__)

# Public pages worth caching: what residents read, over and over.
CACHED_VIEWS = frozenset(
    {
        "home",
        "pathways:start",
        "pathways:step",
        "pathways:emergency",
        "pathways:result",
        "pathways:section",
        "providers:offering_list",
        "providers:offering_detail",
        "providers:provider_detail",
        "providers:openness",
        "providers:openness_csv",
        "frontdesk:slip",
        "frontdesk:slip_text",
    }
)
# A longer query is not a page a resident reached by following links: not worth a key.
MAX_QUERY_LENGTH = 2000
# Headers a cached response keeps; the outer middleware add the security headers again.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Frame-Options")
HIT_HEADER = "X-Page-Cache"


def page_key(request: HttpRequest) -> str:
    """The cache key: everything the page's bytes depend on."""
    params = request.GET
    query = "&".join(f"{name}={value}" for name in sorted(params) for value in params.getlist(name))
    place = getattr(request, "municipality", None)
    parts = [
        settings.RELEASE,  # a rolling deploy's other release renders other bytes
        catalogue_version(),
        request.scheme,
        request.get_host(),
        translation.get_language() or "",
        place.slug if place is not None else "",
        request.method == "HEAD" and "GET" or request.method,
        request.path,
        query,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def seconds_to_keep(now: dt.datetime, changes: list) -> int:
    """How long a page may be kept: until the first noted change, at most the setting."""
    keep = settings.PAGE_CACHE_SECONDS
    for when in changes:
        if when is None:
            return 0
        keep = min(keep, int((when - now).total_seconds()))
    return max(keep, 0)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._may_cache(request):
            return self.get_response(request)
        try:
            key = page_key(request)
            cached = caches["default"].get(key)
        except Exception:
            logger.warning("Page cache unavailable; rendering the page")
            return self.get_response(request)
        if cached is not None and timezone.now().timestamp() < cached.get("until", 0):
            return self._replay(cached)

        started = timezone.now()
        changes: list = []
        token = hours.next_change.set(changes)
        try:
            response = self.get_response(request)
        finally:
            hours.next_change.reset(token)
        keep = seconds_to_keep(started, changes)
        if keep > 0 and self._may_store(request, response):
            try:
                stored = self._stored(response, until=started.timestamp() + keep)
                caches["default"].set(key, stored, keep)
            except Exception:
                logger.warning("Page cache unavailable; page not stored")
        return response

    @staticmethod
    def _may_cache(request: HttpRequest) -> bool:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return False
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False  # a signed-in person or a draft in progress: their own pages
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in CACHED_VIEWS

    @staticmethod
    def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-cache", "no-store"))

    @staticmethod
    def _stored(response: HttpResponse, until: float) -> dict:
        # The page's own end, checked on every read: the cache's expiry runs on the cache
        # server's clock, and a page must not say "open" a second after the phone closes.
        return {
            "until": until,
            "content": response.content,
            "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
        }

    @staticmethod
    def _replay(cached: dict) -> HttpResponse:
        response = HttpResponse(cached["content"])
        for name, value in cached["headers"].items():
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response
