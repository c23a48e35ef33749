"""The call log's fixed codes (DOMAIN.md, "The console's contract"), in the order tables use.

The form's field values and the statistics' categories both come from here. Needs are the
catalogue's (`providers.vocabulary.NEEDS`).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Channel(TextChoices):
    """How the contact came (`kanal`)."""

    PHONE = "telefon", _("Telefon")
    VISIT = "besok", _("Besök")
    EMAIL = "epost", _("E-post")
    CHAT = "chatt", _("Chatt")


class Caller(TextChoices):
    """Who got in touch (`vem`), as the guide asks it, plus "not known"."""

    SELF = "jag", _("Personen själv")
    PARENT = "barn", _("Förälder som söker för sitt barn")
    RELATIVE = "narstaende", _("Närstående")
    PROFESSIONAL = "yrkesperson", _("Yrkesperson")
    UNKNOWN = "okand", _("Okänt")


class AgeGroup(TextChoices):
    """The age group of the person the contact is about (`aldersgrupp`)."""

    CHILD = "0-12", _("0–12 år")
    TEEN = "13-17", _("13–17 år")
    YOUNG_ADULT = "18-24", _("18–24 år")
    ADULT = "25-64", _("25–64 år")
    OLDER = "65-", _("65 år och äldre")
    UNKNOWN = "okand", _("Okänd ålder")


class Outcome(TextChoices):
    """How the contact ended (`utfall`); several may apply."""

    ADVICE = "rad", _("Råd och stöd i samtalet")
    NAVIGATED = "hanvisad", _("Hänvisad till insats")
    APPLICATION = "ansokan", _("Rekommenderad att ansöka om bistånd")
    REPORT = "orosanmalan", _("Orosanmälan gjord eller rekommenderad")
    EMERGENCY = "akut", _("Akut hjälp (112, socialjour)")
    SESSIONS = "samtal-bokat", _("Samtal bokat")
    NO_ACTION = "ingen-atgard", _("Ingen åtgärd")


class NoContent(TextChoices):
    """A call with nothing to record, logged with one click and counted apart."""

    WRONG_NUMBER = "fel-nummer", _("Fel nummer")
    SILENT = "tyst", _("Tyst samtal")
    HUNG_UP = "lade-pa", _("Lade på")
    ABUSIVE = "krankande", _("Kränkande samtal")
    THANKS = "tack", _("Tackade")


# Outcomes that mean nothing further was started: advice within the contact itself, or nothing.
# A contact with only these (and no offering navigated to) "ended without further support".
ENDED_WITHOUT_SUPPORT = frozenset({Outcome.ADVICE, Outcome.NO_ACTION})

# The offering's route, as navigations are counted (providers.models.Route's values).
ROUTES = ("service", "service-och-bistand", "bistand", "okand")
