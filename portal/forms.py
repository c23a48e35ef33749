"""Staff forms: sign-in and the second factor."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class StaffAuthenticationForm(AuthenticationForm):
    """Django's sign-in form (`username`, `password`) with plain Swedish messages."""

    error_messages = {
        "invalid_login": _(
            "Användarnamnet eller lösenordet stämmer inte. Kontrollera stora och små bokstäver. "
            "Efter tio felaktiga försök låses kontot en stund."
        ),
        "inactive": _("Kontot är inte aktivt. Kontakta den som administrerar kontona."),
    }


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
