"""Contact requests: the resident's form and confirmation (public), and the provider staff's
queue and detail (role `utforare`, only their own providers' requests).

Public: `/stod/<slug>/kontakta/` for published offerings one can contact directly, stored once
through intake.services.submit, then POST-redirect-GET to `/stod/<slug>/kontakta/skickad/`,
which shows the receipt kept in the session (no personal data in it, none in any URL).

Staff: `/personal/forfragningar/` lists the requests of the providers the user is staff of,
oldest first; `/personal/forfragningar/<pk>/` shows one (opening a new one marks it opened) and
takes the status changes as POSTs. Another provider's request is a 404, as if it did not exist.
Every list and every detail shown is recorded (AccessRecord).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from intake import selectors, services
from intake.contact_forms import (
    CloseForm,
    ContactedForm,
    ContactRequestForm,
    DeclineForm,
    QueueFilterForm,
    when_label,
)
from intake.models import AccessRecord, ContactRequest, Kind
from intake.protection import RATE_LIMIT_MESSAGE, over_rate_limit
from portal.permissions import Role, for_user_providers, role_required
from portal.templatetags.portal_tags import with_kommun
from providers import phones
from providers.models import Offering

# Offerings that are a phone call or another form, never a contact request: the emergency
# service is phoned, and socialkontoret's only direct road is the report of concern, which has
# its own form (/orosanmalan/). templates/providers/offering_detail.html names them too.
RECEIPT_KEY = f"intake:receipt:{Kind.CONTACT.value}"
PAGE_SIZE = 50
PROVIDER_STAFF = Role.UTFORARE.value


def _failure_message() -> str:
    return _(
        "Det gick inte att skicka just nu. Inget har sparats. Dina svar finns kvar här – "
        "försök igen om en stund. Är det akut: ring 112."
    )


def _offering(slug: str) -> Offering:
    """A published offering one can ask to be contacted by, or 404."""
    offerings = selectors.contact_request_offerings().select_related("provider")
    return get_object_or_404(offerings, slug=slug)


# --- The resident's form ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@never_cache
def contact_request(request: HttpRequest, slug: str) -> HttpResponse:
    """The form; a valid POST is stored once and answered with a redirect to the receipt."""
    offering = _offering(slug)
    if request.method != "POST":
        return _form_page(request, offering, ContactRequestForm(offering=offering))
    form = ContactRequestForm(request.POST, offering=offering)
    if not form.is_valid():
        return _form_page(request, offering, form)
    if over_rate_limit(request, Kind.CONTACT):
        return _form_page(request, offering, form, problem=str(RATE_LIMIT_MESSAGE), status=429)
    try:
        submitted = services.submit(ContactRequest, _fields(form, offering), content=form.content())
    except DatabaseError:
        return _form_page(request, offering, form, problem=_failure_message(), status=503)
    stored = submitted.submission
    request.session[RECEIPT_KEY] = {
        "kind": Kind.CONTACT.value,
        "reference": stored.reference,
        "offering": offering.slug,
        "already": not submitted.created,
        "receipt_mail": bool(stored.wants_receipt),
        "due": timezone.localdate(stored.due_at).isoformat() if stored.due_at else None,
    }
    done = reverse("intake:contact_request_done", kwargs={"slug": offering.slug})
    return redirect(with_kommun(done))  # the page's municipality's shell on the next page too


def _fields(form: ContactRequestForm, offering: Offering) -> dict:
    data = form.cleaned_data
    now = timezone.now()
    days = offering.response_promise_days
    return {
        "provider": offering.provider,
        "offering": offering,
        "offering_name": offering.name,
        "created_at": now,
        "status_changed_at": now,
        "due_at": now + dt.timedelta(days=days) if days else None,
        "namn": data["namn"],
        "telefon": data["telefon"],
        "epost": data["epost"],
        "nar": data["nar"],
        "meddelande": data["meddelande"].strip(),
        "diskret": data["diskret"],
        "wants_receipt": data["kvitto"],
    }


def _form_page(request, offering, form, *, problem: str = "", status: int = 200):
    return render(
        request,
        "intake/contact/form.html",
        {
            "offering": offering,
            "provider": offering.provider,
            "form": form,
            "problem": problem,
            "phone": offering.first_phone(),
        },
        status=status,
    )


@require_safe
@never_cache
def contact_request_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The receipt: reference, the provider's promise, and what to do if no one calls."""
    offering = _offering(slug)
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt or receipt.get("offering") != offering.slug:
        form_url = reverse("intake:contact_request", kwargs={"slug": offering.slug})
        return redirect(with_kommun(form_url))
    due = dt.date.fromisoformat(receipt["due"]) if receipt.get("due") else None
    return render(
        request,
        "intake/contact/done.html",
        {
            "offering": offering,
            "provider": offering.provider,
            "receipt": receipt,
            "due": due,
            "phone": offering.first_phone(),
        },
    )


