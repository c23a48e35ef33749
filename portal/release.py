"""Which release of the code this app server runs: part of every shared cache key.

During a rolling deploy, servers of two releases share one Redis. A page cached by the old
release (its markup, its hashed CSS name, its wording) must never be served by the new one,
nor a value cached in an old shape be read by new code, so both the page cache
(portal.page_cache) and the catalogue cache (providers.cache) key their entries by release.

`DJANGO_RELEASE` names it (a commit id from the deploy pipeline); without it, the release is
a fingerprint of what the pages are made of: the code, templates, translations and static
sources under the project directory, read once at start-up (a few milliseconds).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# What a page's bytes come from; tests, benchmarks and local data do not change a page.
SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".json"})
SKIPPED = frozenset({".venv", "var", "tests", "bench", "node_modules", ".git", "__pycache__"})


def fingerprint(root: Path) -> str:
    """A short digest of every page-making file under `root`: names and contents."""
    digest = hashlib.sha256()
    for path in sorted(_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _files(folder: Path):
    for entry in folder.iterdir():
        if entry.name in SKIPPED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _files(entry)
        elif entry.suffix in SUFFIXES:
            yield entry
