"""The guide's questions, one form per page, and the result page's parameters.

Every answer travels as a GET parameter (DOMAIN.md's contract), so every form here validates
query parameters: a hand-edited URL gets a clear message in plain Swedish, never a 500.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.routing import Answers
from providers import municipalities
from providers.filters import AGE_ERRORS, MAX_AGE, need_choices
from providers.vocabulary import Audience

YES_NO = [("ja", _("Ja")), ("nej", _("Nej"))]

VEM_HINTS = {
    Audience.RELATIVE: _("Till exempel en partner, förälder, vän eller ett vuxet barn."),
    Audience.PROFESSIONAL: _(
        "Till exempel om du är lärare, sjuksköterska eller arbetar i föreningslivet."
    ),
}


def area_choices():
    """The current municipality's areas (providers.municipalities.current)."""
    return [("", _("Vill inte säga / spelar ingen roll"))] + [
        (area.slug, area.label) for area in municipalities.areas_of(municipalities.current())
    ]


def radio_question(label, choices, error) -> forms.ChoiceField:
    """One required radio question whose error says what to answer, whatever went wrong."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
    )


class FaraForm(forms.Form):
    akut = radio_question(
        _("Är någon i fara just nu?"), YES_NO, _("Svara ja eller nej: är någon i fara just nu?")
    )


class VemForm(forms.Form):
    vem = radio_question(
        _("Vem söker du stöd för?"), Audience.choices, _("Välj vem du söker stöd för.")
    )


class AlderForm(forms.Form):
    alder = forms.IntegerField(
        label=_("Hur gammal är du?"),
        min_value=0,
        max_value=MAX_AGE,
        error_messages=AGE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    LABELS = {
        Audience.SELF: _("Hur gammal är du?"),
        Audience.CHILD: _("Hur gammalt är barnet?"),
        Audience.RELATIVE: _("Hur gammal är du?"),
        Audience.PROFESSIONAL: _("Hur gammal är personen du möter?"),
    }

    def __init__(self, *args, vem: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alder"].label = self.LABELS.get(
            vem or "", _("Hur gammal är den som ska få stöd?")
        )


class BehovForm(forms.Form):
    behov = forms.MultipleChoiceField(
        label=_("Vad handlar det om?"),
        choices=need_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _(
                "Välj minst ett alternativ. Välj det som ligger närmast om du är osäker."
            ),
            "invalid_choice": _("Välj bland alternativen i listan."),
        },
    )


class OroBarnForm(forms.Form):
    oro_barn = radio_question(
        _("Är du orolig för att ett barn far illa?"),
        YES_NO,
        _("Svara ja eller nej: är du orolig för att ett barn far illa?"),
    )


class TillSistForm(forms.Form):
    omrade = forms.ChoiceField(
        label=_("Var i kommunen bor du?"),
        choices=area_choices,
        required=False,
        error_messages={"invalid_choice": _("Välj ett område i listan, eller ”Vill inte säga”.")},
    )
    anonym = forms.ChoiceField(
        label=_("Vill du kunna vara anonym?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Svara ja eller nej, eller hoppa över frågan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place = municipalities.current()
        if len(list(self.fields["omrade"].choices)) == 1:
            del self.fields["omrade"]  # a municipality without areas of its own: nothing to ask
        elif place.name:
            self.fields["omrade"].label = _("Var i %(name)s bor du?") % {"name": place.label}


class ResultForm(forms.Form):
    """All answers at once: the result page's query parameters, every one optional."""

    vem = forms.ChoiceField(
        choices=Audience.choices,
        required=False,
        error_messages={"invalid_choice": _("Vi förstod inte vem stödet är för.")},
    )
    alder = forms.IntegerField(
        min_value=0,
        max_value=MAX_AGE,
        required=False,
        error_messages={
            "invalid": _("Åldern i länken är inte en siffra."),
            "min_value": _("Åldern i länken kan inte vara mindre än 0."),
            "max_value": _("Åldern i länken måste vara mellan 0 och 120."),
        },
    )
    behov = forms.MultipleChoiceField(
        choices=need_choices,
        required=False,
        error_messages={"invalid_choice": _("Ett av behoven i länken finns inte: %(value)s.")},
    )
    omrade = forms.ChoiceField(
        choices=area_choices,
        required=False,
        error_messages={"invalid_choice": _("Området i länken finns inte.")},
    )
    akut = forms.ChoiceField(choices=YES_NO, required=False)
    oro_barn = forms.ChoiceField(choices=YES_NO, required=False)
    anonym = forms.ChoiceField(choices=YES_NO, required=False)

    FIELD_NAMES = {
        "vem": _("Vem stödet är för"),
        "alder": _("Ålder"),
        "behov": _("Vad det handlar om"),
        "omrade": _("Område"),
        "akut": _("Fara just nu"),
        "oro_barn": _("Oro för ett barn"),
        "anonym": _("Anonym"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("akut", "oro_barn", "anonym"):
            self.fields[name].error_messages["invalid_choice"] = _("Svaret ska vara ja eller nej.")

    def answers(self) -> Answers:
        """The valid answers; fields with errors count as unanswered."""
        data = {
            name: (self.cleaned_data.get(name) if name not in self.errors else None)
            for name in self.fields
        }
        return Answers(
            vem=data["vem"] or None,
            alder=data["alder"],
            behov=tuple(dict.fromkeys(data["behov"] or ())),  # each need once, in link order
            omrade=data["omrade"] or None,
            akut=data["akut"] == "ja",
            oro_barn=data["oro_barn"] == "ja",
            anonym=data["anonym"] == "ja",
        )
