"""The call log's pages (role `mottagning` only): the list, a new entry, one-click calls without
content, and an edit on the day of the call. Writes go through frontdesk.services.

Each entry belongs to the navigator's municipality; the list and the edit pages show only the
navigator's own municipality's entries (another's by its URL: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frontdesk import selectors, services
from frontdesk.call_log_forms import CallLogFilterForm, CallLogForm, initial_from_query
from frontdesk.console import no_municipality
from frontdesk.models import CallLogEntry
from frontdesk.vocabulary import NoContent
from portal.permissions import Role, for_user_municipalities, role_required, user_place

PAGE_SIZE = 25
NAVIGATOR = Role.MOTTAGNING.value


@require_safe
@role_required(NAVIGATOR)
def call_log_list(request: HttpRequest) -> HttpResponse:
    """Everyone's entries in the navigator's municipality, newest first, optionally for a date
    or a range of dates."""
    filters = CallLogFilterForm(request.GET)
    entries = for_user_municipalities(selectors.call_log_entries(), request.user)
    entries = filters.filter(entries) if filters.is_valid() else entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "frontdesk/call_log/list.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "no_content_kinds": NoContent.choices,
            "editable": {entry.pk for entry in page if selectors.may_edit(entry, request.user)},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(NAVIGATOR)
def call_log_new(request: HttpRequest) -> HttpResponse:
    """The form (pre-filled from a console search); POST stores the contact once.

    A POST with `utan_innehall` is a one-click record of a call with nothing to note. The
    entry belongs to the navigator's municipality.
    """
    place = user_place(request.user)
    if place is None:
        return no_municipality(request)
    if request.method == "POST" and "utan_innehall" in request.POST:
        return _record_no_content(request, place)
    if request.method != "POST":
        form = CallLogForm(initial=initial_from_query(request.GET, place), place=place)
        return render(request, "frontdesk/call_log/form.html", {"form": form})
    form = CallLogForm(request.POST, place=place)
    if not form.is_valid():
        return render(request, "frontdesk/call_log/form.html", {"form": form})
    _entry, created = services.call_log_entry_create(
        author=request.user,
        fields=form.entry_fields(),
        insatser=form.cleaned_data["insatser"],
        submission_key=form.cleaned_data["engang"],
        municipality_id=place.id,
    )
    if created:
        messages.success(request, _("Samtalet är sparat i loggen."))
    else:
        messages.info(request, _("Samtalet var redan sparat. Det sparades inte en gång till."))
    return redirect("frontdesk:call_log")


def _place_of(entry: CallLogEntry):
    """The municipality (Place) the entry belongs to: its offerings are the ones to choose."""
    from providers import municipalities

    known = municipalities.places().values()
    return next((place for place in known if place.id == entry.municipality_id), None)


def _record_no_content(request: HttpRequest, place) -> HttpResponse:
    kind = request.POST["utan_innehall"]
    if kind not in NoContent.values:
        messages.error(request, _("Välj en av knapparna för samtal utan innehåll."))
        return redirect("frontdesk:call_log")
    services.call_log_no_content_record(author=request.user, kind=kind, municipality_id=place.id)
    messages.success(
        request,
        _("Sparat: %(kind)s. Det räknas i statistiken.") % {"kind": NoContent(kind).label},
    )
    return redirect("frontdesk:call_log")


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(NAVIGATOR)
def call_log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author changes an entry on the day it was recorded; otherwise it is read only."""
    entries = for_user_municipalities(
        CallLogEntry.objects.select_related("author", "municipality"), request.user
    )
    entry = get_object_or_404(entries, pk=pk)
    place = _place_of(entry) or user_place(request.user)
    if not selectors.may_edit(entry, request.user):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "frontdesk/call_log/read_only.html", {"entry": entry})
    if request.method != "POST":
        initial = {
            **{name: getattr(entry, name) for name in services.ENTRY_FIELDS},
            "insatser": [offering.slug for offering in entry.insatser.all()],
        }
        form = CallLogForm(initial=initial, place=place)
    else:
        form = CallLogForm(request.POST, place=place)
        if form.is_valid():
            services.call_log_entry_update(
                entry=entry,
                acting_user=request.user,
                fields=form.entry_fields(),
                insatser=form.cleaned_data["insatser"],
            )
            messages.success(request, _("Ändringen är sparad."))
            return redirect("frontdesk:call_log")
    return render(request, "frontdesk/call_log/form.html", {"form": form, "entry": entry})
