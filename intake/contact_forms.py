"""The contact request's forms: the resident's form (DOMAIN.md's field names) and the provider
staff's small forms for moving a request on (contacted, closed, declined).

The phone number and the e-mail address are the intake forms' shared fields
(intake.contact_fields: a Swedish number, stored in E.164). At least one of them is needed, or
the provider cannot get in touch.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.contact_fields import ContactEmailField, SwedishPhoneField
from intake.models import ContactRequest
from intake.protection import HoneypotForm

NAME_MAX_LENGTH = 100
MESSAGE_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 500
YES = "ja"


WHEN_CHOICES = [
    ("formiddag", _("Förmiddag (8–12)")),
    ("eftermiddag", _("Eftermiddag (12–17)")),
    ("kvall", _("Kväll (efter 17)")),
    ("spelar-ingen-roll", _("Det spelar ingen roll")),
]


def when_label(value: str) -> str:
    """The label of a stored `nar` value; an unknown value is shown as it is."""
    return str(dict(WHEN_CHOICES).get(value, value))


class YesCheckbox(forms.CheckboxInput):
    """A checkbox that sends `ja` (DOMAIN.md) and passes on exactly what came, for the field
    to judge."""

    def format_value(self, value):
        return YES

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("checked", None)
        if value is True or value == YES:
            context["widget"]["attrs"]["checked"] = True
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")

    def value_omitted_from_data(self, data, files, name):
        return False  # an unticked box sends nothing: that is an answer (no)


class YesField(forms.Field):
    """True when the box sent `ja`, False when it sent nothing; anything else is refused."""

    widget = YesCheckbox

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, "", False):
            return False
        if value is True or value == YES:
            return True
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class ContactRequestForm(HoneypotForm):
    """`/stod/<slug>/kontakta/`: who to ask for, how to reach them, when, and how discreetly."""

    namn = forms.CharField(
        label=_("Vad ska de kalla dig?"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": _("Skriv ett namn de kan fråga efter. Ett förnamn räcker."),
            "max_length": _("Skriv ett kortare namn, högst %(limit_value)d tecken."),
        },
    )
    telefon = SwedishPhoneField(
        label=_("Telefonnummer"),
        help_text=_("Ett svenskt nummer, till exempel 070-123 45 67."),
        required=False,
    )
    epost = ContactEmailField(
        label=_("E-postadress"),
        help_text=_("Till exempel namn@exempel.se."),
        required=False,
    )
    nar = forms.ChoiceField(
        label=_("När passar det bäst att de hör av sig?"),
        help_text=_("De försöker höra av sig då."),
        choices=WHEN_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj när det passar bäst, eller ”Det spelar ingen roll”."),
            "invalid_choice": _("Välj en av tiderna i listan."),
        },
    )
    meddelande = forms.CharField(
        label=_("Vill du skriva något mer? (frivilligt)"),
        help_text=_(
            "Till exempel vad du vill ha hjälp med. Du behöver inte förklara något. "
            "Högst 1000 tecken."
        ),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Korta meddelandet till högst %(limit_value)d tecken.")},
    )
    diskret = YesField(
        label=_("Lämna inga röstmeddelanden och skriv inget som avslöjar vad det gäller"),
        help_text=_("Kryssa i om någon annan kan höra eller läsa dina meddelanden."),
        error_messages={"invalid": _("Kryssa i rutan eller lämna den tom.")},
    )
    kvitto = YesField(
        label=_("Skicka en bekräftelse till min e-post"),
        help_text=_("Mejlet innehåller bara ditt referensnummer, inte vad förfrågan gäller."),
        error_messages={"invalid": _("Kryssa i rutan eller lämna den tom.")},
    )

    def __init__(self, *args, offering, **kwargs):
        super().__init__(*args, **kwargs)
        self.offering = offering
        if offering.anonymity_possible:
            self.fields["namn"].help_text = _(
                "Du kan vara anonym här. Ett förnamn eller ett påhittat namn går bra."
            )
        else:
            self.fields["namn"].help_text = _(
                "Ett förnamn räcker, eller ett annat namn du vill att de frågar efter."
            )

    def clean_namn(self):
        name = " ".join(self.cleaned_data["namn"].split())
        if not name:
            raise ValidationError(
                _("Skriv ett namn de kan fråga efter. Ett förnamn räcker."), code="required"
            )
        return name

    def clean(self):
        data = super().clean()
        reached = "telefon" not in self.errors and "epost" not in self.errors
        if reached and not data.get("telefon") and not data.get("epost"):
            self.add_error(
                "telefon",
                ValidationError(
                    _("Skriv ett telefonnummer eller en e-postadress, så att de kan nå dig."),
                    code="no_contact",
                ),
            )
        if data.get("kvitto") and not data.get("epost") and "epost" not in self.errors:
            self.add_error(
                "kvitto",
                ValidationError(
                    _(
                        "Skriv din e-postadress om du vill ha en bekräftelse, "
                        "eller kryssa ur rutan."
                    ),
                    code="receipt_without_email",
                ),
            )
        return data

    def content(self) -> dict:
        """What identifies this request (the same content on the same day is one request)."""
        data = self.cleaned_data
        return {
            "offering": self.offering.pk,
            "namn": data["namn"],
            "telefon": data["telefon"],
            "epost": data["epost"].lower(),
            "nar": data["nar"],
            "meddelande": data["meddelande"].strip(),
            "diskret": data["diskret"],
            "wants_receipt": data["kvitto"],
        }


# --- The provider staff's forms ---------------------------------------------------------------


class ContactedForm(forms.Form):
    """The day someone reached the resident (today unless changed)."""

    datum = forms.DateField(
        label=_("Vilken dag fick ni kontakt?"),
        help_text=_("I dag, om du inte ändrar. Till exempel 2026-03-14."),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "input-date"}),
        error_messages={
            "required": _("Skriv dagen ni fick kontakt, till exempel 2026-03-14."),
            "invalid": _("Skriv dagen som 2026-03-14."),
        },
    )

    def __init__(self, *args, request_obj: ContactRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        if not self.is_bound:
            self.initial.setdefault("datum", timezone.localdate())

    def clean_datum(self):
        day = self.cleaned_data["datum"]
        if day > timezone.localdate():
            raise ValidationError(
                _("Dagen ligger i framtiden. Skriv dagen ni fick kontakt."), code="future"
            )
        if day < timezone.localdate(self.request_obj.created_at):
            raise ValidationError(
                _("Dagen är före förfrågan kom in. Skriv dagen ni fick kontakt."), code="past"
            )
        return day


class CloseForm(forms.Form):
    anteckning = forms.CharField(
        label=_("Anteckning (frivillig)"),
        help_text=_("Till exempel att personen har fått tid. Högst 500 tecken."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Korta anteckningen till högst %(limit_value)d tecken.")},
    )


class DeclineForm(forms.Form):
    skal = forms.ChoiceField(
        label=_("Varför kan ni inte hjälpa till?"),
        choices=ContactRequest.DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj varför ni inte kan hjälpa till."),
            "invalid_choice": _("Välj ett av skälen i listan."),
        },
    )
    anteckning = forms.CharField(
        label=_("Anteckning (frivillig)"),
        help_text=_("Till exempel vart ni hänvisade personen. Högst 500 tecken."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Korta anteckningen till högst %(limit_value)d tecken.")},
    )


QUEUE_FILTERS = {
    # value: (label, statuses)
    "aktiva": (
        _("Alla som inte är avslutade"),
        [
            ContactRequest.Status.NEW,
            ContactRequest.Status.OPENED,
            ContactRequest.Status.CONTACTED,
        ],
    ),
    "ny": (_("Nya"), [ContactRequest.Status.NEW]),
    "oppnad": (_("Öppnade"), [ContactRequest.Status.OPENED]),
    "kontaktad": (_("Kontaktade"), [ContactRequest.Status.CONTACTED]),
    "avslutad": (
        _("Avslutade och avböjda"),
        [ContactRequest.Status.CLOSED, ContactRequest.Status.DECLINED],
    ),
}


class QueueFilterForm(forms.Form):
    """The queue's status filter (GET); a bad value gets a message, never a 500."""

    status = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[(value, label) for value, (label, _statuses) in QUEUE_FILTERS.items()],
        error_messages={"invalid_choice": _("Välj vilka förfrågningar som ska visas i listan.")},
    )

    def statuses(self) -> list[str] | None:
        """The statuses to list (all active ones by default); None when the value is bad."""
        if not self.is_valid():
            return None
        return list(QUEUE_FILTERS[self.cleaned_data.get("status") or "aktiva"][1])
