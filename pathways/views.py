"""Hitta stöd: one question per page, then the result page. Everything travels by GET.

Nothing a resident answers is stored: answers live only in the URL of their own browser.
Which question comes next is `steps.py`'s business, what the result says `routing.py`'s; the
views only translate between those and HTTP.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from pathways import selectors, steps
from pathways.forms import VEM_HINTS, ResultForm
from pathways.routing import LISTED_SECTIONS, SECTION_LIMIT, decide
from pathways.steps import Step
from portal.views import choose_municipality
from providers.models import Need

STEP_MARKER = "steg"
PAGE_PARAM = "sida"


@require_safe
def question(request: HttpRequest, name: str = "fara") -> HttpResponse:
    step = steps.STEP_BY_NAME.get(name)
    if step is None:
        raise Http404
    params = steps.answers_from(request.GET)
    if request.GET.get(STEP_MARKER) == step.name:
        form = steps.bind(step, request.GET)
        if form.is_valid():
            return redirect(_after(step, steps.answer(step, form, params)))
    else:
        form = steps.bind(step, initial=steps.initial_answers(step, params))
    carried = params.copy()
    for field in step.fields:
        carried.pop(field, None)
    previous = steps.previous_step(step, params)
    return render(
        request,
        step.template,
        {
            "step": step,
            "form": form,
            "carried": [(k, v) for k in carried for v in carried.getlist(k)],
            "back_url": _step_url(previous, params) if previous else reverse("home"),
            "vem_hints": VEM_HINTS,
            **_step_context(step, form),
        },
    )


def _step_context(step: Step, form) -> dict:
    if step.name != "behov":
        return {}
    selected = form["behov"].value() or []
    return {"needs": Need.cached(), "selected": [str(v) for v in selected]}


def _after(step: Step, answers: QueryDict) -> str:
    """Where a valid answer leads: the emergency page, the next question or the result."""
    if step is steps.FIRST and answers.get("akut") == "ja":
        return reverse("pathways:emergency") + "?" + answers.urlencode()
    return _next_url(step, answers)


def _next_url(step: Step, answers: QueryDict) -> str:
    following = steps.next_step(step, answers)
    if following is None:
        return reverse("pathways:result") + "?" + answers.urlencode()
    return _step_url(following, answers)


def _step_url(step: Step, answers: QueryDict) -> str:
    if step is steps.FIRST:
        url = reverse("pathways:start")
    else:
        url = reverse("pathways:step", kwargs={"name": step.name})
    query = answers.urlencode()
    return url + (f"?{query}" if query else "")


@require_safe
def emergency(request: HttpRequest) -> HttpResponse:
    params = steps.answers_from(request.GET)
    params.setlist("akut", ["ja"])
    return render(
        request,
        "pathways/emergency.html",
        {
            "continue_url": _next_url(steps.FIRST, params),
            "back_url": _step_url(steps.FIRST, params),
        },
    )


@require_safe
def result(request: HttpRequest) -> HttpResponse:
    params = steps.answers_from(request.GET)
    form = ResultForm(params)
    form.is_valid()
    answers = form.answers()
    place = _place(request)
    if place is None:
        return choose_municipality(request)
    shortlist = selectors.candidates(answers, place=place)
    decision = decide(answers, shortlist.candidates, shortlist.totals, place.roles)
    rows = selectors.result_rows(decision, shortlist.listed, place)
    sections = [
        {
            "key": section.key,
            "total": section.total,
            "rows": rows[section.key],
            # The best few are shown here; the rest are one link away.
            "more_url": (
                _section_url(section.key, params) if section.total > len(section.matches) else None
            ),
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
            "change_url": _step_url(steps.STEP_BY_NAME["vem"], params),
            "share_url": request.build_absolute_uri(),
        },
    )


@require_safe
def section(request: HttpRequest, key: str) -> HttpResponse:
    """A section's whole list, page by page: what the result page leaves out when it is long."""
    if key not in LISTED_SECTIONS:
        raise Http404
    params = steps.answers_from(request.GET)
    form = ResultForm(params)
    form.is_valid()
    answers = form.answers()
    number = _page_number(request.GET.get(PAGE_PARAM))
    place = _place(request)
    if place is None:
        return choose_municipality(request)
    shortlist = selectors.section_page(answers, key, number, place=place)
    if not shortlist.candidates and number > 1:
        raise Http404
    decision = decide(answers, shortlist.candidates, shortlist.totals, place.roles)
    total = shortlist.totals[key]
    page = Paginator(range(total), SECTION_LIMIT).get_page(number)
    return render(
        request,
        "pathways/section.html",
        {
            "form": form,
            "answers": answers,
            "section": {
                "key": key,
                "total": total,
                "rows": selectors.result_rows(decision, shortlist.listed, place)[key],
            },
            "page": page,
            "query_string": params.urlencode(),
            "result_url": reverse("pathways:result") + "?" + params.urlencode(),
        },
    )


def _place(request: HttpRequest):
    """The guide's municipality; None for `kommun=alla`, which the guide cannot answer for."""
    place = request.municipality
    return None if place.is_all else place


def _page_number(value: str | None) -> int:
    """A page number from the query; anything that is not a page number means the first."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 6:
        return 1
    return max(int(value), 1)


def _section_url(key: str, answers: QueryDict) -> str:
    url = reverse("pathways:section", kwargs={"key": key})
    query = answers.urlencode()
    return url + (f"?{query}" if query else "")
