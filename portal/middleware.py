"""Shared middleware: the security policy header, the page's municipality, staff session rules."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

SIGNED_IN_AT = "staff_signed_in_at"


class ContentSecurityPolicyMiddleware:
    """Sends the strict Content-Security-Policy from settings on every response.

    The admin needs no inline script either in Django 5.2, so one policy covers the whole site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class StaffSessionMiddleware:
    """Ends a staff session 12 hours after sign-in, whatever the activity, and keeps every page a
    signed-in person sees out of caches (`Cache-Control: no-store`).

    The 30-minute idle limit is the session's own expiry (SESSION_COOKIE_AGE, renewed by each
    request); the sign-in time is stamped by the staff_signed_in signal handler in portal.staff.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        staff_area = request.path_info.startswith(STAFF_PREFIXES)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            too_old = time.time() - (signed_in_at or 0) > settings.STAFF_SESSION_MAX_SECONDS
            if too_old:
                logout(request)
            staff_area = True
        response = self.get_response(request)
        if staff_area:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
        return response


STAFF_PREFIXES = ("/admin/", "/personal/", "/en/personal/")


class MunicipalityMiddleware:
    """Sets `request.municipality` (providers.municipalities.Place) for every request.

    Public pages take it from the host name (when pinned), `kommun=` or the default; a
    `kommun=` the portal does not know gets a page to choose one (404), never an error. Staff
    pages work in the staff member's own municipality and ignore the parameter. Without
    `kommun=` the municipality is read only when the page uses it, so the health checks and
    the outage page never wait for the database because of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from providers import municipalities

        municipalities.current_query.set("")
        if request.path_info.startswith(STAFF_PREFIXES):
            return self._respond(request, SimpleLazyObject(municipalities.default))
        if municipalities.PARAM not in request.GET:  # the pinned host's, or the default
            return self._respond(request, SimpleLazyObject(lambda: municipalities.resolve(request)))
        try:
            place = municipalities.resolve(request)
        except municipalities.UnknownMunicipality as unknown:
            from portal.views import choose_municipality

            self._set(request, SimpleLazyObject(municipalities.default))
            return choose_municipality(request, unknown=unknown.value)
        municipalities.current_query.set(municipalities.query_for(request, place))
        return self._respond(request, place)

    @staticmethod
    def _set(request, place) -> None:
        from providers import municipalities

        request.municipality = place
        municipalities.current_place.set(place)

    def _respond(self, request, place):
        self._set(request, place)
        return self.get_response(request)
