"""Reading the client's address behind the proxy, for django-axes' per-client lockout."""

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
