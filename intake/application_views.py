"""The biståndsansökan (`/ansok/`) and the handläggare's queue (`/personal/ansokningar/`).

**The resident's side.** A start page, then one question per page (`/ansok/<step>/`), then
"Kontrollera dina svar" with a change link per answer, then the confirmation. Between pages the
answers live only in the person's session, encrypted (intake.drafts); the check page validates
every answer again with the same forms and only then stores one `Application`
(intake.services.submit: exactly once, all or nothing). A draft that has gone (30 minutes idle,
the browser closed) sends the person back to the start with a plain message.

Step names are the URL's last part; which steps apply depends on earlier answers (the child's
details only for a guardian; the choice of provider only where there is kundval for the needs
chosen). A page further on than the first unanswered one leads back to that one.

The application goes to the social office of the page's municipality (`kommun=`, which every
link, form and redirect of the flow keeps). The whole country (`kommun=alla`) or a generated
test municipality has no social office to send it to: the person chooses a municipality first.

**The handläggare's side.** The queue (time since submission, status, handläggare, filters,
decisions that must be reported to IVO) and one application with its history and the forms for
each transition in intake.services. Every view of either is recorded (AccessRecord).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from intake import crypto, drafts, places, services
from intake.application_forms import (
    NO_PREFERENCE,
    YES,
    AssignForm,
    ChildForm,
    CloseForm,
    ConsentForm,
    ContactForm,
    DecideForm,
    ForWhomForm,
    InterpreterForm,
    NeedsForm,
    ProviderForm,
    QueueFilterForm,
    SubmitForm,
    kundval_providers,
)
from intake.drafts import Draft
from intake.identity import identity_step
from intake.models import AccessRecord, Application, Kind
from intake.protection import RATE_LIMIT_MESSAGE, over_rate_limit
from portal.permissions import Role, for_user_municipalities, role_required
from portal.templatetags.portal_tags import with_kommun
from providers import phones
from providers.models import Need, Provider

FROM_CHECK = "fran"  # ?fran=kontrollera: a change from the check page returns there
CHECK = "kontrollera"
EXPIRED = "utgangen"  # /ansok/?utgangen=1: the draft had gone
SUBMIT_FAILED_MESSAGE = gettext_lazy(
    "Det gick inte att skicka just nu. Inget har sparats. Dina svar finns kvar här – försök "
    "igen om en stund. Är det akut: ring 112."
)
QUEUE_PAGE_SIZE = 50

# --- The steps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    title: str  # the page's heading and title (lazy)
    template: str = ""

    def template_name(self) -> str:
        if self.name == "identitet":
            return identity_step().template_name
        return self.template or f"intake/application/step_{self.name.replace('-', '_')}.html"


STEPS = [
    Step("behov", gettext_lazy("Vad behöver du hjälp med?")),
    Step("for-vem", gettext_lazy("Vem gäller ansökan?")),
    Step("identitet", gettext_lazy("Ditt namn och personnummer")),
    Step("barn", gettext_lazy("Barnets namn och personnummer")),
    Step("kontakt", gettext_lazy("Hur når vi dig?")),
    Step("tolk", gettext_lazy("Behöver du tolk?")),
    Step("utforare", gettext_lazy("Vill du få stödet från en särskild utförare?")),
    Step("samtycke", gettext_lazy("Så hanterar vi dina uppgifter")),
]
STEP_BY_NAME = {step.name: step for step in STEPS}


def _needs(draft: Draft) -> list[str]:
    return list((draft.step("behov") or {}).get("behov") or [])


def _applies(step: Step, draft: Draft) -> bool:
    if step.name == "barn":
        return (draft.step("for-vem") or {}).get("for_whom") == Application.ForWhom.CHILD
    if step.name == "utforare":
        # Kundval: a choice among at least two providers for the needs chosen.
        return len(kundval_providers(_needs(draft), draft.place)) >= 2
    return True


def applicable_steps(draft: Draft) -> list[Step]:
    return [step for step in STEPS if _applies(step, draft)]


def _form(step: Step, draft: Draft, *, data=None, initial=None):
    kwargs = {"data": data, "initial": initial}
    if step.name == "behov":
        return NeedsForm(**kwargs)
    if step.name == "for-vem":
        return ForWhomForm(**kwargs)
    if step.name == "identitet":
        return identity_step().form_class(**kwargs)
    if step.name == "barn":
        applicant = (draft.step("identitet") or {}).get("personnummer", "")
        return ChildForm(applicant=applicant, **kwargs)
    if step.name == "kontakt":
        return ContactForm(**kwargs)
    if step.name == "tolk":
        return InterpreterForm(**kwargs)
    if step.name == "utforare":
        return ProviderForm(choices=kundval_providers(_needs(draft), draft.place), **kwargs)
    if step.name == "samtycke":
        return ConsentForm(**kwargs)
    raise Http404  # pragma: no cover - every step is handled above


def _stored(form) -> dict:
    """What the draft keeps of a valid form: its cleaned values (text, lists, booleans)."""
    return {name: form.cleaned_data.get(name) for name in form.fields}


def _valid(step: Step, draft: Draft) -> dict | None:
    """The step's answer as its form cleans it now, or None when unanswered or no longer valid
    (a test number under production settings, a provider no longer offered)."""
    stored = draft.step(step.name)
    if stored is None:
        return None
    form = _form(step, draft, data=stored)
    return form.cleaned_data if form.is_valid() else None


def first_incomplete(draft: Draft) -> Step | None:
    for step in applicable_steps(draft):
        if _valid(step, draft) is None:
            return step
    return None


def _step_url(step: Step, *, changing: bool = False) -> str:
    url = reverse("intake:application_step", kwargs={"step": step.name})
    return with_kommun(url, f"{FROM_CHECK}={CHECK}" if changing else "")


def _check_url() -> str:
    return places.url("intake:application_check")


def _expired() -> HttpResponse:
    return redirect(places.url("intake:application_start", f"{EXPIRED}=1"))


def _load(request: HttpRequest) -> Draft | None:
    draft = drafts.load(request)
    if draft is not None:
        draft.place = request.municipality
    return draft


# --- The resident's pages -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def application_start(request: HttpRequest) -> HttpResponse:
    """What applying means and what happens next; POST starts a new draft (the "Börja" button).

    Showing the page keeps no session: one is made only when the person starts."""
    if refused := places.no_social_office(request):
        return refused
    if request.method == "POST":
        drafts.start(request)
        return redirect(_step_url(STEPS[0]))
    draft = _load(request)
    resume = None
    if draft is not None and draft.answers:
        step = first_incomplete(draft)
        resume = _step_url(step) if step else _check_url()
    return render(
        request,
        "intake/application/start.html",
        {"expired": request.GET.get(EXPIRED) == "1" and draft is None, "resume_url": resume},
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def application_step(request: HttpRequest, step: str) -> HttpResponse:
    current = STEP_BY_NAME.get(step)
    if current is None:
        raise Http404
    if refused := places.no_social_office(request):
        return refused
    draft = _load(request)
    if draft is None:
        return _expired()
    changing = (request.POST if request.method == "POST" else request.GET).get(FROM_CHECK) == CHECK
    steps = applicable_steps(draft)
    if current not in steps:
        following = first_incomplete(draft)
        return redirect(_step_url(following) if following else _check_url())
    # No skipping ahead: an earlier unanswered question comes first.
    missing = first_incomplete(draft)
    if missing is not None and steps.index(missing) < steps.index(current):
        return redirect(_step_url(missing, changing=changing))

    if request.method == "POST":
        form = _form(current, draft, data=request.POST)
        if form.is_valid():
            draft.set_step(current.name, _stored(form))
            if current.name == "for-vem" and form.cleaned_data["for_whom"] != "barn":
                draft.drop_step("barn")  # keep nothing about a child who is not in it
            drafts.save(request, draft)
            return redirect(_after(current, draft, changing=changing))
    else:
        form = _form(current, draft, initial=draft.step(current.name))
        drafts.save(request, draft)  # looking at a page is activity too: the draft lives on

    position = steps.index(current)
    if changing:
        back_url = _check_url()
    elif position == 0:
        back_url = places.url("intake:application_start")
    else:
        back_url = _step_url(steps[position - 1])
    return render(
        request,
        current.template_name(),
        {
            "step": current,
            "form": form,
            "heading": current.title,
            "back_url": back_url,
            "changing": changing,
            "position": position + 1,
            "total": len(steps),
            **_step_context(current, form, draft),
        },
    )


def _after(step: Step, draft: Draft, *, changing: bool) -> str:
    """Where a valid answer leads: the next question, or the check page (a change from the
    check page goes back there, unless the change opened a question still to answer)."""
    if changing:
        missing = first_incomplete(draft)
        return _step_url(missing, changing=True) if missing else _check_url()
    steps = applicable_steps(draft)
    later = steps[steps.index(step) + 1 :]
    return _step_url(later[0]) if later else _check_url()


def _step_context(step: Step, form, draft: Draft) -> dict:
    if step.name == "behov":
        selected = form["behov"].value() or []
        return {"needs": Need.cached(), "selected": [str(value) for value in selected]}
    if step.name == "for-vem":
        return {"hints": ForWhomForm.HINTS}
    if step.name == "utforare":
        return {"hints": form.hints}
    if step.name == "samtycke":
        return {"retention_days": settings.INTAKE_RETENTION_DAYS.get(Kind.APPLICATION, 90)}
    return {}


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def application_check(request: HttpRequest) -> HttpResponse:
    """The check page ("Kontrollera dina svar"), a change link per answer; POST sends it to the
    page's municipality's social office."""
    if refused := places.no_social_office(request):
        return refused
    draft = _load(request)
    if draft is None:
        # Sent already (a double click, a reloaded page, a second tab): the same receipt.
        if drafts.receipt(request) is not None:
            return redirect(places.url("intake:application_done"))
        return _expired()
    missing = first_incomplete(draft)
    if missing is not None:
        return redirect(_step_url(missing, changing=True))
    steps = applicable_steps(draft)
    answers = {step.name: _valid(step, draft) for step in steps}
    back_url = _step_url(steps[-1])

    if request.method != "POST":
        drafts.save(request, draft)  # activity: the draft lives on
        return _check_page(request, answers, SubmitForm(), back_url=back_url)
    if over_rate_limit(request, Kind.APPLICATION):
        return _check_page(
            request,
            answers,
            SubmitForm(),
            back_url=back_url,
            problem=RATE_LIMIT_MESSAGE,
            status=429,
        )
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _check_page(request, answers, form, back_url=back_url)
    fields = {**application_fields(answers), "municipality_id": places.municipality_id(request)}
    content = {name: value for name, value in fields.items() if name != "consent_at"}
    try:
        submitted = services.submit(Application, fields, content=content)
    except DatabaseError:
        return _check_page(
            request,
            answers,
            form,
            back_url=back_url,
            problem=SUBMIT_FAILED_MESSAGE,
            status=503,
        )
    application = submitted.submission
    drafts.discard(request)
    drafts.keep_receipt(
        request,
        {
            "reference": application.reference,
            "kind": Kind.APPLICATION.value,
            "already": not submitted.created,
            "for_child": application.for_whom == Application.ForWhom.CHILD,
            "tolk": application.tolk,
            "receipt_mail": application.wants_receipt,
            "municipality": request.municipality.slug,
        },
    )
    return redirect(places.url("intake:application_done"))


def application_fields(answers: dict[str, dict]) -> dict:
    """The Application's fields from the cleaned answers of every applicable step."""
    identity = identity_step().identity(answers["identitet"])
    needs = answers["behov"]
    child = answers.get("barn") or {}
    contact = answers["kontakt"]
    interpreter = answers["tolk"]
    choice = (answers.get("utforare") or {}).get("utforare") or NO_PREFERENCE
    provider = (
        None
        if choice == NO_PREFERENCE
        else Provider.objects.filter(slug=choice, is_published=True).first()
    )
    return {
        "behov": list(needs["behov"]),
        "beskrivning": needs["beskrivning"],
        "for_whom": answers["for-vem"]["for_whom"],
        "namn": identity.name,
        "personnummer": identity.personnummer,
        "personnummer_hash": crypto.keyed_hash("personnummer", identity.personnummer),
        "identity_method": identity.method,
        "identity_verified": identity.verified,
        "barn_namn": child.get("barn_namn", ""),
        "barn_personnummer": child.get("barn_personnummer", ""),
        "telefon": contact["telefon"],
        "epost": contact["epost"],
        "wants_receipt": bool(contact["kvitto"]),
        "tolk": interpreter["tolk"] == YES,
        "tolk_sprak": interpreter["tolk_sprak"],
        "preferred_provider": provider,
        "consent_at": timezone.now(),
    }


