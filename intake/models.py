"""What residents submit: contact requests, applications and reports of concern, and who looked.

Personal data lives only in `EncryptedTextField`s (intake.fields): the database holds Fernet
tokens, never a name, number or description in plaintext. Where staff need an exact lookup (the
same child's earlier reports) a keyed hash sits beside the encrypted value.

Every submission has:
- `reference`: short, random, readable aloud (intake.references), unique;
- `fingerprint`: a keyed hash of the submitted content and the day, unique, so a double click,
  a reloaded POST or the same form sent from two tabs stores one row (intake.services.submit);
- `status`, changed only by the transition services in intake.services, each recorded as an
  event (who, when, from, to, and a note where one is asked for);
- `finished_at`: when it left the active queue, from which the retention period runs
  (purge_expired).

`AccessRecord` is the audit trail: every staff view of a submission, and of a queue listing
them, with who, when and which.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.fields import EncryptedTextField
from providers.models.municipality import default_municipality_id

REFERENCE_LENGTH = 9  # XXXX-XXXX


class Kind(models.TextChoices):
    """The three kinds of submission, as settings and the audit trail name them."""

    CONTACT = "kontakt", _("Kontaktförfrågan")
    APPLICATION = "ansokan", _("Ansökan om bistånd")
    REPORT = "orosanmalan", _("Orosanmälan")


class Submission(models.Model):
    """What every kind of submission has in common."""

    KIND: Kind

    reference = models.CharField(_("referens"), max_length=REFERENCE_LENGTH, unique=True)
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("inkom"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("status ändrad"), default=timezone.now)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.reference}"


class Event(models.Model):
    """One change of a submission's status: who, when, from what to what, and why."""

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    # Who, as a name kept with the event: the account may be deleted, the record of who
    # decided may not.
    by_name = models.CharField(_("av (namn)"), max_length=150, blank=True)
    from_status = models.CharField(_("från"), max_length=20, blank=True)
    to_status = models.CharField(_("till"), max_length=20)
    note = EncryptedTextField(_("anteckning"), blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"

    # The owning submission's statuses (set by each concrete event model), for the labels.
    STATUS: type[models.TextChoices]

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)

    def _label(self, code: str) -> str:
        return dict(self.STATUS.choices).get(code, code)


# --- 1. Contact requests to a provider --------------------------------------------------------


