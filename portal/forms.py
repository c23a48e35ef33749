"""Staff forms: sign-in and the second factor."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.security import sign_in_pause


class StaffAuthenticationForm(AuthenticationForm):
    """Django's sign-in form (`username`, `password`) with plain Swedish messages."""

    error_messages = {
        "invalid_login": _(
            "Användarnamnet eller lösenordet stämmer inte. Kontrollera stora och små bokstäver. "
            "Efter tio felaktiga försök låses kontot en stund."
        ),
        "inactive": _("Kontot är inte aktivt. Kontakta den som administrerar kontona."),
    }

    def clean(self):
        # Checked before the password: a try that comes too soon costs no hashing. A locked
        # account or client goes on to django-axes' backend, which refuses it with the lock.
        username = self.cleaned_data.get("username") or ""
        locked = AxesProxyHandler.is_locked(self.request, {"username": username})
        pause = 0 if locked else sign_in_pause(self.request, username)
        if pause:
            raise ValidationError(
                ngettext(
                    "Flera försök har misslyckats. Vänta %(seconds)d sekund och försök igen.",
                    "Flera försök har misslyckats. Vänta %(seconds)d sekunder och försök igen.",
                    pause,
                ),
                code="paused",
                params={"seconds": pause},
            )
        return super().clean()


class CodeField(forms.CharField):
    """A code as people type it: spaces anywhere ("123 456") and capitals are fine."""

    def to_python(self, value):
        return "".join(super().to_python(value).split()).lower()


class OTPTokenForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the backup codes."""

    otp_token = CodeField(
        label=_("Kod"),
        max_length=20,
        help_text=_("Sex siffror från appen, eller en av dina reservkoder."),
        validators=[
            RegexValidator(
                r"^[0-9a-z]{6,16}$",
                _("Skriv koden med siffror, till exempel 123456."),
                code="format",
            )
        ],
        error_messages={"required": _("Skriv koden från appen.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
