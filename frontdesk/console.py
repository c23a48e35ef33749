"""Mottagningen's console: search the catalogue while a caller talks, and build their slip.

One GET form (so a search can be repeated or bookmarked): the catalogue's full-text search,
the guide's answers as compact filters, and `insats` checkboxes on the results. The results
are the resident's result page for the same answers (pathways' own decision, not a copy),
narrowed to what the search finds, with the staff-only facts beside each offering.

The navigator works in their own municipality (portal.permissions.user_place): its offerings
(and other municipalities' that also take its residents) and its providers in the fixed roles,
as a resident of it sees them.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from frontdesk import sms
from frontdesk.forms import SlipForm
from frontdesk.views import slip_url, text_for
from pathways import selectors
from pathways.forms import YES_NO, ResultForm
from pathways.routing import decide
from pathways.steps import answers_from
from portal.permissions import Role, role_required, user_place
from providers.models import Offering, OfferingStaffFacts
from providers.municipalities import Place
from providers.search import search_words
from providers.vocabulary import Audience

QUERY_MAX_LENGTH = 200
ANY = [("", _("Spelar ingen roll"))]


class ConsoleForm(ResultForm):
    """The result page's parameters, with the same messages, plus the search words."""

    q = forms.CharField(
        label=_("Sök i katalogen"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _("Skriv en kortare sökning, högst %(limit_value)d tecken."),
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "vem": _("Vem gäller det?"),
            "alder": _("Ålder"),
            "behov": _("Vad handlar det om?"),
            "omrade": _("Område"),
            "anonym": _("Vill vara anonym"),
            "oro_barn": _("Oro för att ett barn far illa"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["vem"].choices = ANY + list(Audience.choices)
        self.fields["alder"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}
        )
        self.fields["behov"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["behov"].choices
        )
        for name in ("anonym", "oro_barn"):
            self.fields[name].choices = ANY + YES_NO

    def query(self) -> str:
        """The search words as typed, or "" when they could not be read."""
        return "" if "q" in self.errors else self.cleaned_data.get("q", "")


@require_safe
@role_required(Role.MOTTAGNING)
def console(request: HttpRequest) -> HttpResponse:
    place = user_place(request.user)
    if place is None:
        return no_municipality(request)
    form = ConsoleForm(request.GET)
    form.is_valid()
    answers = form.answers()
    query = form.query()
    asked = bool(search_words(query)) or bool(answers_from(request.GET))
    sections = _sections(answers, query, place) if asked else []
    picks = _picks(request, place)
    shown = {row["slug"] for section in sections for row in section["rows"]}
    for section in sections:
        for row in section["rows"]:
            row["picked"] = row["slug"] in picks["slugs"]
    return render(
        request,
        "frontdesk/console/console.html",
        {
            "form": form,
            "asked": asked,
            "answers": answers,
            "sections": sections,
            "filters_used": any(form[name].value() for name in form.FIELD_NAMES),
            "picks": picks,
            "picked_elsewhere": [o for o in picks["offerings"] if o.slug not in shown],
            "call_log_url": _call_log_url(answers, picks["slugs"]),
            "place": place,
        },
    )


def no_municipality(request: HttpRequest) -> HttpResponse:
    """A staff member in no municipality sees no municipality's rows: say so (403)."""
    return render(request, "staff/no_municipality.html", status=403)


def _sections(answers, query: str, place: Place) -> list[dict]:
    """The result page's sections for these answers, narrowed to what the search finds.

    The search restricts the offerings the decision ranks (a subquery in the shortlist's SQL),
    so the grouping and the order are the resident's; the fixed sections stay as they are.
    """
    within = Offering.objects.search(query).for_place(place) if search_words(query) else None
    shortlist = selectors.candidates(answers, within, place=place)
    decision = decide(answers, shortlist.candidates, shortlist.totals, place.roles)
    rows = selectors.result_rows(decision, shortlist.listed, place)
    facts = _staff_facts([row["id"] for section in rows.values() for row in section])
    return [
        {
            "key": section.key,
            "total": section.total,
            "rows": [
                {**row, "staff": facts.get(row["id"]), "pick_id": f"{section.key}-{i}"}
                for i, row in enumerate(rows[section.key], start=1)
            ],
        }
        for section in decision.ordered_sections
    ]


def _staff_facts(offering_ids: list[int]) -> dict[int, OfferingStaffFacts]:
    """The staff-only facts of the shown offerings, by offering id, in one query."""
    if not offering_ids:
        return {}
    return {
        facts.offering_id: facts
        for facts in OfferingStaffFacts.objects.filter(offering_id__in=offering_ids)
    }


def _picks(request: HttpRequest, place: Place) -> dict:
    """The offerings picked for the slip, the slip's link and its SMS text, or the errors."""
    picks = {"form": None, "offerings": [], "slugs": [], "url": "", "text": ""}
    if not any(value.strip() for value in request.GET.getlist("insats")):
        return picks
    form = SlipForm(request.GET)
    picks["form"] = form
    if not form.is_valid():
        return picks
    offerings = form.cleaned_data["insats"]
    text = text_for(request, offerings, place)
    picks.update(
        offerings=offerings,
        slugs=[offering.slug for offering in offerings],
        url=request.build_absolute_uri(slip_url(offerings, place)),
        text=text,
        characters=sms.septets(text) if sms.is_gsm(text) else len(text),
        parts=sms.part_count(text),
    )
    return picks


def _call_log_url(answers, slugs: list[str]) -> str:
    """The call log's new-entry form, pre-filled with what was searched and picked."""
    query = QueryDict(mutable=True)
    query.setlist("behov", list(answers.behov))
    query.setlist("insatser", slugs)
    if answers.vem:
        query["vem"] = answers.vem
    if answers.alder is not None:
        query["alder"] = str(answers.alder)  # the form turns it into the age group
    if answers.omrade:
        query["omrade"] = answers.omrade
    # The form lives under the console (DOMAIN.md); its path follows the page's language.
    url = reverse("frontdesk:console") + "samtal/ny/"
    return url + ("?" + query.urlencode() if query else "")
