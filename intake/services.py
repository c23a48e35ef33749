"""Every write to a submission: storing it exactly once, changing its status, recording who
looked, and telling the right people that something is waiting.

**Exactly once.** `submit()` stores a submission with a `fingerprint`: a keyed hash of its kind,
its content and the (Stockholm) day. The column is unique, so a double click, a reloaded POST
or the same form from two tabs, even at the same instant on two servers, ends with one row: the
later insert fails on the constraint and finds the first row instead; the person sees the same
reference either way. Everything one submission writes happens in one transaction: if the
database fails half-way, nothing is stored (the view then says so and keeps the answers).

**Transitions.** A submission's status changes only through `transition()`, which locks the row,
checks that the change is allowed from the current status, records an event (who, when, from,
to, and the note) and stamps `finished_at` when the submission leaves the active queue.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake import crypto, references
from intake.models import (
    AccessRecord,
    Application,
    ApplicationEvent,
    ConcernReport,
    ConcernReportEvent,
    ContactRequest,
    ContactRequestEvent,
    Kind,
    Submission,
)

logger = logging.getLogger(__name__)

EVENT_MODELS = {
    ContactRequest: (ContactRequestEvent, "request"),
    Application: (ApplicationEvent, "application"),
    ConcernReport: (ConcernReportEvent, "report"),
}
# The statuses in which a submission has left its active queue.
FINISHED = {
    ContactRequest: {ContactRequest.Status.CLOSED, ContactRequest.Status.DECLINED},
    Application: {Application.Status.CLOSED},
    ConcernReport: {ConcernReport.Status.NOT_OPENED, ConcernReport.Status.CLOSED},
}
QUEUE_URLS = {
    Kind.CONTACT: "intake:contact_queue",
    Kind.APPLICATION: "intake:application_queue",
    Kind.REPORT: "intake:report_queue",
}
REFERENCE_ATTEMPTS = 5


# --- Submitting ---------------------------------------------------------------------------------


def fingerprint(kind: str, content: dict, *, day: date | None = None) -> str:
    """A keyed hash of what was submitted and the day: equal content on one day, one row."""
    day = day or timezone.localdate()
    canonical = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return crypto.keyed_hash(f"submission:{kind}:{day.isoformat()}", canonical)


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Submitted:
    submission: Submission
    created: bool  # False: the same submission had already been stored (same reference)


def submit(model: type[Submission], fields: dict, *, content: dict | None = None) -> Submitted:
    """Store a submission once (see the module's docstring) and notify on commit.

    `content` is what identifies a duplicate (default: `fields`); a DatabaseError other than
    the duplicate propagates after a full rollback.
    """
    key = fingerprint(model.KIND, content if content is not None else fields)
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                submission = model.objects.create(
                    reference=references.new_reference(), fingerprint=key, **fields
                )
                _event(submission, by=None, from_status="", to_status=submission.status)
                transaction.on_commit(lambda s=submission: notify_new(s))
            return Submitted(submission, True)
        except IntegrityError:
            existing = model.objects.filter(fingerprint=key).first()
            if existing is not None:
                return Submitted(existing, False)
            # Otherwise the random reference collided with another: draw again.
    raise IntegrityError("No free reference after several attempts.")  # pragma: no cover


# --- Transitions --------------------------------------------------------------------------------


class TransitionNotAllowed(Exception):
    """The submission is not in a status this change can start from (someone was quicker)."""


def transition(
    submission: Submission,
    *,
    to: str,
    allowed_from: set[str] | frozenset[str],
    by,
    note: str = "",
    condition=None,
    **changes,
) -> Submission:
    """Change the status (and `changes`) if the current status allows it, and `condition`
    (a test of the locked, current row) holds; record the event."""
    model = type(submission)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=submission.pk)
        if current.status not in allowed_from or (condition and not condition(current)):
            raise TransitionNotAllowed(current.status)
        from_status = current.status
        now = timezone.now()
        current.status = to
        current.status_changed_at = now
        for name, value in changes.items():
            setattr(current, name, value)
        if to in FINISHED[model] and current.finished_at is None:
            current.finished_at = now
        current.save()
        _event(current, by=by, from_status=from_status, to_status=to, note=note)
        record_access(by, model.KIND, AccessRecord.Action.CHANGED, [current])
    return current


def _event(submission: Submission, *, by, from_status: str, to_status: str, note: str = ""):
    event_model, link = EVENT_MODELS[type(submission)]
    return event_model.objects.create(
        **{link: submission},
        by=by,
        by_name=(by.get_full_name() or by.get_username()) if by is not None else "",
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


# Contact requests (the provider's staff).


def contact_request_open(request: ContactRequest, *, by) -> ContactRequest:
    """The first time the provider's staff open a new request."""
    return transition(request, to=ContactRequest.Status.OPENED, allowed_from={"ny"}, by=by)


def contact_request_contacted(request: ContactRequest, *, by, on: date) -> ContactRequest:
    return transition(
        request,
        to=ContactRequest.Status.CONTACTED,
        allowed_from={"ny", "oppnad"},
        by=by,
        contacted_on=on,
    )


def contact_request_close(request: ContactRequest, *, by, note: str = "") -> ContactRequest:
    return transition(
        request, to=ContactRequest.Status.CLOSED, allowed_from={"kontaktad"}, by=by, note=note
    )


def contact_request_decline(
    request: ContactRequest, *, by, reason: str, note: str = ""
) -> ContactRequest:
    return transition(
        request,
        to=ContactRequest.Status.DECLINED,
        allowed_from={"ny", "oppnad", "kontaktad"},
        by=by,
        note=note,
        decline_reason=reason,
    )


# Applications (handläggare).


def application_assign(application: Application, *, by, to_user) -> Application:
    return transition(
        application,
        to=Application.Status.ASSIGNED,
        allowed_from={"mottagen", "tilldelad"},
        by=by,
        assigned_to=to_user,
    )


def application_investigate(application: Application, *, by) -> Application:
    return transition(
        application, to=Application.Status.INVESTIGATING, allowed_from={"tilldelad"}, by=by
    )


def application_decide(application: Application, *, by, decision: str, note: str = ""):
    return transition(
        application,
        to=Application.Status.DECIDED,
        allowed_from={"utreds"},
        by=by,
        note=note,
        decision=decision,
        decided_at=timezone.now(),
    )


def application_carry_out(application: Application, *, by) -> Application:
    """Only a decision that granted something is carried out."""
    return transition(
        application,
        to=Application.Status.CARRIED_OUT,
        allowed_from={"beslutad"},
        by=by,
        condition=lambda current: current.decision != Application.Decision.REFUSED,
        carried_out_at=timezone.now(),
    )


def application_close(application: Application, *, by, note: str = "") -> Application:
    """A refusal is closed once decided; a granted decision once carried out."""
    return transition(
        application,
        to=Application.Status.CLOSED,
        allowed_from={"beslutad", "verkstalld"},
        by=by,
        note=note,
        condition=lambda current: (
            (current.status == "beslutad") == (current.decision == Application.Decision.REFUSED)
        ),
    )


# Reports of concern (handläggare).


def report_safety_assessed(report: ConcernReport, *, by, note: str = "") -> ConcernReport:
    return transition(
        report,
        to=ConcernReport.Status.SAFETY_ASSESSED,
        allowed_from={"mottagen"},
        by=by,
        note=note,
        safety_assessed_at=timezone.now(),
    )


def report_open_investigation(report: ConcernReport, *, by, note: str = "") -> ConcernReport:
    now = timezone.now()
    return transition(
        report,
        to=ConcernReport.Status.INVESTIGATING,
        allowed_from={"skyddsbedomd"},
        by=by,
        note=note,
        preliminary_decided_at=now,
        investigation_started_at=now,
        # Counted in local time, so the deadline keeps its hour across summer time.
        investigation_due_at=add_months(
            timezone.localtime(now), ConcernReport.INVESTIGATION_MONTHS
        ),
    )


def report_not_opened(report: ConcernReport, *, by, note: str = "") -> ConcernReport:
    return transition(
        report,
        to=ConcernReport.Status.NOT_OPENED,
        allowed_from={"skyddsbedomd"},
        by=by,
        note=note,
        preliminary_decided_at=timezone.now(),
    )


def report_extend(report: ConcernReport, *, by, until: datetime, reason: str) -> ConcernReport:
    """Extend the investigation's deadline, for a recorded reason."""
    if not reason.strip():
        raise ValueError("An extension needs a reason.")
    return transition(
        report,
        to=ConcernReport.Status.INVESTIGATING,
        allowed_from={"utreds"},
        by=by,
        note=reason,
        investigation_due_at=until,
        extension_reason=reason,
    )


def report_close(report: ConcernReport, *, by, note: str = "") -> ConcernReport:
    return transition(
        report, to=ConcernReport.Status.CLOSED, allowed_from={"utreds"}, by=by, note=note
    )


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)  # pragma: no cover


