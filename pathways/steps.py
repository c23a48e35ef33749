"""The guide's questions: their order, which of them to ask, and when one counts as answered.

Plain rules over the answers so far (the query parameters, a QueryDict); `views.py` turns them
into pages and URLs. Like `routing.py`, nothing here touches the database or the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from pathways.forms import (
    AlderForm,
    BehovForm,
    FaraForm,
    OroBarnForm,
    ResultForm,
    TillSistForm,
    VemForm,
)

# The only query parameters carried from question to question: DOMAIN.md's result contract.
# `kommun` rides along so the municipality a resident chose stays chosen (DOMAIN.md).
ANSWER_KEYS = ("kommun", "akut", "vem", "alder", "behov", "oro_barn", "omrade", "anonym")


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
FIRST = STEPS[0]


def answers_from(params: QueryDict) -> QueryDict:
    """Only the guide's own answer keys, so nothing else is carried from page to page."""
    kept = QueryDict(mutable=True)
    for key in ANSWER_KEYS:
        values = [v for v in params.getlist(key) if v is not None]
        if values:
            kept.setlist(key, values)
    return kept


def is_relevant(step: Step, params: QueryDict) -> bool:
    """Whether to ask the question at all, given the answers so far."""
    if step.name == "barn":
        # Ask about a child who may be harmed when a child is involved (the support is for a
        # child, a professional asks, or the person is under 18) or violence is part of it.
        answers = ResultForm(params)
        answers.is_valid()
        given = answers.answers()
        return given.involves_child or "vald" in given.behov
    return True


def is_answered(step: Step, params: QueryDict) -> bool:
    if not any(name in params for name in step.fields):
        return False
    return bind(step, params).is_valid()


def next_step(current: Step, params: QueryDict) -> Step | None:
    """The next question that is relevant and not yet answered; None: time for the result."""
    for step in STEPS[STEPS.index(current) + 1 :]:
        if is_relevant(step, params) and not is_answered(step, params):
            return step
    return None


def previous_step(current: Step, params: QueryDict) -> Step | None:
    """The question before this one that was asked; None before the first."""
    for step in reversed(STEPS[: STEPS.index(current)]):
        if is_relevant(step, params):
            return step
    return None


def bind(step: Step, data: QueryDict | None = None, initial: dict | None = None) -> forms.Form:
    """The step's form, bound to submitted data or showing earlier answers as initial values."""
    kwargs = {}
    if step.form_class is AlderForm:
        # The age question is worded for whoever the support is for.
        source = data if data is not None else initial or {}
        kwargs["vem"] = source.get("vem")
    if data is not None:
        return step.form_class(data, **kwargs)
    return step.form_class(initial=initial, **kwargs)


def initial_answers(step: Step, params: QueryDict) -> dict:
    """Earlier answers to this step's questions, to show them again when someone goes back."""
    initial = {"vem": params.get("vem")}
    for field in step.fields:
        values = params.getlist(field)
        if values:
            initial[field] = values if field == "behov" else values[0]
    return initial


def answer(step: Step, form: forms.Form, params: QueryDict) -> QueryDict:
    """The answers after a valid answer to `step`: its values in, those it invalidates out."""
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
    return new


def _as_list(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