def _check_page(request, answers, form, *, back_url: str, problem=None, status=200) -> HttpResponse:
    return render(
        request,
        "intake/application/check.html",
        {
            "rows": _summary_rows(answers),
            "form": form,
            "problem": problem,
            "back_url": back_url,
        },
        status=status,
    )


def _summary_rows(answers: dict[str, dict]) -> list[dict]:
    """The check page's rows: what was asked, the answer, and the page to change it on."""
    rows = []

    def row(step: str, label, value):
        rows.append(
            {
                "label": label,
                "value": value,
                "many": isinstance(value, list),
                "url": _step_url(STEP_BY_NAME[step], changing=True),
                "step": step,
            }
        )

    labels = {need.slug: need.label for need in Need.cached()}
    needs = answers["behov"]
    row("behov", _("Det du behöver hjälp med"), [labels.get(s, s) for s in needs["behov"]])
    row("behov", _("Med egna ord"), needs["beskrivning"] or _("Inget skrivet"))
    row(
        "for-vem",
        _("Ansökan gäller"),
        Application.ForWhom(answers["for-vem"]["for_whom"]).label,
    )
    identity = identity_step().identity(answers["identitet"])
    row("identitet", _("Ditt namn"), identity.name)
    row("identitet", _("Ditt personnummer"), identity.personnummer)
    if "barn" in answers:
        row("barn", _("Barnets namn"), answers["barn"]["barn_namn"])
        row("barn", _("Barnets personnummer"), answers["barn"]["barn_personnummer"])
    contact = answers["kontakt"]
    row(
        "kontakt",
        _("Telefon"),
        phones.display(contact["telefon"]) if contact["telefon"] else _("Inget"),
    )
    row("kontakt", _("E-post"), contact["epost"] or _("Ingen"))
    row(
        "kontakt",
        _("Mejl när ansökan kommit fram"),
        _("Ja") if contact["kvitto"] else _("Nej"),
    )
    interpreter = answers["tolk"]
    row(
        "tolk",
        _("Tolk"),
        _("Ja, på %(language)s") % {"language": interpreter["tolk_sprak"]}
        if interpreter["tolk"] == YES
        else _("Nej"),
    )
    if "utforare" in answers:
        choice = answers["utforare"]["utforare"]
        provider = Provider.objects.filter(slug=choice).first()
        row(
            "utforare",
            _("Önskad utförare"),
            provider.name_text if provider else _("Ingen särskild önskan"),
        )
    return rows


