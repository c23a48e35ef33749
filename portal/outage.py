"""When the database is down or hangs: recognise it, answer at once, and log it on one line.

Django turns an exception in a view or middleware into `handler500` while the exception is being
handled; `portal.views.server_error` asks `database_unavailable()` and, if so, answers 503 with
the friendly page instead of 500. The timeouts that make a failure quick are in settings
(DATABASES: connect_timeout, statement_timeout).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import InterfaceError, OperationalError, connections

# An outage is a connection that fails, drops or times out; a bad query (IntegrityError,
# ProgrammingError, ...) is a bug and stays a 500 with its traceback.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def outage_error(exc: BaseException | None) -> BaseException | None:
    """The outage error behind `exc` (itself or what caused it), if there is one."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGE_ERRORS):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def database_unavailable() -> bool:
    """Whether the exception being handled now is the database failing."""
    return outage_error(sys.exc_info()[1]) is not None


# True while the outage page is being rendered (database_refused): code with a fallback for a
# missing database uses it then, and otherwise lets the outage error through, so the request
# fails once, at once, instead of waiting out the timeout again at the next query.
_refusing: ContextVar[bool] = ContextVar("database_refused", default=False)


def refusing() -> bool:
    return _refusing.get()


def _refuse() -> None:
    raise OperationalError("database unavailable: not tried again while showing the outage page")


@contextmanager
def database_refused() -> Iterator[None]:
    """Any database use in the block fails at once instead of waiting out another connect or
    statement timeout: the outage page reads nothing it cannot do without.

    Connections are per thread, so this touches only the current request's connections.
    """
    patched = connections.all()
    for connection in patched:
        connection.ensure_connection = _refuse
    token = _refusing.set(True)
    try:
        yield
    finally:
        _refusing.reset(token)
        for connection in patched:
            del connection.ensure_connection


class OutageOnOneLine(logging.Filter):
    """Logs a request that failed for an outage as one line with the error's class.

    Every request fails alike during an outage, so a traceback each (90 lines) would bury the
    log. The line has the path (never the query string) and the error's class, never its
    message, which for a failed statement could quote the query.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = outage_error(record.exc_info[1]) if record.exc_info else None
        if error is not None:
            cause = error.__cause__
            kind = type(error).__name__
            if cause is not None:
                kind += f" ({type(cause).__module__}.{type(cause).__qualname__})"
            record.msg = f"{record.getMessage()}: database unavailable, {kind}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
