"""Reports of concern about a child (orosanmälan): the public form and its confirmation, and the
handläggare's board of legal clocks with each report's page.

Public: `/orosanmalan/` (one page; the emergency numbers first) → `/orosanmalan/skickad/`.
Staff (role `handlaggare`): `/personal/orosanmalningar/` and `/personal/orosanmalningar/<pk>/`,
where each step goes through the transition services in intake.services.

No personal data leaves the form's POST: the confirmation reads only the reference and a few
facts without personal data from the session; nothing is logged but the kind of failure.

A report goes to the social office of the page's municipality (`kommun=`, kept by the form and
its redirect); for the whole country or a generated test municipality the person chooses a
municipality first. Handläggare see only their own municipality's reports.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.contrib import messages
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from intake import places, report_clocks, services
from intake.models import AccessRecord, ConcernReport, Kind
from intake.protection import RATE_LIMIT_MESSAGE, over_rate_limit
from intake.report_forms import ExtendForm, NoteForm, ReportForm
from portal.permissions import Role, for_user_municipalities, role_required
from providers import phones

logger = logging.getLogger(__name__)

RECEIPT_KEY = f"intake-receipt:{Kind.REPORT.value}"
HANDLER = Role.HANDLAGGARE.value
UNAVAILABLE_MESSAGE = gettext_lazy(
    "Det gick inte att skicka just nu. Inget har sparats. Dina svar finns kvar här – försök "
    "igen om en stund. Är det akut: ring 112."
)
NOT_ALLOWED_MESSAGE = gettext_lazy(
    "Det gick inte att göra det steget nu: anmälan är inte längre i det läget (någon kan ha "
    "hunnit före). Sidan visar hur det ser ut nu."
)


# --- Public: the report and its confirmation ---------------------------------------------------


def _form_page(request, form, *, problem="", status=200) -> HttpResponse:
    return render(
        request, "intake/report/form.html", {"form": form, "problem": problem}, status=status
    )


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The form; a valid POST stores the report once and goes on to the confirmation."""
    if refused := places.no_social_office(request):
        return refused
    if request.method != "POST":
        return _form_page(request, ReportForm())
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form)
    if over_rate_limit(request, Kind.REPORT):
        return _form_page(request, form, problem=RATE_LIMIT_MESSAGE, status=429)
    fields = {**form.report_fields(), "municipality_id": places.municipality_id(request)}
    try:
        submitted = services.submit(ConcernReport, fields)
    except DatabaseError:
        logger.warning("intake: a report of concern could not be stored (database error)")
        return _form_page(request, form, problem=UNAVAILABLE_MESSAGE, status=503)
    request.session[RECEIPT_KEY] = {
        "reference": submitted.submission.reference,
        "kind": Kind.REPORT.value,
        "created": submitted.created,
        "fara_nu": fields["fara_nu"],
        "professional": fields["anmalare"] == ConcernReport.Reporter.PROFESSIONAL,
        "anonym": fields["anonym"],
        "wants_receipt": fields["wants_receipt"],
        "municipality": request.municipality.slug,
    }
    return redirect(places.url("intake:report_done"))


@never_cache
@require_safe
def report_done(request: HttpRequest) -> HttpResponse:
    """The reference and what the social office does next; without a receipt, the form."""
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return redirect(places.url("intake:report"))
    return render(
        request,
        "intake/report/done.html",
        {"receipt": receipt, "municipality": places.municipality_label(receipt)},
    )


# --- Staff: the board and one report -----------------------------------------------------------


def _earlier_counts(reports, user) -> dict[int, int]:
    """For each report, how many reports about the same child came in before it (of those
    the user may see: their municipality's)."""
    hashes = {report.barn_hash for report in reports if report.barn_hash}
    if not hashes:
        return {}
    moments = {}
    mine = for_user_municipalities(ConcernReport.objects, user)
    for barn_hash, created_at, pk in mine.filter(barn_hash__in=hashes).values_list(
        "barn_hash", "created_at", "pk"
    ):
        moments.setdefault(barn_hash, []).append((created_at, pk))
    counts = Counter()
    for report in reports:
        if report.barn_hash:
            mine = (report.created_at, report.pk)
            counts[report.pk] = sum(1 for moment in moments[report.barn_hash] if moment < mine)
    return dict(counts)


def _earlier_reports(report: ConcernReport, user):
    if not report.barn_hash:
        return []
    return list(
        for_user_municipalities(ConcernReport.objects, user)
        .filter(barn_hash=report.barn_hash)
        .filter(
            Q(created_at__lt=report.created_at) | Q(created_at=report.created_at, pk__lt=report.pk)
        )
        .only("pk", "reference", "created_at", "status")
        .order_by("-created_at", "-pk")
    )


BOARD_COLUMNS = (
    "pk",
    "reference",
    "created_at",
    "status",
    "barn_alder",
    "barn_hash",
    "fara_nu",
    "investigation_started_at",
    "investigation_due_at",
    "extension_reason",
)