# --- The provider staff's queue -----------------------------------------------------------------


def _own_requests(user):
    return for_user_providers(ContactRequest.objects.select_related("provider"), user)


@require_safe
@never_cache
@role_required(PROVIDER_STAFF)
def contact_queue(request: HttpRequest) -> HttpResponse:
    """The user's providers' requests, oldest first, by status (the active ones by default)."""
    filters = QueueFilterForm(request.GET)
    statuses = filters.statuses()
    requests = _own_requests(request.user).order_by("created_at", "pk")
    requests = requests.filter(status__in=statuses) if statuses is not None else requests.none()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    services.record_access(request.user, Kind.CONTACT, AccessRecord.Action.LISTED, rows)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "intake/contact/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "several_providers": len({row.provider_id for row in rows}) > 1,
        },
    )


ACTIONS = ("kontaktad", "avsluta", "avboj")


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@never_cache
@role_required(PROVIDER_STAFF)
def contact_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request in full. Opening a new one marks it opened; POSTs move it on."""
    contact = get_object_or_404(_own_requests(request.user), pk=pk)
    forms = {
        "kontaktad": ContactedForm(prefix="kontaktad", request_obj=contact),
        "avsluta": CloseForm(prefix="avsluta"),
        "avboj": DeclineForm(prefix="avboj"),
    }
    if request.method == "POST":
        action = request.POST.get("atgard", "")
        if action not in ACTIONS:
            raise Http404  # no such action: nothing to change
        bound = _bind(action, request.POST, contact)
        forms[action] = bound
        if bound.is_valid():
            return _change(request, contact, action, bound)
    elif request.method == "GET" and contact.status == ContactRequest.Status.NEW:
        try:
            contact = services.contact_request_open(contact, by=request.user)
        except services.TransitionNotAllowed:
            contact.refresh_from_db()  # a colleague opened it a moment ago
    services.record_access(request.user, Kind.CONTACT, AccessRecord.Action.OPENED, [contact])
    return _detail_page(request, contact, forms)


def _bind(action: str, data, contact: ContactRequest):
    if action == "kontaktad":
        return ContactedForm(data, prefix="kontaktad", request_obj=contact)
    if action == "avsluta":
        return CloseForm(data, prefix="avsluta")
    return DeclineForm(data, prefix="avboj")


def _change(request, contact: ContactRequest, action: str, form) -> HttpResponse:
    data = form.cleaned_data
    try:
        if action == "kontaktad":
            services.contact_request_contacted(contact, by=request.user, on=data["datum"])
            messages.success(request, _("Sparat: personen är kontaktad."))
        elif action == "avsluta":
            services.contact_request_close(contact, by=request.user, note=data["anteckning"])
            messages.success(request, _("Förfrågan är avslutad."))
        else:
            services.contact_request_decline(
                contact, by=request.user, reason=data["skal"], note=data["anteckning"]
            )
            messages.success(request, _("Förfrågan är avböjd."))
    except services.TransitionNotAllowed:
        messages.error(
            request,
            _(
                "Det gick inte: förfrågan har redan ändrats, kanske av en kollega. "
                "Se hur den står nu nedan."
            ),
        )
    return redirect("intake:contact_request_detail", pk=contact.pk)


def _detail_page(request, contact: ContactRequest, forms: dict) -> HttpResponse:
    status = contact.status
    Status = ContactRequest.Status
    return render(
        request,
        "intake/contact/detail.html",
        {
            "contact": contact,
            "phone_display": phones.display(contact.telefon) if contact.telefon else "",
            "phone_href": phones.tel_href(contact.telefon) if contact.telefon else "",
            "when": when_label(contact.nar),
            "events": contact.events.all(),
            "forms": forms,
            "has_errors": any(form.is_bound and form.errors for form in forms.values()),
            "may_contact": status in (Status.NEW, Status.OPENED),
            "may_close": status == Status.CONTACTED,
            "may_decline": status in (Status.NEW, Status.OPENED, Status.CONTACTED),
        },
    )