class ContactRequest(Submission):
    """A resident asks a provider to get in touch (servicetjänst): `/stod/<slug>/kontakta/`."""

    KIND = Kind.CONTACT

    class Status(models.TextChoices):
        NEW = "ny", _("Ny")
        OPENED = "oppnad", _("Öppnad")
        CONTACTED = "kontaktad", _("Kontaktad")
        CLOSED = "stangd", _("Avslutad")
        DECLINED = "avbojd", _("Avböjd")

    class DeclineReason(models.TextChoices):
        NOT_OUR_SUPPORT = "annat-stod", _("Vi erbjuder inte det stöd som behövs")
        FULL = "fullt", _("Vi har inte plats just nu")
        NEEDS_APPLICATION = "ansokan", _("Stödet kräver en ansökan om bistånd")
        NOT_REACHED = "ej-nadd", _("Vi har inte nått personen")
        OTHER = "annat", _("Annat skäl")

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("utförare"),
    )
    offering = models.ForeignKey(
        "providers.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("insats"),
    )
    offering_name = models.CharField(_("insatsens namn"), max_length=200)
    namn = EncryptedTextField(_("namn"))
    telefon = EncryptedTextField(_("telefon"), blank=True, default="")
    epost = EncryptedTextField(_("e-post"), blank=True, default="")
    nar = EncryptedTextField(_("när det passar"), blank=True, default="")
    meddelande = EncryptedTextField(_("meddelande"), blank=True, default="")
    diskret = models.BooleanField(_("vill ha diskretion"), default=False)
    wants_receipt = models.BooleanField(_("vill ha kvitto per e-post"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    due_at = models.DateTimeField(_("utlovat senast"), null=True, blank=True)
    contacted_on = models.DateField(_("kontaktad den"), null=True, blank=True)
    decline_reason = models.CharField(
        _("skäl"), max_length=20, choices=DeclineReason.choices, blank=True
    )

    class Meta(Submission.Meta):
        verbose_name = _("kontaktförfrågan")
        verbose_name_plural = _("kontaktförfrågningar")
        indexes = [models.Index(fields=["provider", "status"], name="contact_provider_status")]

    @property
    def is_overdue(self) -> bool:
        """Past the provider's promise and still not contacted."""
        return (
            self.due_at is not None
            and self.status in (self.Status.NEW, self.Status.OPENED)
            and timezone.now() > self.due_at
        )


class ContactRequestEvent(Event):  # noqa: DJ008 - Event.__str__
    STATUS = ContactRequest.Status
    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="events")


# --- 2. Applications for bistånd ----------------------------------------------------------------


class Application(Submission):
    """A biståndsansökan, filled in step by step at `/ansok/` and stored only on submit."""

    KIND = Kind.APPLICATION

    # Whose social office receives it (the resident's `kommun=`): handläggare see only theirs.
    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        default=default_municipality_id,
        related_name="+",
        verbose_name=_("kommun"),
    )

    class Status(models.TextChoices):
        RECEIVED = "mottagen", _("Mottagen")
        ASSIGNED = "tilldelad", _("Tilldelad")
        INVESTIGATING = "utreds", _("Utreds")
        DECIDED = "beslutad", _("Beslutad")
        CARRIED_OUT = "verkstalld", _("Verkställd")
        CLOSED = "avslutad", _("Avslutad")

    class Decision(models.TextChoices):
        GRANTED = "beviljad", _("Beviljad")
        PARTLY = "delvis", _("Delvis beviljad")
        REFUSED = "avslag", _("Avslag")

    class ForWhom(models.TextChoices):
        SELF = "mig", _("Mig själv")
        CHILD = "barn", _("Mitt barn")

    behov = models.JSONField(_("behov"), default=list)  # need slugs
    beskrivning = EncryptedTextField(_("beskrivning"), blank=True, default="")
    for_whom = models.CharField(_("för vem"), max_length=10, choices=ForWhom.choices)
    namn = EncryptedTextField(_("namn"))
    personnummer = EncryptedTextField(_("personnummer"))
    personnummer_hash = models.CharField(max_length=64, db_index=True, editable=False)
    identity_method = models.CharField(_("identifierad med"), max_length=20, default="typed")
    identity_verified = models.BooleanField(_("identitet styrkt"), default=False)
    barn_namn = EncryptedTextField(_("barnets namn"), blank=True, default="")
    barn_personnummer = EncryptedTextField(_("barnets personnummer"), blank=True, default="")
    telefon = EncryptedTextField(_("telefon"), blank=True, default="")
    epost = EncryptedTextField(_("e-post"), blank=True, default="")
    tolk = models.BooleanField(_("behöver tolk"), default=False)
    tolk_sprak = models.CharField(_("tolkspråk"), max_length=60, blank=True)
    preferred_provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("önskad utförare"),
    )
    consent_at = models.DateTimeField(_("samtycke lämnat"))
    wants_receipt = models.BooleanField(_("vill ha kvitto per e-post"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("handläggare"),
    )
    decision = models.CharField(_("beslut"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("beslutsdatum"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("verkställd"), null=True, blank=True)

    # A granted decision not carried out within three months must be reported to IVO
    # (socialtjänstlagen).
    IVO_LIMIT = timedelta(days=91)

    class Meta(Submission.Meta):
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")

    @property
    def ivo_reportable(self) -> bool:
        return (
            self.status == self.Status.DECIDED
            and self.decision in (self.Decision.GRANTED, self.Decision.PARTLY)
            and self.decided_at is not None
            and timezone.now() - self.decided_at > self.IVO_LIMIT
        )


class ApplicationEvent(Event):  # noqa: DJ008 - Event.__str__
    STATUS = Application.Status
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")


# --- 3. Reports of concern about a child ------------------------------------------------------


class ConcernReport(Submission):
    """An orosanmälan about one child: `/orosanmalan/`, and the social office's legal clocks."""

    KIND = Kind.REPORT

    # Whose social office receives it (the resident's `kommun=`): handläggare see only theirs.
    municipality = models.ForeignKey(
        "providers.Municipality",
        on_delete=models.PROTECT,
        default=default_municipality_id,
        related_name="+",
        verbose_name=_("kommun"),
    )

    class Status(models.TextChoices):
        RECEIVED = "mottagen", _("Mottagen")
        SAFETY_ASSESSED = "skyddsbedomd", _("Skyddsbedömning gjord")
        INVESTIGATING = "utreds", _("Utredning inledd")
        NOT_OPENED = "ej-inledd", _("Utredning inleds inte")
        CLOSED = "avslutad", _("Utredning avslutad")

    class Reporter(models.TextChoices):
        PRIVATE = "privatperson", _("Privatperson")
        PROFESSIONAL = "yrkesperson", _("Yrkesperson med anmälningsplikt")

    class GuardiansKnow(models.TextChoices):
        YES = "ja", _("Ja")
        NO = "nej", _("Nej")
        UNKNOWN = "vet-inte", _("Vet inte")

    # The child, as far as the reporter knows.
    barn_namn = EncryptedTextField(_("barnets namn"), blank=True, default="")
    barn_alder = models.PositiveSmallIntegerField(_("barnets ålder"), null=True, blank=True)
    barn_personnummer = EncryptedTextField(_("barnets personnummer"), blank=True, default="")
    barn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    barn_adress_skola = EncryptedTextField(_("adress eller skola"), blank=True, default="")
    # What happened, seen and heard kept apart.
    sett = EncryptedTextField(_("det du har sett"), blank=True, default="")
    hort = EncryptedTextField(_("det du har hört"), blank=True, default="")
    fara_nu = models.BooleanField(_("barnet är i fara nu"), default=False)
    vardnadshavare_vet = models.CharField(
        _("vårdnadshavarna vet"), max_length=10, choices=GuardiansKnow.choices
    )
    # The reporter.
    anmalare = models.CharField(_("anmälare"), max_length=20, choices=Reporter.choices)
    anonym = models.BooleanField(_("anonym"), default=False)
    anmalare_namn = EncryptedTextField(_("anmälarens namn"), blank=True, default="")
    anmalare_telefon = EncryptedTextField(_("anmälarens telefon"), blank=True, default="")
    anmalare_epost = EncryptedTextField(_("anmälarens e-post"), blank=True, default="")
    arbetsplats = EncryptedTextField(_("arbetsplats"), blank=True, default="")
    wants_receipt = models.BooleanField(_("vill ha kvitto per e-post"), default=False)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    # The clocks (socialtjänstlagen; check paragraph numbers against the new law, SFS 2025:400):
    # a safety assessment at once and within 24 hours;
    # whether to open an investigation within 14 days; the investigation done within four months
    # of its start, unless extended for a recorded reason.
    safety_assessed_at = models.DateTimeField(_("skyddsbedömning gjord"), null=True, blank=True)
    preliminary_decided_at = models.DateTimeField(
        _("förhandsbedömning klar"), null=True, blank=True
    )
    investigation_started_at = models.DateTimeField(_("utredning inledd"), null=True, blank=True)
    investigation_due_at = models.DateTimeField(_("utredning klar senast"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("skäl för förlängning"), blank=True, default="")

    SAFETY_LIMIT = timedelta(hours=24)
    PRELIMINARY_LIMIT = timedelta(days=14)
    INVESTIGATION_MONTHS = 4

    class Meta(Submission.Meta):
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")

    @property
    def safety_due_at(self):
        return self.created_at + self.SAFETY_LIMIT

    @property
    def preliminary_due_at(self):
        return self.created_at + self.PRELIMINARY_LIMIT


class ConcernReportEvent(Event):  # noqa: DJ008 - Event.__str__
    STATUS = ConcernReport.Status
    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="events")


# --- The audit trail ----------------------------------------------------------------------------


class AccessRecord(models.Model):
    """One staff view of submissions: who, when, what kind, which, and how (opened or listed)."""

    class Action(models.TextChoices):
        OPENED = "oppnade", _("Öppnade")
        LISTED = "listade", _("Listade")
        CHANGED = "andrade", _("Ändrade")

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    username = models.CharField(_("användarnamn"), max_length=150)  # kept if the user goes
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("vad"), max_length=10, choices=Action.choices)
    references = models.JSONField(_("referenser"), default=list)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("åtkomst")
        verbose_name_plural = _("åtkomstlogg")

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {', '.join(self.references)}"
