"""The guide's decision: from a resident's answers to the sections of the result page.

A pure function over plain values. The view loads candidate offerings, turns them into
`Candidate`s and calls `decide()`; nothing here touches the database or the request.

Rules (DOMAIN.md, "Rules the seeds state"):
- someone in danger → `akut` first; a child may be harmed → `orosanmalan` (socialkontoret);
- `direktkontakt`: offerings whose route includes service and that fit age, needs, who is asking
  and area; an offering available only through bistånd never appears there;
- `okand-vag`: fitting offerings whose municipality has not said whether an application is
  needed (route `okand`): never under `direktkontakt`;
- `ansokan`: fitting offerings that need bistånd, including what only the social office handles;
- `mottagningen`: always, as is the line that applying for bistånd is always possible.

Which providers play the emergency line, the social office and the navigator is the
municipality's business (`Roles`, from providers.municipalities); Linköping's are the default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from providers.vocabulary import Audience

# Linköping's providers in the guide's fixed roles (DOMAIN.md's fixed slugs): the default
# municipality's, and what tests of the pure decision use.
AUTHORITY = "socialkontoret"
EMERGENCY = "sociala-jouren"
NAVIGATOR = "mottagningen-rad-och-stod"
WHOLE_MUNICIPALITY = "hela-kommunen"
# The navigator's "help finding the right support" offering stands for the mottagningen section;
# the orosanmälan offering stands for the orosanmalan section.
NAVIGATION_OFFERING = "hjalp-att-hitta-ratt-stod"
REPORT_OFFERING = "orosanmalan"

SERVICE_ROUTES = {"service", "service-och-bistand"}
UNKNOWN_ROUTE = "okand"


@dataclass(frozen=True)
class Roles:
    """The provider slugs (and their offerings) that fill the fixed sections of a result.

    An empty slug: the municipality has no such provider (the section then lists nothing).
    """

    navigator: str = NAVIGATOR
    authority: str = AUTHORITY
    emergency: str = EMERGENCY
    navigation_offering: str = NAVIGATION_OFFERING
    report_offering: str = REPORT_OFFERING

    @property
    def providers(self) -> list[str]:
        return [slug for slug in (self.authority, self.emergency, self.navigator) if slug]


YES = "ja"

# Sections in the order a worried person should read them.
SECTION_ORDER = ("akut", "orosanmalan", "direktkontakt", "okand-vag", "ansokan", "mottagningen")

# At most this many offerings per section: the best-fitting first, the rest behind a link to
# the section's whole list. Only these sections are lists that can be that long.
SECTION_LIMIT = 12
LISTED_SECTIONS = ("direktkontakt", "okand-vag", "ansokan")


@dataclass(frozen=True)
class Answers:
    """The guide's answers; every field optional except the yes/no flags."""

    vem: str | None = None
    alder: int | None = None
    behov: tuple[str, ...] = ()
    omrade: str | None = None
    akut: bool = False
    oro_barn: bool = False
    anonym: bool = False

    @property
    def involves_child(self) -> bool:
        return self.vem in (Audience.CHILD, Audience.PROFESSIONAL) or (
            self.alder is not None and self.alder < 18
        )


@dataclass(frozen=True)
class Candidate:
    """What the decision needs to know about one published offering."""

    slug: str
    provider: str
    route: str
    needs: frozenset[str]
    areas: frozenset[str]
    audiences: frozenset[str]
    min_age: int | None = None
    max_age: int | None = None
    anonymity_possible: bool = False
    service_hours_cap: int | None = None

    def fits_age(self, age: int | None) -> bool:
        if age is None:
            return True
        return (self.min_age is None or self.min_age <= age) and (
            self.max_age is None or age <= self.max_age
        )

    def fits_area(self, area: str | None) -> bool:
        if WHOLE_MUNICIPALITY in self.areas:
            return True
        # Area-based units (e.g. Berga–Lambohov) only for residents who said they live there.
        return area is not None and area in self.areas

    def accepts(self, vem: str | None) -> bool:
        if vem is None:
            return True
        if vem == Audience.PROFESSIONAL:
            # A professional looks for where to refer someone, who then makes contact themself.
            return bool({Audience.PROFESSIONAL, Audience.SELF} & self.audiences)
        return vem in self.audiences


@dataclass
class Match:
    candidate: Candidate
    matched_needs: frozenset[str]
    score: tuple
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    matches: list[Match] = field(default_factory=list)
    total: int = 0


@dataclass
class Result:
    answers: Answers
    sections: dict[str, Section]
    notices: list[str] = field(default_factory=list)

    @property
    def ordered_sections(self) -> list[Section]:
        return [self.sections[key] for key in SECTION_ORDER if key in self.sections]

    @property
    def found_nothing(self) -> bool:
        return not any(
            self.sections[key].matches for key in LISTED_SECTIONS if key in self.sections
        )

    def slugs(self, section: str) -> list[str]:
        """Provider slugs listed in a section (used by tests and by the contract)."""
        found = self.sections.get(section)
        return [m.candidate.provider for m in found.matches] if found else []


# Notice codes; the template words them (and translates them).
NOTICE_NOTHING_FOUND = "inget-hittat"
NOTICE_ANONYMOUS = "anonym"
NOTICE_NO_NEEDS = "inga-behov"
NOTICE_PROFESSIONAL_MUST_REPORT = "anmalningsplikt"
NOTE_SERVICE_CAP = "timtak"
NOTE_MORE_AFTER_APPLICATION = "mer-efter-ansokan"
NOTE_ANONYMOUS_OK = "anonym-ok"
NOTE_ASK_ABOUT_ANONYMITY = "fraga-om-anonymitet"


