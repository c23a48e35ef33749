"""Hitta stöd: one question per page, then the result page. Everything travels by GET.

Nothing a resident answers is stored: answers live only in the URL of their own browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pathways import selectors
from pathways.forms import (
    VEM_HINTS,
    AlderForm,
    BehovForm,
    FaraForm,
    OroBarnForm,
    ResultForm,
    TillSistForm,
    VemForm,
)
from pathways.routing import decide
from providers.models import Need

ANSWER_KEYS = ("akut", "vem", "alder", "behov", "oro_barn", "omrade", "anonym")
STEP_MARKER = "steg"


@dataclass(frozen=True)
class Step:
    name: str
    form_class: type[forms.Form]
    template: str = "pathways/step.html"
    # Answers asked again after this one is (re)answered: the age was about someone else.
    invalidates: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.form_class.base_fields)


STEPS = [
    Step("fara", FaraForm),
    Step("vem", VemForm, invalidates=("alder", "oro_barn")),
    Step("alder", AlderForm),
    Step("behov", BehovForm, template="pathways/step_behov.html"),
    Step("barn", OroBarnForm),
    Step("till-sist", TillSistForm),
]
STEP_BY_NAME = {step.name: step for step in STEPS}


def answers_from(params: QueryDict) -> QueryDict:
    """Only the guide's own answer keys, so nothing else is carried from page to page."""
    kept = QueryDict(mutable=True)
    for key in ANSWER_KEYS:
        values = [v for v in params.getlist(key) if v is not None]
        if values:
            kept.setlist(key, values)
    return kept


def is_relevant(step: Step, params: QueryDict) -> bool:
    if step.name == "barn":
        # Asked when a child is involved, a professional asks, or violence is part of it.
        answers = ResultForm(params)
        answers.is_valid()
        a = answers.answers()
        return a.involves_child or "vald" in a.behov
    return True


def is_answered(step: Step, params: QueryDict) -> bool:
    if not any(name in params for name in step.fields):
        return False
    form = _bind(step, params)
    return form.is_valid()


def next_url(current: Step, params: QueryDict) -> str:
    """The next question that is relevant and not yet answered, or the result page."""
    index = STEPS.index(current)
    for step in STEPS[index + 1 :]:
        if is_relevant(step, params) and not is_answered(step, params):
            return _url(step, params)
    return reverse("pathways:result") + "?" + params.urlencode()


def back_url(current: Step, params: QueryDict) -> str:
    index = STEPS.index(current)
    for step in reversed(STEPS[:index]):
        if is_relevant(step, params):
            return _url(step, params)
    return reverse("home")


def _url(step: Step, params: QueryDict) -> str:
    name = "pathways:start" if step.name == "fara" else "pathways:step"
    kwargs = {} if step.name == "fara" else {"name": step.name}
    query = params.urlencode()
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def _bind(step: Step, data=None, initial=None) -> forms.Form:
    kwargs = {}
    if step.form_class is AlderForm:
        source = data if data is not None else initial or {}
        kwargs["vem"] = source.get("vem")
    if data is not None:
        return step.form_class(data, **kwargs)
    return step.form_class(initial=initial, **kwargs)


@require_GET
def question(request: HttpRequest, name: str = "fara") -> HttpResponse:
    step = STEP_BY_NAME.get(name)
    if step is None:
        raise Http404
    params = answers_from(request.GET)
    if request.GET.get(STEP_MARKER) == step.name:
        form = _bind(step, request.GET)
        if form.is_valid():
            return redirect(_after(step, form, params))
    else:
        form = _bind(step, initial=_initial(step, params) | {"vem": params.get("vem")})
    carried = params.copy()
    for field in step.fields:
        carried.pop(field, None)
    return render(
        request,
        step.template,
        {
            "step": step,
            "form": form,
            "carried": [(k, v) for k in carried for v in carried.getlist(k)],
            "back_url": back_url(step, params),
            "vem_hints": VEM_HINTS,
            **_step_context(step, form),
        },
    )


def _step_context(step: Step, form: forms.Form) -> dict:
    if step.name != "behov":
        return {}
    selected = form["behov"].value() or []
    return {"needs": Need.cached(), "selected": [str(v) for v in selected]}


def _initial(step: Step, params: QueryDict) -> dict:
    initial = {}
    for field in step.fields:
        values = params.getlist(field)
        if values:
            initial[field] = values if field == "behov" else values[0]
    return initial


def _after(step: Step, form: forms.Form, params: QueryDict) -> str:
    """Where a valid answer leads: the emergency page, the next question or the result."""
    new = params.copy()
    for key in step.invalidates:
        new.pop(key, None)
    for field in step.fields:
        value = form.cleaned_data.get(field)
        if value in (None, "", []):
            # An optional question skipped: remember it was asked, so it is not asked again.
            new.setlist(field, [""])
        else:
            new.setlist(field, _as_list(value))
    if step.name == "fara" and new.get("akut") == "ja":
        return reverse("pathways:emergency") + "?" + new.urlencode()
    return next_url(step, new)


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


@require_GET
def emergency(request: HttpRequest) -> HttpResponse:
    params = answers_from(request.GET)
    params.setlist("akut", ["ja"])
    return render(
        request,
        "pathways/emergency.html",
        {"continue_url": next_url(STEPS[0], params), "back_url": _url(STEPS[0], params)},
    )


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    form = ResultForm(answers_from(request.GET))
    form.is_valid()
    answers = form.answers()
    shortlist, totals = selectors.candidates(answers)
    decision = decide(answers, shortlist, totals)
    offerings = selectors.offerings_for(decision)
    now = timezone.now()
    sections = [
        {
            "key": section.key,
            "total": section.total,
            "rows": [
                {
                    "offering": offerings[m.candidate.slug],
                    "status": offerings[m.candidate.slug].phone_status(now),
                    "notes": m.notes,
                }
                for m in section.matches
                if m.candidate.slug in offerings
            ],
        }
        for section in decision.ordered_sections
    ]
    return render(
        request,
        "pathways/result.html",
        {
            "form": form,
            "answers": answers,
            "sections": sections,
            "notices": decision.notices,
            "found_nothing": decision.found_nothing,
            "change_url": _url(STEPS[1], answers_from(request.GET)),
            "share_url": request.build_absolute_uri(),
        },
    )
