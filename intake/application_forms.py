"""The biståndsansökan's forms, one per page (intake.application_views), and the handläggare's.

Every field says what to fix in plain Swedish; every length is enforced here, on the server.
The identity page's form is the identity step's own (intake.identity: `namn`, `personnummer`).
What a form cleans is what the draft keeps (intake.drafts) and what the check page validates
again before anything is sent, so a draft can never carry a value these forms would refuse.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from intake.contact_fields import ContactEmailField, SwedishPhoneField
from intake.identity import IdentityNumberField, InvalidIdentityNumber, parse_identity_number
from intake.models import Application
from intake.protection import HoneypotForm
from portal.permissions import Role
from providers.filters import need_choices
from providers.models import Offering, Provider, Route

DESCRIPTION_MAX = 3000
NAME_MAX = 120
LANGUAGE_MAX = 60
NOTE_MAX = 2000
NO_PREFERENCE = "ingen"
YES, NO = "ja", "nej"
YES_NO = [(YES, _("Ja")), (NO, _("Nej"))]
# A language's name: letters of any script, spaces and a few separators ("bosniska/serbiska").
LANGUAGE_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[\s,/()’'-])*$")


def _radio(label, choices, error, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


# --- The resident's pages -----------------------------------------------------------------------


class NeedsForm(forms.Form):
    behov = forms.MultipleChoiceField(
        label=_("Vad behöver du hjälp med?"),
        help_text=_("Välj allt som stämmer."),
        choices=need_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bland alternativen i listan.")},
    )
    beskrivning = forms.CharField(
        label=_("Berätta med egna ord (om du vill)"),
        help_text=_(
            "Vad behöver du hjälp med, och vad har hänt? Skriv så mycket eller lite du vill, "
            "högst 3000 tecken. Handläggaren frågar mer när hen kontaktar dig."
        ),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _(
                "Korta texten till högst %(limit_value)d tecken (nu %(show_value)d). "
                "Resten kan du berätta för handläggaren."
            )
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            "behov" not in self.errors
            and not cleaned.get("behov")
            and not cleaned.get("beskrivning")
        ):
            self.add_error(
                "behov",
                _(
                    "Välj minst ett alternativ, eller berätta med egna ord vad du behöver "
                    "hjälp med."
                ),
            )
        return cleaned


class ForWhomForm(forms.Form):
    for_whom = _radio(
        _("Vem gäller ansökan?"),
        Application.ForWhom.choices,
        _("Välj om ansökan gäller dig själv eller ditt barn."),
    )

    HINTS = {
        Application.ForWhom.SELF: _("Du är 18 år eller äldre och söker stöd för dig själv."),
        Application.ForWhom.CHILD: _(
            "Du är vårdnadshavare och söker stöd för ditt barn som är under 18 år."
        ),
    }


class ChildForm(forms.Form):
    barn_namn = forms.CharField(
        label=_("Barnets namn"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Skriv barnets namn."),
            "max_length": _("Skriv namnet med högst %(limit_value)d tecken."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    barn_personnummer = IdentityNumberField(
        label=_("Barnets personnummer eller samordningsnummer"),
        help_text=_("12 siffror: år, månad, dag och de fyra sista, ÅÅÅÅMMDD-XXXX."),
        error_messages={"required": _("Skriv barnets personnummer eller samordningsnummer.")},
    )

    def __init__(self, *args, applicant: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant

    def clean_barn_personnummer(self):
        number = self.cleaned_data["barn_personnummer"]
        if self.applicant and number == self.applicant:
            raise forms.ValidationError(
                _("Skriv barnets personnummer här, inte ditt eget."), code="own"
            )
        try:
            born = parse_identity_number(number, refuse_test_numbers=False).birth_date
        except InvalidIdentityNumber:  # pragma: no cover - the field has checked it already
            return number
        if _age(born) >= 18:
            raise forms.ValidationError(
                _(
                    "Enligt personnumret har barnet fyllt 18 år. Den som är 18 år eller äldre "
                    "ansöker själv om bistånd. Är det du som behöver stödet: gå tillbaka och "
                    "välj ”Mig själv”."
                ),
                code="adult",
            )
        return number


def _age(born: date, today: date | None = None) -> int:
    today = today or date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ContactForm(forms.Form):
    telefon = SwedishPhoneField(
        label=_("Telefonnummer"),
        help_text=_("Ett svenskt nummer, till exempel 070-123 45 67 eller 013-20 69 68."),
        required=False,
    )
    epost = ContactEmailField(
        label=_("E-postadress"),
        help_text=_("Till exempel namn@exempel.se."),
        required=False,
    )
    kvitto = forms.BooleanField(
        label=_("Skicka ett mejl till mig när ansökan har kommit fram"),
        help_text=_("Mejlet innehåller bara ett referensnummer, inget om det du har skrivit."),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("telefon") and not cleaned.get("epost"):
            self.add_error(
                "telefon",
                _("Skriv ett telefonnummer eller en e-postadress, så att vi kan nå dig."),
            )
        elif cleaned.get("kvitto") and not cleaned.get("epost"):
            self.add_error(
                "epost", _("Skriv din e-postadress om du vill få ett mejl när ansökan kommit fram.")
            )
        return cleaned


class InterpreterForm(forms.Form):
    tolk = _radio(
        _("Behöver du tolk?"),
        YES_NO,
        _("Svara ja eller nej: behöver du tolk?"),
        help_text=_("Tolken är gratis för dig. Tolken har tystnadsplikt."),
    )
    tolk_sprak = forms.CharField(
        label=_("Vilket språk ska tolken tala?"),
        help_text=_("Bara om du svarade ja. Till exempel arabiska, somaliska eller teckenspråk."),
        required=False,
        max_length=LANGUAGE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Skriv språket med högst %(limit_value)d tecken.")},
    )

    def clean(self):
        cleaned = super().clean()
        language = " ".join((cleaned.get("tolk_sprak") or "").split())
        if cleaned.get("tolk") == NO:
            cleaned["tolk_sprak"] = ""
        elif cleaned.get("tolk") == YES and "tolk_sprak" not in self.errors:
            if not language:
                self.add_error("tolk_sprak", _("Skriv vilket språk tolken ska tala."))
            elif not LANGUAGE_NAME.match(language):
                self.add_error(
                    "tolk_sprak",
                    _("Skriv språkets namn med bokstäver, till exempel arabiska."),
                )
            else:
                cleaned["tolk_sprak"] = language
        return cleaned


def kundval_providers(needs, place=None) -> list[tuple[Provider, list[Offering]]]:
    """Providers a resident may choose among (kundval) for these needs, with their offerings:
    published offerings given after a decision (route bistånd, or service and bistånd) that
    address one of the needs, by providers other than the social office itself, for residents
    of `place` (a providers.municipalities.Place; default: the default municipality)."""
    if not needs:
        return []
    from providers import municipalities

    offerings = (
        Offering.objects.published()
        .for_place(place or municipalities.default())
        .for_needs(needs)
        .with_route([Route.BISTAND, Route.SERVICE_OCH_BISTAND])
        .exclude(provider__organisation_form=Provider.OrganisationForm.AUTHORITY)
        .select_related("provider")
        .order_by("provider__name", "name", "pk")
    )
    found: dict[int, tuple[Provider, list[Offering]]] = {}
    for offering in offerings:
        found.setdefault(offering.provider_id, (offering.provider, []))[1].append(offering)
    return list(found.values())


class ProviderForm(forms.Form):
    utforare = _radio(
        _("Vill du få stödet från en särskild utförare?"),
        [],
        _("Välj en utförare, eller ”Ingen särskild önskan”."),
        help_text=_(
            "Om du beviljas stöd får du ofta välja vem som ger det (kundval). Det här är "
            "utförarna som ger stöd för det du har valt. Du kan ändra dig senare."
        ),
    )

    def __init__(self, *args, choices: list[tuple[Provider, list[Offering]]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utforare"].choices = [
            (provider.slug, provider.name_text) for provider, _offerings in choices
        ] + [(NO_PREFERENCE, _("Ingen särskild önskan"))]
        self.hints = {
            provider.slug: ", ".join(offering.name_text for offering in offerings)
            for provider, offerings in choices
        }


class ConsentForm(forms.Form):
    samtycke = forms.BooleanField(
        label=_("Jag har läst texten och vill skicka ansökan på det här sättet."),
        error_messages={
            "required": _(
                "Kryssa i rutan om du vill skicka ansökan här. Vill du inte det, kan du "
                "ansöka genom att ringa socialkontoret."
            )
        },
    )


class SubmitForm(HoneypotForm):
    """The check page's form: nothing to fill in but the honeypot."""