@never_cache
@require_safe
def application_done(request: HttpRequest) -> HttpResponse:
    receipt = drafts.receipt(request)
    if receipt is None:
        return redirect(places.url("intake:application_start"))
    return render(
        request,
        "intake/application/done.html",
        {"receipt": receipt, "municipality": places.municipality_label(receipt)},
    )


# --- The handläggare's queue --------------------------------------------------------------------


@never_cache
@require_safe
@role_required(Role.HANDLAGGARE)
def application_queue(request: HttpRequest) -> HttpResponse:
    """The municipality's applications, the longest-waiting first, filtered by status and
    "mine"."""
    filters = QueueFilterForm(request.GET or None)
    applications = for_user_municipalities(
        Application.objects.select_related("assigned_to").order_by("created_at", "pk"),
        request.user,
    )
    if filters.is_bound and not filters.is_valid():
        applications = applications.none()
    elif filters.is_bound:
        applications = filters.filter(applications, request.user)
    else:
        applications = applications.exclude(status=Application.Status.CLOSED)
    page = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    services.record_access(request.user, Kind.APPLICATION, AccessRecord.Action.LISTED, rows)
    query = request.GET.copy()
    query.pop("sida", None)
    # The same rule as Application.ivo_reportable, counted in the database.
    ivo_count = (
        for_user_municipalities(Application.objects, request.user)
        .filter(
            status=Application.Status.DECIDED,
            decision__in=[Application.Decision.GRANTED, Application.Decision.PARTLY],
            decided_at__lt=timezone.now() - Application.IVO_LIMIT,
        )
        .count()
    )
    return render(
        request,
        "intake/application/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "now": timezone.now(),
            "query_string": query.urlencode(),
            "ivo_count": ivo_count,
        },
    )


