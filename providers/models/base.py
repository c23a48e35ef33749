"""Shared pieces of the catalogue's models: translated fields and the review state."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translated:
    """Reads `<field>_en` when the page is in English, falling back to the Swedish field."""

    def tr(self, field: str) -> str:
        if (get_language() or "sv").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    # Template-friendly names: {{ offering.name_text }} is the name in the page's language.
    name_text = property(lambda self: self.tr("name"))
    summary_text = property(lambda self: self.tr("summary"))
    description_text = property(lambda self: self.tr("description"))
    explanation_text = property(lambda self: self.tr("explanation"))
    route_conditions_text = property(lambda self: self.tr("route_conditions"))
    response_promise_text = property(lambda self: self.tr("response_promise"))


class ReviewedListing(models.Model):
    """Fields every editable listing shares: publication and the editors' review state."""

    is_published = models.BooleanField(_("publicerad"), default=True)
    last_reviewed = models.DateField(_("senast granskad"), null=True, blank=True)
    missing_facts = models.TextField(
        _("uppgifter som saknas"),
        blank=True,
        help_text=_(
            "Skriv vad som behöver kontrolleras. Listningen visas då under ”Behöver granskas”."
        ),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True

    def review_due(self, today: dt.date | None = None) -> bool:
        from django.conf import settings

        today = today or timezone.localdate()
        stale = today - dt.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return bool(self.missing_facts) or self.last_reviewed is None or self.last_reviewed < stale
