"""The admin site, behind the same sign-in as the rest of the staff area."""

from functools import update_wrapper
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import permissions


class StaffAdminSite(admin.AdminSite):
    """Editors and superusers only, signed in with two factors where that is required.

    The admin's own login form is never shown: anyone not yet signed in goes to the staff
    sign-in (django-axes and 2FA apply there); a signed-in person without access gets 403.
    """

    site_header = _("Stödportalen – redigering")
    site_title = _("Stödportalen")
    index_title = _("Katalogen")

    def has_permission(self, request) -> bool:
        return permissions.may_use_admin(request.user) and permissions.is_verified(request)

    def admin_view(self, view, cacheable=False):
        """Django's check, but a signed-in person without access gets 403, not a login form."""
        inner = super().admin_view(view, cacheable)

        def refuse_or_continue(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return self.login(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(refuse_or_continue, view)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active:
            if not permissions.is_verified(request):
                return redirect(permissions.second_factor_url(request, request.get_full_path()))
            raise PermissionDenied
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(reverse("staff:login") + "?" + urlencode({"next": target}))