def _fits(candidate: Candidate, answers: Answers) -> frozenset[str] | None:
    """The needs the candidate matches, or None when it does not fit the answers at all."""
    if not candidate.fits_age(answers.alder) or not candidate.fits_area(answers.omrade):
        return None
    if answers.vem == Audience.CHILD and answers.alder is None and (candidate.min_age or 0) >= 18:
        return None  # support for a child, age not given: adult-only units cannot fit
    if not answers.behov:
        return frozenset()
    matched = candidate.needs & set(answers.behov)
    return matched or None


def _score(candidate: Candidate, matched: frozenset[str], answers: Answers) -> tuple:
    """Sort key, best first: more needs matched; anonymity when wished; local before city-wide;
    a unit made for this kind of asker (e.g. support for relatives); a specialised unit before a
    broad one (fewer needs it was not asked about); a narrower age band; then the slug, so the
    order is stable (pathways.selectors._ranked is the SQL twin: change both together)."""
    span = (candidate.max_age if candidate.max_age is not None else 120) - (candidate.min_age or 0)
    local = answers.omrade is not None and answers.omrade in candidate.areas
    anonymous = answers.anonym and candidate.anonymity_possible
    made_for_asker = answers.vem is not None and candidate.audiences == {answers.vem}
    unasked = len(candidate.needs - matched) if answers.behov else 0
    return (
        -len(matched),
        not anonymous,
        not local,
        not made_for_asker,
        unasked,
        span,
        candidate.slug,
    )


def decide(
    answers: Answers,
    candidates: Iterable[Candidate],
    totals: dict[str, int] | None = None,
    roles: Roles = Roles(),  # noqa: B008 (frozen, never changed)
) -> Result:
    """The result for the answers. `totals` gives the full number of fitting offerings per
    section when `candidates` is a shortlist (see pathways.selectors.candidates); `roles`, the
    municipality's providers in the fixed sections."""
    candidates = list(candidates)
    totals = totals or {}
    sections: dict[str, Section] = {}
    notices: list[str] = []

    if answers.akut:
        sections["akut"] = Section(
            "akut", _pick(candidates, provider=roles.emergency, answers=answers)
        )
    if answers.oro_barn:
        sections["orosanmalan"] = Section("orosanmalan", [])
        if answers.vem == Audience.PROFESSIONAL:
            notices.append(NOTICE_PROFESSIONAL_MUST_REPORT)

    direct: list[Match] = []
    unknown: list[Match] = []
    apply: list[Match] = []
    for candidate in candidates:
        if candidate.provider == roles.emergency or candidate.slug == roles.navigation_offering:
            continue
        matched = _fits(candidate, answers)
        if matched is None:
            continue
        match = Match(candidate, matched, _score(candidate, matched, answers))
        if candidate.route == UNKNOWN_ROUTE:
            if candidate.accepts(answers.vem):
                unknown.append(match)
        elif candidate.route in SERVICE_ROUTES and candidate.provider != roles.authority:
            if not candidate.accepts(answers.vem):
                continue
            if candidate.route == "service-och-bistand":
                match.notes.append(
                    NOTE_SERVICE_CAP if candidate.service_hours_cap else NOTE_MORE_AFTER_APPLICATION
                )
            if answers.anonym:
                match.notes.append(
                    NOTE_ANONYMOUS_OK if candidate.anonymity_possible else NOTE_ASK_ABOUT_ANONYMITY
                )
            direct.append(match)
        elif candidate.route == "bistand" and answers.behov:
            # Without any need named, listing every bistånd offering would only confuse.
            apply.append(match)

    if answers.oro_barn:
        sections["orosanmalan"].matches = _pick(
            candidates, provider=roles.authority, answers=answers, prefer=roles.report_offering
        )[:1]

    for key, matches in (("direktkontakt", direct), ("okand-vag", unknown), ("ansokan", apply)):
        matches.sort(key=lambda m: m.score)
        if key == "okand-vag" and not matches and not totals.get(key):
            continue  # only municipalities that have not said show this section
        sections[key] = Section(key, matches[:SECTION_LIMIT], max(len(matches), totals.get(key, 0)))
    sections["mottagningen"] = Section(
        "mottagningen",
        _pick(
            candidates,
            provider=roles.navigator,
            answers=answers,
            prefer=roles.navigation_offering,
        )[:1],
    )

    if not answers.behov:
        notices.append(NOTICE_NO_NEEDS)
    if answers.anonym:
        notices.append(NOTICE_ANONYMOUS)
    if not direct and not apply and not unknown:
        notices.append(NOTICE_NOTHING_FOUND)
    return Result(answers, sections, notices)


def _pick(
    candidates: Iterable[Candidate], *, provider: str, answers: Answers, prefer: str = ""
) -> list[Match]:
    """A fixed provider's offerings: the preferred one first, then those fitting the answers."""
    if not provider:
        return []
    picked = [c for c in candidates if c.provider == provider]
    picked.sort(
        key=lambda c: (
            c.slug != prefer,
            not c.fits_age(answers.alder),
            not (c.needs & set(answers.behov)),
            c.slug,
        )
    )
    return [Match(c, c.needs & set(answers.behov), ()) for c in picked]
