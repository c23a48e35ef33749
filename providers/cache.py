"""The catalogue version, and what is cached under it: one token every app server agrees on.

Everything cached from the catalogue (the vocabularies now, whole pages later) is stored under
a key that includes the version. The services replace the version when a catalogue write
commits, so every server misses at once, without anyone having to find and delete old keys;
entries under an old version are never read again and simply expire.

The version lives in the shared cache (Redis in production, see settings.CACHES). Each server
also keeps what it read in its own memory, keyed by the same version, so a page that lists
twenty offerings asks the shared cache for the version once, not for the rows twenty times.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

VERSION_KEY = "catalogue:version"
# Old versions' entries are never read again; the timeout only gives their memory back.
ENTRY_SECONDS = 60 * 60

logger = logging.getLogger(__name__)

# The version each CatalogueCache read during the current request (None outside requests):
# one request sees one catalogue, and asks the shared cache for the version only once.
_request_versions: ContextVar[dict[int, str] | None] = ContextVar(
    "catalogue_versions", default=None
)


def _new_token() -> str:
    return secrets.token_hex(8)


class CatalogueCache:
    """Catalogue data for one app server: its own memory over the shared cache, both keyed
    by the catalogue version in the shared cache."""

    def __init__(self, shared: BaseCache | None = None) -> None:
        # None: the process's default cache, looked up per call (Django's are per thread).
        self._shared = shared
        # (version, values) in one attribute, so a thread never pairs one version's values
        # with another's tag.
        self._local: tuple[str | None, dict[str, Any]] = (None, {})

    @property
    def shared(self) -> BaseCache:
        return self._shared if self._shared is not None else caches["default"]

    def version(self) -> str:
        """The current catalogue version, created on first use."""
        memo = _request_versions.get()
        if memo is not None and id(self) in memo:
            return memo[id(self)]
        version = self.shared.get(VERSION_KEY)
        if version is None:
            # add() writes only when the key is missing, so servers that start together keep
            # whichever token came first; each reads back the one that won.
            self.shared.add(VERSION_KEY, _new_token(), timeout=None)
            # A cache that stores nothing (DummyCache) gives a new version each time: no caching.
            version = self.shared.get(VERSION_KEY) or _new_token()
        if memo is not None:
            memo[id(self)] = version
        return version

    def bump(self) -> str:
        """Replace the version: everything cached under the old one is never read again."""
        version = _new_token()
        self.shared.set(VERSION_KEY, version, timeout=None)
        memo = _request_versions.get()
        if memo is not None:
            memo[id(self)] = version
        return version

    def get_or_set(self, name: str, compute: Callable[[], Any]) -> Any:
        """The value cached as `name` under the current version, computed once if missing."""
        try:
            version = self.version()
        except Exception:
            # Redis unreachable: without the version nothing cached can be trusted, so read
            # the database; the public pages keep working, only slower.
            logger.warning("Catalogue cache unavailable; reading the database")
            return compute()
        local_version, local = self._local
        if local_version != version:
            # A new version: drop this server's copies of the old catalogue.
            local = {}
            self._local = (version, local)
        if name in local:
            return local[name]
        # The release too: a value cached in an old release's shape is never read by new code.
        key = f"catalogue:{settings.RELEASE}:{version}:{name}"
        try:
            value = self.shared.get(key)
        except Exception:
            logger.warning("Catalogue cache unavailable; reading the database")
            return compute()
        if value is None:
            value = compute()
            try:
                self.shared.set(key, value, ENTRY_SECONDS)
            except Exception:
                logger.warning("Catalogue cache unavailable; %s not shared", name)
        local[name] = value
        return value


# This process's catalogue cache; tests build others to stand for other app servers.
catalogue_cache = CatalogueCache()


def catalogue_version() -> str:
    """The version pages and other caches key their entries by."""
    return catalogue_cache.version()


def catalogue_version_bump_on_commit() -> None:
    """Replace the version once the current transaction has committed.

    Not before: a server reading the new version while the write is still uncommitted would
    cache the old rows under it, and keep serving them until the next edit.
    """
    transaction.on_commit(_bump_after_commit)


def _bump_after_commit() -> None:
    # The write has committed: an unreachable cache must not turn it into an error page.
    try:
        catalogue_cache.bump()
    except Exception:
        logger.exception("Catalogue version not replaced: cached pages may be stale")


def request_started(**kwargs) -> None:
    _request_versions.set({})


def request_finished(**kwargs) -> None:
    _request_versions.set(None)
