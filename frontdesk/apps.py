from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    """Mottagningen's console, the referral slip, the call log and its statistics."""

    name = "frontdesk"
    verbose_name = _("Mottagningen")
