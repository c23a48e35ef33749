"""The call log's forms: one contact (DOMAIN.md's field names), and the list's date filter.

The form has no place for a name, personnummer, phone number or e-mail address, and the note is
refused when it looks like it holds one (frontdesk.privacy). A console search pre-fills the form
through GET parameters; a bad one is dropped, never an error.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontdesk.models import NOTE_MAX_LENGTH, validate_series_code
from frontdesk.privacy import validate_no_personal_data
from frontdesk.services import ENTRY_FIELDS
from frontdesk.vocabulary import AgeGroup, Caller, Channel, Outcome
from providers.models import Area, Need, Offering
from providers.vocabulary import AREAS, NEEDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
DATETIME_INPUTS = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
FUTURE_SLACK = timedelta(minutes=10)  # a clock a little ahead is no mistake worth refusing
MAX_MINUTES = 600


def age_group(age: int) -> str:
    """The console's `alder` (years) as the log's age group."""
    for group, upper in ((AgeGroup.CHILD, 12), (AgeGroup.TEEN, 17), (AgeGroup.YOUNG_ADULT, 24)):
        if age <= upper:
            return group
    return AgeGroup.ADULT if age <= 64 else AgeGroup.OLDER


def _offerings(place):
    """The offerings a navigator of `place` refers to: its own and those that also take its
    residents (every offering when no municipality is given)."""
    return Offering.objects.for_place(place) if place is not None else Offering.objects.all()


def initial_from_query(query, place=None) -> dict:
    """What a console search (GET) says about the contact, keeping only valid values (and only
    offerings for `place`'s residents)."""
    initial: dict = {}
    if query.get("kanal") in Channel.values:
        initial["kanal"] = query["kanal"]
    if query.get("vem") in Caller.values:
        initial["vem"] = query["vem"]
    if query.get("aldersgrupp") in AgeGroup.values:
        initial["aldersgrupp"] = query["aldersgrupp"]
    elif (query.get("alder") or "").strip().isdigit() and int(query["alder"]) <= 130:
        initial["aldersgrupp"] = age_group(int(query["alder"]))
    needs = [slug for slug in query.getlist("behov") if slug in NEEDS]
    if needs:
        initial["behov"] = list(dict.fromkeys(needs))
    slugs = [slug for slug in query.getlist("insatser") + query.getlist("insats") if slug][:20]
    known = set(_offerings(place).filter(slug__in=slugs).values_list("slug", flat=True))
    if known:
        initial["insatser"] = [slug for slug in dict.fromkeys(slugs) if slug in known]
    if query.get("omrade") in AREAS:
        initial["omrade"] = query["omrade"]
    return initial


class CallLogForm(forms.Form):
    # What the call was about comes first; the time (now, unless changed) last, so a navigator
    # logging a call just ended reaches the outcome with fewer key presses.
    field_order = [
        "kanal",
        "vem",
        "aldersgrupp",
        "behov",
        "utfall",
        "insatser",
        "omrade",
        "minuter",
        "anteckning",
        "serie",
        "tidpunkt",
    ]

    tidpunkt = forms.DateTimeField(
        label=_("När var kontakten?"),
        help_text=_("Nu, om du inte ändrar. Datum och klockslag, till exempel 2026-03-14 09:30."),
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
        error_messages={
            "required": _("Skriv när kontakten var, till exempel 2026-03-14 09:30."),
            "invalid": _("Skriv datum och klockslag som 2026-03-14 09:30."),
        },
    )
    kanal = forms.ChoiceField(
        label=_("Hur kom kontakten?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj hur kontakten kom: telefon, besök, e-post eller chatt.")
        },
    )
    vem = forms.ChoiceField(
        label=_("Vem hörde av sig?"),
        choices=Caller.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vem som hörde av sig, eller Okänt.")},
    )
    aldersgrupp = forms.ChoiceField(
        label=_("Hur gammal är den som kontakten gäller?"),
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en åldersgrupp, eller Okänd ålder.")},
    )
    behov = forms.MultipleChoiceField(
        label=_("Vad gällde kontakten?"),
        help_text=_("Välj alla som passar."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj behov i listan.")},
    )
    utfall = forms.MultipleChoiceField(
        label=_("Hur slutade kontakten?"),
        help_text=_("Välj alla som passar."),
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj hur kontakten slutade, minst ett alternativ."),
            "invalid_choice": _("Välj hur kontakten slutade i listan."),
        },
    )
    insatser = forms.MultipleChoiceField(
        label=_("Vilka insatser hänvisade du till?"),
        help_text=_("Insatserna du valde i vägledningen. Bocka ur dem du inte hänvisade till."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Insatsen %(value)s finns inte i katalogen. Bocka ur den eller välj den i "
                "vägledningen igen."
            )
        },
    )
    omrade = forms.ChoiceField(
        label=_("Område (om det spelar roll)"),
        required=False,
        error_messages={"invalid_choice": _("Välj ett område i listan, eller inget.")},
    )
    minuter = forms.IntegerField(
        label=_("Hur många minuter tog kontakten?"),
        required=False,
        min_value=0,
        max_value=MAX_MINUTES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={
            "invalid": _("Skriv antalet minuter med siffror, till exempel 15."),
            "min_value": _("Skriv antalet minuter med siffror, till exempel 15."),
            "max_value": _("Skriv högst 600 minuter."),
        },
    )
    anteckning = forms.CharField(
        label=_("Kort anteckning"),
        help_text=_(
            "Vad kontakten gällde, utan namn, personnummer, telefonnummer eller e-postadress. "
            "Högst 500 tecken."
        ),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        validators=[validate_no_personal_data],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Korta anteckningen till högst 500 tecken.")},
    )
    serie = forms.CharField(
        label=_("Kod för samtalsserie (om det finns)"),
        help_text=_(
            "En kod ni hittar på för en serie samtal med samma person, till exempel K7-23."
        ),
        required=False,
        max_length=20,
        validators=[validate_series_code],
        error_messages={"max_length": _("Skriv en kortare kod, högst 20 tecken.")},
    )
    # A one-time key for this form: sending it twice stores the contact once.
    engang = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, place=None, **kwargs):
        """`place`: the navigator's municipality (providers.municipalities.Place); only
        offerings for its residents can be chosen."""
        super().__init__(*args, **kwargs)
        self.place = place
        needs = {need.slug: need.label for need in Need.cached()}
        self.fields["behov"].choices = [(slug, needs.get(slug, slug)) for slug in NEEDS]
        areas = {area.slug: area.label for area in Area.cached()}
        self.fields["omrade"].choices = [("", _("Inget särskilt område"))] + [
            (slug, areas.get(slug, slug)) for slug in AREAS
        ]
        # Only the offerings named (picked in the console, or already on the entry) are shown;
        # the catalogue is far too long for one list of checkboxes.
        named = self.data.getlist("insatser") if self.is_bound else self.initial.get("insatser")
        offerings = _offerings(place).filter(slug__in=list(named or [])[:20])
        self.fields["insatser"].choices = [(o.slug, o.name) for o in offerings]
        if not self.is_bound:
            self.initial.setdefault("tidpunkt", timezone.localtime().replace(second=0))
            self.initial.setdefault("kanal", Channel.PHONE)
            self.initial.setdefault("engang", uuid.uuid4())

    def clean_tidpunkt(self):
        when = self.cleaned_data["tidpunkt"]
        if when > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError(
                _("Tidpunkten ligger i framtiden. Skriv när kontakten var."), code="future"
            )
        return when

    def clean_insatser(self):
        slugs = self.cleaned_data["insatser"]
        return list(_offerings(self.place).filter(slug__in=slugs))

    def entry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS}


class CallLogFilterForm(forms.Form):
    """The list's dates: a range (`fran`, `till`) or one day (`datum`)."""

    fran = forms.DateField(
        label=_("Från och med"),
        help_text=_("Till exempel 2026-03-01."),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "input-date"}),
        error_messages={"invalid": _("Skriv datumet som 2026-03-01.")},
    )
    till = forms.DateField(
        label=_("Till och med"),
        help_text=_("Till exempel 2026-03-31."),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "input-date"}),
        error_messages={"invalid": _("Skriv datumet som 2026-03-31.")},
    )
    datum = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Skriv datumet som 2026-03-14.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("datum"):
            data["fran"] = data["till"] = data["datum"]
        if data.get("fran") and data.get("till") and data["fran"] > data["till"]:
            self.add_error(
                "till", _("Välj ett till-datum som är samma dag som eller efter från-datumet.")
            )
        return data

    def filter(self, queryset):
        if data := getattr(self, "cleaned_data", None):
            if data.get("fran"):
                queryset = queryset.on_or_after(data["fran"])
            if data.get("till"):
                queryset = queryset.on_or_before(data["till"])
        return queryset