# --- The audit trail ----------------------------------------------------------------------------


def record_access(user, kind: str, action: str, submissions) -> AccessRecord | None:
    """Record that `user` saw (or changed) these submissions; nothing when there were none."""
    refs = [submission.reference for submission in submissions]
    if not refs:
        return None
    return AccessRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None else "",
        kind=kind,
        action=action,
        references=refs,
    )


# --- Notifications ------------------------------------------------------------------------------


def notify_new(submission: Submission) -> None:
    """Tell the receiving team something is waiting, and the resident that it arrived if they
    asked. No personal data in either message; a failure is logged by kind, never raised."""
    kind = type(submission).KIND
    try:
        recipients = team_addresses(submission)
        if recipients:
            # Staff read the portal in Swedish, whichever language the resident used.
            with translation.override(settings.LANGUAGE_CODE):
                url = settings.PORTAL_URL.rstrip("/") + reverse(QUEUE_URLS[kind])
                send_mail(
                    _("Nytt i Stödportalen: %(kind)s") % {"kind": Kind(kind).label.lower()},
                    _(
                        "Något nytt väntar på er i Stödportalen (%(kind)s). "
                        "Logga in för att se det: %(url)s"
                    )
                    % {"kind": Kind(kind).label.lower(), "url": url},
                    None,
                    recipients,
                )
        address = _receipt_address(submission)
        if address:  # in the language the resident used
            send_mail(
                _("Vi har tagit emot det du skickade"),
                _(
                    "Hej! Vi har tagit emot det du skickade via Stödportalen. Din referens är "
                    "%(reference)s. Det här mejlet går inte att svara på."
                )
                % {"reference": submission.reference},
                None,
                [address],
            )
    except Exception:  # noqa: BLE001 - a mail server down must not undo a stored submission
        logger.warning("intake: could not send the notification for a new %s", kind)


def team_addresses(submission: Submission) -> list[str]:
    if isinstance(submission, ContactRequest):
        users = submission.provider.staff.filter(is_active=True, groups__name="utforare").exclude(
            email=""
        )
        return sorted({user.email for user in users})
    kind = type(submission).KIND
    # The handläggare of the municipality whose social office received it, and no other's.
    handlers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name="handlaggare",
            staff_municipalities=submission.municipality_id,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(settings.INTAKE_NOTIFY.get(kind, [])) | set(handlers))


def _receipt_address(submission: Submission) -> str:
    if not getattr(submission, "wants_receipt", False):
        return ""
    if isinstance(submission, ConcernReport):
        return submission.anmalare_epost
    return getattr(submission, "epost", "")