# --- The handläggare's forms --------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    ACTIVE, ALL = "", "alla"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Välj en status i listan.")},
    )
    mina = forms.BooleanField(label=_("Bara ansökningar som är tilldelade mig"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (self.ACTIVE, _("Alla som inte är avslutade")),
            *Application.Status.choices,
            (self.ALL, _("Alla, även avslutade")),
        ]

    def filter(self, queryset, user):
        status = self.cleaned_data.get("status") or self.ACTIVE
        if status == self.ACTIVE:
            queryset = queryset.exclude(status=Application.Status.CLOSED)
        elif status != self.ALL:
            queryset = queryset.filter(status=status)
        if self.cleaned_data.get("mina"):
            queryset = queryset.filter(assigned_to=user)
        return queryset


def handlaggare(municipality_id: int | None = None):
    """Active handläggare, those of one municipality when given (an application is assigned
    within the municipality that received it)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.HANDLAGGARE.value)
    if municipality_id is not None:
        users = users.filter(staff_municipalities=municipality_id)
    return users.order_by("first_name", "last_name", "username").distinct()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        full = user.get_full_name()
        return f"{full} ({user.get_username()})" if full else user.get_username()


class AssignForm(forms.Form):
    handlaggare = StaffChoiceField(
        label=_("Tilldela till"),
        queryset=get_user_model().objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Välj en handläggare."),
            "invalid_choice": _("Välj en handläggare i listan."),
        },
    )

    def __init__(self, *args, user=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlaggare"].queryset = handlaggare(municipality_id)
        if user is not None and not self.is_bound:
            self.initial.setdefault("handlaggare", user.pk)


class DecideForm(forms.Form):
    beslut = _radio(
        _("Beslut"),
        Application.Decision.choices,
        _("Välj beslut: beviljad, delvis beviljad eller avslag."),
    )
    anteckning = forms.CharField(
        label=_("Anteckning (om beslutet)"),
        help_text=_("Högst 2000 tecken."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Korta anteckningen till högst %(limit_value)d tecken.")},
    )


class CloseForm(forms.Form):
    anteckning = forms.CharField(
        label=_("Anteckning (frivillig)"),
        help_text=_("Högst 2000 tecken."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Korta anteckningen till högst %(limit_value)d tecken.")},
    )
