"""Shared middleware."""

from django.conf import settings


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
