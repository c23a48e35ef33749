"""Sign-in protection beside django-axes: the client's address behind the proxy, and the
pause that slows repeated failures before axes locks."""

import math

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the outermost trusted proxy saw it.

    Each of PROXY_COUNT proxies appends the address it received the request from to
    X-Forwarded-For, so the trusted entry is the PROXY_COUNT-th from the right; everything left
    of it was sent by the client and could be forged to dodge a lockout. Without proxies, the
    socket's address.
    """
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


# After this many failed sign-ins for an account or from a client, each further try must wait:
# 1 s, then 2, 4, 8 … up to PAUSE_MAX_SECONDS after the last failure, until django-axes locks
# at AXES_FAILURE_LIMIT. Nothing sleeps on the server: a try that comes too early is answered
# at once, without checking the password, and does not count as a failure.
SLOW_AFTER_FAILURES = 3
PAUSE_MAX_SECONDS = 60


def sign_in_pause(request: HttpRequest, username: str) -> int:
    """Seconds before this account or client may try to sign in again (0: now)."""
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum
    from django.utils import timezone

    worst_failures, last_failure = 0, None
    for lookup in ({"username": username}, {"ip_address": client_ip(request)}):
        seen = AccessAttempt.objects.filter(**lookup).aggregate(
            failures=Sum("failures_since_start"), last=Max("attempt_time")
        )
        if (seen["failures"] or 0) > worst_failures:
            worst_failures, last_failure = seen["failures"], seen["last"]
    if worst_failures < SLOW_AFTER_FAILURES or last_failure is None:
        return 0
    pause = min(2 ** (worst_failures - SLOW_AFTER_FAILURES), PAUSE_MAX_SECONDS)
    waited = (timezone.now() - last_failure).total_seconds()
    return max(0, math.ceil(pause - waited))
