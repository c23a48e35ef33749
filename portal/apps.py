"""The portal shell's app configs."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    default = True

    def ready(self):
        from portal import signals  # noqa: F401  (connects the sign-in handlers)


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that signs staff in through /personal/logga-in/ (with 2FA)."""

    default = False
    default_site = "portal.admin_site.StaffAdminSite"
