"""The report of concern about a child (orosanmälan): the public form, and the handläggare's
forms for each step on the staff side.

One page with fieldsets, so a worried person who writes late at night never loses what they
wrote between steps: an error re-shows the whole page with every answer kept. Field names are
the model's (intake.models.ConcernReport).

The rules the law and the social office set:
- one child per report; as much about the child as the reporter knows, but something that helps
  to find the child (a name, a personnummer, or an address or school);
- what the reporter saw and what they heard, kept apart; at least one of them;
- private persons may stay anonymous; professionals with a duty to report (socialtjänstlagen)
  may not, and give their name and workplace.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake import crypto
from intake.contact_fields import ContactEmailField, SwedishPhoneField
from intake.identity import IdentityNumberField, parse_identity_number
from intake.models import ConcernReport
from intake.protection import HoneypotForm

NAME_MAX = 120
ADDRESS_MAX = 300
TEXT_MAX = 4000
WORKPLACE_MAX = 200
NOTE_MAX = 2000
ADULT_AGE = 18

YES, NO = "ja", "nej"
YES_NO = [(YES, _("Ja")), (NO, _("Nej"))]


def age_on(birth_date: date, today: date) -> int:
    """Whole years from `birth_date` to `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def child_hash(canonical: str) -> str:
    """The keyed hash that finds earlier reports about the same child ("" without a number)."""
    return crypto.keyed_hash("barn-personnummer", canonical) if canonical else ""


class ReportForm(HoneypotForm):
    """One child, what happened, the danger, the guardians, and who reports."""

    # --- The child
    barn_namn = forms.CharField(
        label=_("Barnets namn"),
        help_text=_("Förnamn och efternamn, om du vet dem."),
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Skriv namnet med högst %(limit_value)d tecken.")},
    )
    barn_alder = forms.IntegerField(
        label=_("Barnets ålder"),
        help_text=_("I år, om du vet eller kan gissa. Till exempel 7."),
        required=False,
        min_value=0,
        max_value=ADULT_AGE - 1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={
            "invalid": _("Skriv barnets ålder med siffror, till exempel 7."),
            "min_value": _("Skriv barnets ålder med siffror, till exempel 7."),
            "max_value": _(
                "Skriv en ålder mellan 0 och 17 år. En orosanmälan gäller barn under 18 år."
            ),
        },
    )
    barn_personnummer = IdentityNumberField(
        label=_("Barnets personnummer"),
        help_text=_("Om du vet det. 12 siffror: ÅÅÅÅMMDD-XXXX."),
        required=False,
        error_messages={"max_length": _("Skriv personnumret med 10 eller 12 siffror.")},
    )
    barn_adress_skola = forms.CharField(
        label=_("Barnets adress, förskola eller skola"),
        help_text=_("Det som hjälper oss att hitta barnet, till exempel gata och ort eller skola."),
        required=False,
        max_length=ADDRESS_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    # --- What happened
    sett = forms.CharField(
        label=_("Det du själv har sett"),
        help_text=_("Vad hände, när och var? Skriv med dina egna ord."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Korta texten till högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )
    hort = forms.CharField(
        label=_("Det du har hört"),
        help_text=_(
            "Vad har barnet eller någon annan berättat? Skriv vem som sa det, och gärna "
            "med deras egna ord."
        ),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Korta texten till högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )
    fara_nu = forms.ChoiceField(
        label=_("Är barnet i fara just nu?"),
        help_text=_("Svarar du ja: ring 112 nu. Vi tar ändå emot anmälan."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj om barnet är i fara just nu: ja eller nej."),
            "invalid_choice": _("Välj om barnet är i fara just nu: ja eller nej."),
        },
    )
    vardnadshavare_vet = forms.ChoiceField(
        label=_("Vet barnets vårdnadshavare att du gör en anmälan?"),
        choices=ConcernReport.GuardiansKnow.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj om vårdnadshavarna vet om anmälan: ja, nej eller vet inte."),
            "invalid_choice": _("Välj om vårdnadshavarna vet om anmälan: ja, nej eller vet inte."),
        },
    )
    # --- The reporter
    anmalare = forms.ChoiceField(
        label=_("Vem är du som anmäler?"),
        choices=ConcernReport.Reporter.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj om du anmäler som privatperson eller i ditt arbete."),
            "invalid_choice": _("Välj om du anmäler som privatperson eller i ditt arbete."),
        },
    )
    anonym = forms.BooleanField(
        label=_("Jag vill vara anonym"),
        help_text=_(
            "Bara för privatpersoner. Då lämnar du inget namn eller några kontaktuppgifter, "
            "och socialkontoret kan inte fråga dig mer."
        ),
        required=False,
    )
    anmalare_namn = forms.CharField(
        label=_("Ditt namn"),
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("Skriv namnet med högst %(limit_value)d tecken.")},
    )
    arbetsplats = forms.CharField(
        label=_("Din arbetsplats"),
        help_text=_("Om du anmäler i ditt arbete: arbetsplatsens namn, till exempel skolans."),
        required=False,
        max_length=WORKPLACE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": _("Skriv arbetsplatsen med högst %(limit_value)d tecken.")},
    )
    anmalare_telefon = SwedishPhoneField(
        label=_("Ditt telefonnummer"),
        help_text=_("Till exempel 070-123 45 67."),
        required=False,
    )
    anmalare_epost = ContactEmailField(
        label=_("Din e-postadress"),
        help_text=_("Till exempel namn@exempel.se."),
        required=False,
    )
    wants_receipt = forms.BooleanField(
        label=_("Skicka en bekräftelse till min e-post"),
        help_text=_("Den innehåller bara referensnumret, inget om barnet."),
        required=False,
    )

    field_order = [
        "barn_namn",
        "barn_alder",
        "barn_personnummer",
        "barn_adress_skola",
        "sett",
        "hort",
        "fara_nu",
        "vardnadshavare_vet",
        "anmalare",
        "anonym",
        "anmalare_namn",
        "arbetsplats",
        "anmalare_telefon",
        "anmalare_epost",
        "wants_receipt",
        "webbplats",
    ]
    CHILD = ("barn_namn", "barn_alder", "barn_personnummer", "barn_adress_skola")
    HAPPENED = ("sett", "hort")
    REPORTER = (
        "anmalare",
        "anonym",
        "anmalare_namn",
        "arbetsplats",
        "anmalare_telefon",
        "anmalare_epost",
        "wants_receipt",
    )
    CONTACT = ("anmalare_namn", "arbetsplats", "anmalare_telefon", "anmalare_epost")

    @property
    def anmalare_hints(self) -> dict:
        return {
            ConcernReport.Reporter.PRIVATE.value: _(
                "Till exempel granne, släkting, vän eller förälder. Du kan vara anonym."
            ),
            ConcernReport.Reporter.PROFESSIONAL.value: _(
                "Du arbetar till exempel i skola, förskola, hälso- och sjukvård, socialtjänst "
                "eller polis. Du har anmälningsplikt enligt socialtjänstlagen och kan inte "
                "vara anonym: skriv ditt namn och din arbetsplats."
            ),
        }

    def fieldset(self, names):
        return [self[name] for name in names]

    def child_fields(self):
        return self.fieldset(self.CHILD)

    def happened_fields(self):
        return self.fieldset(self.HAPPENED)

    def reporter_fields(self):
        return self.fieldset(self.REPORTER)

    def clean_barn_namn(self):
        return self.cleaned_data["barn_namn"].strip()

    def clean_barn_personnummer(self):
        canonical = self.cleaned_data["barn_personnummer"]
        if not canonical:
            return ""
        birth_date = parse_identity_number(canonical, refuse_test_numbers=False).birth_date
        if age_on(birth_date, timezone.localdate()) >= ADULT_AGE:
            raise ValidationError(
                _(
                    "Personnumret är en vuxens. En orosanmälan gäller barn under 18 år. "
                    "Kontrollera numret, eller lämna fältet tomt."
                ),
                code="adult",
            )
        return canonical

    def clean(self):
        data = super().clean()
        identifying = ("barn_namn", "barn_personnummer", "barn_adress_skola")
        child_errors = any(self.has_error(name) for name in self.CHILD)
        if not child_errors and not any((data.get(name) or "").strip() for name in identifying):
            self.add_error(
                "barn_namn",
                _(
                    "Skriv något som hjälper oss att hitta barnet: namnet, personnumret, "
                    "eller adressen eller skolan."
                ),
            )
        text_errors = self.has_error("sett") or self.has_error("hort")
        if not text_errors and not any((data.get(n) or "").strip() for n in self.HAPPENED):
            self.add_error("sett", _("Skriv vad du har sett eller hört. Det räcker med det ena."))
        self._clean_reporter(data)
        return data

    def _clean_reporter(self, data):
        kind = data.get("anmalare")
        named = (data.get("anmalare_namn") or "").strip()
        if kind == ConcernReport.Reporter.PROFESSIONAL:
            if data.get("anonym"):
                self.add_error(
                    "anonym",
                    _(
                        "Du som anmäler i ditt arbete kan inte vara anonym. Ta bort bocken och "
                        "skriv ditt namn och din arbetsplats."
                    ),
                )
            if not named and not self.has_error("anmalare_namn"):
                self.add_error(
                    "anmalare_namn",
                    _("Skriv ditt namn. Du som anmäler i ditt arbete kan inte vara anonym."),
                )
            if not (data.get("arbetsplats") or "").strip() and not self.has_error("arbetsplats"):
                self.add_error(
                    "arbetsplats",
                    _("Skriv din arbetsplats, till exempel skolans eller vårdcentralens namn."),
                )
        elif kind == ConcernReport.Reporter.PRIVATE:
            if data.get("anonym"):
                given = [name for name in self.CONTACT if (data.get(name) or "").strip()]
                if given:
                    self.add_error(
                        "anonym",
                        _(
                            "Du har valt att vara anonym men skrivit namn eller "
                            "kontaktuppgifter. Ta bort bocken, eller töm fälten om dig."
                        ),
                    )
            elif not named and not self.has_error("anmalare_namn"):
                self.add_error(
                    "anmalare_namn",
                    _("Skriv ditt namn, eller kryssa i att du vill vara anonym."),
                )
        if (
            data.get("wants_receipt")
            and not data.get("anmalare_epost")
            and not self.has_error("anmalare_epost")
        ):
            self.add_error(
                "anmalare_epost",
                _("Skriv din e-postadress om du vill ha en bekräftelse, eller ta bort bocken."),
            )

    def report_fields(self) -> dict:
        """The ConcernReport's fields from the cleaned answers."""
        data = self.cleaned_data
        canonical = data["barn_personnummer"]
        age = data["barn_alder"]
        if age is None and canonical:
            birth_date = parse_identity_number(canonical, refuse_test_numbers=False).birth_date
            age = age_on(birth_date, timezone.localdate())
        anonymous = data["anmalare"] == ConcernReport.Reporter.PRIVATE and data["anonym"]
        return {
            "barn_namn": data["barn_namn"],
            "barn_alder": age,
            "barn_personnummer": canonical,
            "barn_hash": child_hash(canonical),
            "barn_adress_skola": data["barn_adress_skola"].strip(),
            "sett": data["sett"].strip(),
            "hort": data["hort"].strip(),
            "fara_nu": data["fara_nu"] == YES,
            "vardnadshavare_vet": data["vardnadshavare_vet"],
            "anmalare": data["anmalare"],
            "anonym": anonymous,
            "anmalare_namn": data["anmalare_namn"].strip(),
            "anmalare_telefon": data["anmalare_telefon"],
            "anmalare_epost": data["anmalare_epost"].strip(),
            "arbetsplats": data["arbetsplats"].strip(),
            "wants_receipt": data["wants_receipt"],
        }


# --- The handläggare's steps -------------------------------------------------------------------


class NoteForm(forms.Form):
    """A step with a note: optional, or required where the step needs a reason."""

    anteckning = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Korta anteckningen till högst %(limit_value)d tecken.")},
    )

    def __init__(self, *args, label=None, required=False, required_message="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["anteckning"]
        if label:
            field.label = label
        field.required = required
        if required_message:
            field.error_messages["required"] = required_message

    def clean_anteckning(self):
        note = self.cleaned_data["anteckning"].strip()
        if self.fields["anteckning"].required and not note:
            raise ValidationError(self.fields["anteckning"].error_messages["required"])
        return note


class ExtendForm(forms.Form):
    """A new deadline for the investigation, and the reason the law requires for extending."""

    till = forms.DateField(
        label=_("Ny sista dag för utredningen"),
        help_text=_("Till exempel 2026-09-30."),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "input-date"}),
        error_messages={
            "required": _("Skriv den nya sista dagen, till exempel 2026-09-30."),
            "invalid": _("Skriv datumet som 2026-09-30."),
        },
    )
    skal = forms.CharField(
        label=_("Skäl för förlängningen"),
        help_text=_("Det särskilda skälet till att utredningen behöver mer tid."),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Skriv skälet till förlängningen."),
            "max_length": _("Korta skälet till högst %(limit_value)d tecken."),
        },
    )

    def __init__(self, *args, current_due: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean_skal(self):
        reason = self.cleaned_data["skal"].strip()
        if not reason:
            raise ValidationError(self.fields["skal"].error_messages["required"])
        return reason

    def clean_till(self):
        day = self.cleaned_data["till"]
        if day <= timezone.localdate():
            raise ValidationError(_("Välj ett datum efter i dag."), code="past")
        if self.current_due and day <= timezone.localdate(self.current_due):
            raise ValidationError(
                _("Välj ett datum efter nuvarande sista dag, %(day)s.")
                % {"day": timezone.localdate(self.current_due).isoformat()},
                code="earlier",
            )
        return day

    def until(self) -> datetime:
        """The new deadline: the chosen day, at the same time of day as the current one."""
        at = timezone.localtime(self.current_due).time() if self.current_due else time(23, 59)
        return timezone.make_aware(datetime.combine(self.cleaned_data["till"], at))