ACTIONS = ("tilldela", "utred", "besluta", "verkstall", "avsluta")


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.HANDLAGGARE)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, its history, and the forms for the next step of its handling."""
    # Another municipality's application is not there for this handläggare (404).
    mine = for_user_municipalities(Application.objects, request.user)
    application = get_object_or_404(mine.select_related("assigned_to", "preferred_provider"), pk=pk)
    forms = {
        "assign": AssignForm(
            user=request.user, prefix="tilldela", municipality_id=application.municipality_id
        ),
        "decide": DecideForm(prefix="beslut"),
        "close": CloseForm(prefix="avsluta"),
    }
    if request.method == "POST":
        response = _transition(request, application, forms)
        if response is not None:
            return response
        status = 400  # a form with errors: the page is shown again, so it is opened again
    else:
        status = 200
    services.record_access(
        request.user, Kind.APPLICATION, AccessRecord.Action.OPENED, [application]
    )
    labels = {need.slug: need.label for need in Need.cached()}
    events = application.events.order_by("at", "pk")
    return render(
        request,
        "intake/application/detail.html",
        {
            "application": application,
            "needs": [labels.get(slug, slug) for slug in application.behov],
            "telefon": phones.display(application.telefon) if application.telefon else "",
            "events": events,
            "refused": application.decision == Application.Decision.REFUSED,
            **forms,
        },
        status=status,
    )


def _transition(request, application: Application, forms: dict) -> HttpResponse | None:
    """Apply the POSTed transition; a redirect when done or refused, None to show form errors."""
    action = request.POST.get("atgard")
    if action not in ACTIONS:
        messages.error(request, _("Välj vad du vill göra med ansökan."))
        return redirect("intake:application_detail", pk=application.pk)
    user = request.user
    try:
        if action == "tilldela":
            form = forms["assign"] = AssignForm(
                request.POST,
                user=user,
                prefix="tilldela",
                municipality_id=application.municipality_id,
            )
            if not form.is_valid():
                return None
            services.application_assign(
                application, by=user, to_user=form.cleaned_data["handlaggare"]
            )
        elif action == "utred":
            services.application_investigate(application, by=user)
        elif action == "besluta":
            form = forms["decide"] = DecideForm(request.POST, prefix="beslut")
            if not form.is_valid():
                return None
            services.application_decide(
                application,
                by=user,
                decision=form.cleaned_data["beslut"],
                note=form.cleaned_data["anteckning"],
            )
        elif action == "verkstall":
            services.application_carry_out(application, by=user)
        else:
            form = forms["close"] = CloseForm(request.POST, prefix="avsluta")
            if not form.is_valid():
                return None
            services.application_close(application, by=user, note=form.cleaned_data["anteckning"])
    except services.TransitionNotAllowed:
        application.refresh_from_db()
        messages.error(
            request,
            _(
                "Det gick inte: ansökan har status ”%(status)s” och kan inte ändras så nu. "
                "Någon kan ha ändrat den samtidigt. Se historiken nedan."
            )
            % {"status": application.get_status_display()},
        )
        return redirect("intake:application_detail", pk=application.pk)
    application.refresh_from_db()
    messages.success(
        request,
        _("Klart. Ansökan har nu status ”%(status)s”.")
        % {"status": application.get_status_display()},
    )
    return redirect("intake:application_detail", pk=application.pk)
