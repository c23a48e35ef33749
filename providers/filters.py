"""The catalogue's GET filters (/stod/?q=&behov=&alder=&vag=&omrade=&oppet_nu=1)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from providers.models import Need, Offering, Route

MAX_AGE = 120
# The same age rules and words wherever someone types an age.
AGE_ERRORS = {
    "required": _("Skriv en ålder, till exempel 34."),
    "invalid": _("Skriv åldern med siffror, till exempel 34."),
    "min_value": _("Åldern kan inte vara mindre än 0."),
    "max_value": _("Skriv en ålder mellan 0 och 120."),
}


def need_choices():
    return [(need.slug, need.label) for need in Need.cached()]


def area_choices():
    """The current municipality's areas (providers.municipalities.current)."""
    from providers import municipalities

    return [(area.slug, area.label) for area in municipalities.areas_of(municipalities.current())]


class AgeFilter(django_filters.Filter):
    field_class = forms.IntegerField


class RouteFilter(django_filters.ChoiceFilter):
    """`service` means "can be contacted directly", so it includes offerings open both ways."""

    def filter(self, qs, value):
        if not value:
            return qs
        if value == Route.SERVICE:
            return qs.with_route(Route.with_service())
        return qs.with_route([value])


class OfferingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="filter_search",
        max_length=100,
        error_messages={"max_length": _("Skriv en kortare sökning, högst 100 tecken.")},
    )
    behov = django_filters.MultipleChoiceFilter(
        label=_("Vad gäller det?"),
        choices=need_choices,
        method="filter_needs",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj behov bland alternativen i listan.")},
    )
    alder = AgeFilter(
        label=_("Ålder på den som ska få stöd"),
        method="filter_age",
        min_value=0,
        max_value=MAX_AGE,
        error_messages=AGE_ERRORS,
    )
    vag = RouteFilter(
        label=_("Väg in"),
        empty_label=_("Alla vägar"),
        choices=[
            (Route.SERVICE, _("Går att kontakta direkt")),
            (Route.BISTAND, _("Bara efter ansökan om bistånd")),
            (Route.SERVICE_OCH_BISTAND, _("Både direkt och efter ansökan")),
            (Route.OKAND, _("Kommunen har inte angett")),
        ],
        error_messages={"invalid_choice": _("Välj väg in bland alternativen i listan.")},
    )
    omrade = django_filters.ChoiceFilter(
        label=_("Område"),
        empty_label=_("Hela kommunen"),
        choices=area_choices,
        method="filter_area",
        error_messages={"invalid_choice": _("Välj område bland alternativen i listan.")},
    )
    oppet_nu = django_filters.ChoiceFilter(
        label=_("Telefonen är öppen"),
        empty_label=_("När som helst"),
        choices=[("1", _("Öppet just nu"))],
        method="filter_open_now",
        error_messages={"invalid_choice": _("Välj ”Öppet just nu” eller ingenting.")},
    )

    class Meta:
        model = Offering
        fields = []

    def filter_search(self, qs, name, value):
        return qs.search(value) if value else qs

    def filter_needs(self, qs, name, value):
        return qs.for_needs(value) if value else qs

    def filter_age(self, qs, name, value):
        return qs.for_age(value) if value is not None else qs

    def filter_area(self, qs, name, value):
        return qs.in_area(value) if value else qs

    def filter_open_now(self, qs, name, value):
        return qs.open_at(timezone.now()) if value == "1" else qs
