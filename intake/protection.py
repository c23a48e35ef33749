"""What keeps the public forms safe from floods and bots, without bothering people.

- **Rate limit** per client and form through the shared cache (Redis in production), so the
  limit holds across workers and servers: at most `INTAKE_RATE_LIMIT` submissions per
  `INTAKE_RATE_WINDOW_SECONDS`. The client address is keyed-hashed before it becomes a cache
  key: no address is stored anywhere.
- **Honeypot**: a field people never see nor reach (off-screen, no tab stop, labelled "leave
  empty" for anyone who does); a bot that fills it gets a plain error, as a person would.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake import crypto
from portal.security import client_ip

HONEYPOT = "webbplats"


def over_rate_limit(request, kind: str) -> bool:
    """Count one submission attempt from this client; True when it is one too many."""
    key = "intake-rate:" + crypto.keyed_hash(f"rate:{kind}", client_ip(request) or "okand")
    window = settings.INTAKE_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.INTAKE_RATE_LIMIT


RATE_LIMIT_MESSAGE = _(
    "Du har skickat många formulär på kort tid, så vi tar inte emot fler just nu. "
    "Dina svar finns kvar. Vänta en stund och försök igen. Är det akut: ring 112."
)


class HoneypotForm(forms.Form):
    """Adds the honeypot field; render it with includes/honeypot.html."""

    webbplats = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_webbplats(self):
        if self.cleaned_data.get(HONEYPOT):
            raise ValidationError(_("Lämna fältet ”Lämna det här fältet tomt” tomt."))
        return ""
