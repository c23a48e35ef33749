"""The application's draft between steps: in the session only, and only encrypted.

A biståndsansökan is filled in over several pages, so its answers must live somewhere until the
person sends it. They live in the person's own session, as one Fernet token (intake.crypto): the
session table (or cache) never holds a name, personnummer or description in plaintext, and a
leaked session row reads as noise without the intake key. Nothing becomes an `Application`
until the person sends it on the check page; then the draft is removed.

The draft expires with the session: SESSION_COOKIE_AGE (30 minutes) after the last request, and
when the browser closes. A draft that is older than that by its own clock is treated as gone as
well, whatever the session backend does, and a token that no key can read (after a key was
dropped) likewise: the person starts again, with a plain message, never an error page.

What the session holds under `DRAFT_KEY` decrypts to JSON:
`{"v": 1, "started": <epoch>, "touched": <epoch>, "answers": {<step>: {<field>: <value>}}}`.
The receipt shown after sending (`RECEIPT_KEY`) holds the reference and a few non-personal facts.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from django.conf import settings

from intake import crypto

DRAFT_KEY = "intake_application_draft"
RECEIPT_KEY = "intake_application_receipt"
VERSION = 1


@dataclass
class Draft:
    answers: dict[str, dict] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    touched: float = field(default_factory=time.time)
    # The page's municipality (providers.municipalities.Place), set by the view, never stored:
    # the municipality travels in the URL (`kommun=`), the draft only holds the answers.
    place: object = field(default=None, compare=False)

    def step(self, name: str) -> dict | None:
        return self.answers.get(name)

    def set_step(self, name: str, data: dict) -> None:
        self.answers[name] = data

    def drop_step(self, name: str) -> None:
        self.answers.pop(name, None)


def _idle_limit() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def load(request) -> Draft | None:
    """The person's draft, or None when there is none, it expired or cannot be read."""
    token = request.session.get(DRAFT_KEY)
    if not token:
        return None
    try:
        data = json.loads(crypto.decrypt(token))
    except (crypto.InvalidToken, ValueError, TypeError):
        discard(request)
        return None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        discard(request)
        return None
    touched = float(data.get("touched") or 0)
    if time.time() - touched > _idle_limit():
        discard(request)
        return None
    answers = data.get("answers")
    return Draft(
        answers=answers if isinstance(answers, dict) else {},
        started=float(data.get("started") or touched),
        touched=touched,
    )


def save(request, draft: Draft) -> None:
    """Store the draft encrypted in the session (never the plaintext)."""
    draft.touched = time.time()
    payload = {
        "v": VERSION,
        "started": draft.started,
        "touched": draft.touched,
        "answers": draft.answers,
    }
    request.session[DRAFT_KEY] = crypto.encrypt(json.dumps(payload, ensure_ascii=False))


def start(request) -> Draft:
    """A new, empty draft (any earlier one and any old receipt are dropped)."""
    request.session.pop(RECEIPT_KEY, None)
    draft = Draft()
    save(request, draft)
    return draft


def discard(request) -> None:
    request.session.pop(DRAFT_KEY, None)


def keep_receipt(request, receipt: dict) -> None:
    request.session[RECEIPT_KEY] = receipt


def receipt(request) -> dict | None:
    value = request.session.get(RECEIPT_KEY)
    return value if isinstance(value, dict) else None