@never_cache
@require_safe
@role_required(HANDLER)
def report_queue(request: HttpRequest) -> HttpResponse:
    """Every open report with the clock that runs for it: overdue first, then danger, then due."""
    now = timezone.now()
    mine = for_user_municipalities(ConcernReport.objects, request.user)
    reports = list(mine.filter(status__in=report_clocks.OPEN_STATUSES).only(*BOARD_COLUMNS))
    earlier = _earlier_counts(reports, request.user)
    rows = [
        {
            "report": report,
            "clock": report_clocks.clock_of(report, now),
            "earlier": earlier.get(report.pk, 0),
        }
        for report in reports
    ]
    rows.sort(key=lambda row: row["clock"].sort_key if row["clock"] else (True, True, now))
    services.record_access(request.user, Kind.REPORT, AccessRecord.Action.LISTED, reports)
    return render(
        request,
        "intake/report/queue.html",
        {"rows": rows, "overdue": sum(1 for row in rows if row["clock"] and row["clock"].overdue)},
    )


def _steps(report: ConcernReport) -> dict:
    """The steps on the page, each with its service, form and words."""
    return {
        "skyddsbedomd": {
            "run": lambda form, by: services.report_safety_assessed(
                report, by=by, note=form.cleaned_data["anteckning"]
            ),
            "form": lambda data=None: NoteForm(
                data,
                prefix="skyddsbedomd",
                label=_("Anteckning om skyddsbedömningen (om du vill)"),
            ),
            "title": _("Skyddsbedömningen är gjord"),
            "button": _("Spara: skyddsbedömning gjord"),
            "done": _("Skyddsbedömningen är registrerad."),
            "from": {ConcernReport.Status.RECEIVED},
        },
        "inled": {
            "run": lambda form, by: services.report_open_investigation(
                report, by=by, note=form.cleaned_data["anteckning"]
            ),
            "form": lambda data=None: NoteForm(
                data, prefix="inled", label=_("Anteckning (om du vill)")
            ),
            "title": _("Inled utredning"),
            "button": _("Inled utredning"),
            "done": _("Utredningen är inledd. Den ska vara klar inom fyra månader."),
            "from": {ConcernReport.Status.SAFETY_ASSESSED},
        },
        "inled-inte": {
            "run": lambda form, by: services.report_not_opened(
                report, by=by, note=form.cleaned_data["anteckning"]
            ),
            "form": lambda data=None: NoteForm(
                data,
                prefix="inled-inte",
                label=_("Varför inleds ingen utredning?"),
                required=True,
                required_message=_("Skriv varför ingen utredning inleds."),
            ),
            "title": _("Inled inte utredning"),
            "button": _("Spara: utredning inleds inte"),
            "done": _("Registrerat: ingen utredning inleds."),
            "from": {ConcernReport.Status.SAFETY_ASSESSED},
        },
        "forlang": {
            "run": lambda form, by: services.report_extend(
                report, by=by, until=form.until(), reason=form.cleaned_data["skal"]
            ),
            "form": lambda data=None: ExtendForm(
                data, prefix="forlang", current_due=report.investigation_due_at
            ),
            "title": _("Förläng utredningstiden"),
            "button": _("Förläng"),
            "done": _("Utredningstiden är förlängd. Skälet är sparat."),
            "from": {ConcernReport.Status.INVESTIGATING},
        },
        "avsluta": {
            "run": lambda form, by: services.report_close(
                report, by=by, note=form.cleaned_data["anteckning"]
            ),
            "form": lambda data=None: NoteForm(
                data, prefix="avsluta", label=_("Anteckning (om du vill)")
            ),
            "title": _("Avsluta utredningen"),
            "button": _("Avsluta utredningen"),
            "done": _("Utredningen är avslutad."),
            "from": {ConcernReport.Status.INVESTIGATING},
        },
    }


def _detail_page(request, report, steps, *, bound=None, status=200) -> HttpResponse:
    earlier = _earlier_reports(report, request.user)
    services.record_access(request.user, Kind.REPORT, AccessRecord.Action.OPENED, [report])
    services.record_access(request.user, Kind.REPORT, AccessRecord.Action.LISTED, earlier)
    available = [
        {
            "name": name,
            "title": step["title"],
            "button": step["button"],
            "form": bound[1] if bound and bound[0] == name else step["form"](),
        }
        for name, step in steps.items()
        if report.status in step["from"]
    ]
    return render(
        request,
        "intake/report/detail.html",
        {
            "report": report,
            "phone_display": phones.display(report.anmalare_telefon)
            if report.anmalare_telefon
            else "",
            "clock": report_clocks.clock_of(report, timezone.now()),
            "earlier": earlier,
            "events": report.events.all(),
            "steps": available,
        },
        status=status,
    )


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@role_required(HANDLER)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one report, the earlier reports about the same child, and the steps."""
    # Another municipality's report is not there for this handläggare (404).
    report = get_object_or_404(for_user_municipalities(ConcernReport.objects, request.user), pk=pk)
    steps = _steps(report)
    if request.method != "POST":
        return _detail_page(request, report, steps)
    name = request.POST.get("atgard", "")
    step = steps.get(name)
    if step is None:
        messages.error(request, _("Välj ett av stegen på sidan."))
        return redirect("intake:report_detail", pk=report.pk)
    form = step["form"](request.POST)
    if not form.is_valid():
        if report.status not in step["from"]:  # the form is not on the page: say why instead
            messages.error(request, NOT_ALLOWED_MESSAGE)
            return redirect("intake:report_detail", pk=report.pk)
        return _detail_page(request, report, steps, bound=(name, form), status=400)
    try:
        step["run"](form, request.user)
    except services.TransitionNotAllowed:
        messages.error(request, NOT_ALLOWED_MESSAGE)
    else:
        messages.success(request, step["done"])
    return redirect("intake:report_detail", pk=report.pk)
