"""The guide's decision, case by case, as a pure function (no database)."""

from pathways.routing import (
    NOTE_ANONYMOUS_OK,
    NOTE_ASK_ABOUT_ANONYMITY,
    NOTE_SERVICE_CAP,
    NOTICE_NOTHING_FOUND,
    NOTICE_PROFESSIONAL_MUST_REPORT,
    Answers,
    Candidate,
    decide,
)


def offering(
    slug,
    provider=None,
    route="service",
    needs=("missbruk",),
    areas=("hela-kommunen",),
    audiences=("jag",),
    **fields,
):
    return Candidate(
        slug=slug,
        provider=provider or slug,
        route=route,
        needs=frozenset(needs),
        areas=frozenset(areas),
        audiences=frozenset(audiences),
        **fields,
    )


NAVIGATOR = offering(
    "hjalp-att-hitta-ratt-stod",
    provider="mottagningen-rad-och-stod",
    needs=("missbruk", "kris", "ekonomi"),
    audiences=("jag", "barn", "narstaende"),
)
REPORT = offering("orosanmalan", provider="socialkontoret", needs=("vald", "familj"))
MONEY = offering(
    "ekonomiskt-bistand", provider="socialkontoret", route="bistand", needs=("ekonomi",)
)
JOUR = offering("jouren", provider="sociala-jouren", needs=("kris", "vald"))
FIXED = [NAVIGATOR, REPORT, MONEY, JOUR]


def test_bistand_only_offering_goes_to_ansokan_never_direktkontakt():
    home = offering("gruppboende", route="bistand", needs=("bostad",))
    result = decide(Answers(vem="jag", alder=30, behov=("bostad",)), [home, *FIXED])
    assert "gruppboende" not in result.slugs("direktkontakt")
    assert "gruppboende" in result.slugs("ansokan")


def test_service_and_bistand_offering_is_direct_with_a_note_on_its_limit():
    support = offering("boendestod", route="service-och-bistand", service_hours_cap=6)
    result = decide(Answers(vem="jag", alder=30, behov=("missbruk",)), [support, *FIXED])
    [match] = result.sections["direktkontakt"].matches
    assert match.candidate.slug == "boendestod"
    assert NOTE_SERVICE_CAP in match.notes


def test_age_bounds_are_inclusive():
    teens = offering("unga", min_age=14, max_age=18)
    for age, listed in [(13, False), (14, True), (18, True), (19, False)]:
        result = decide(Answers(alder=age, behov=("missbruk",)), [teens])
        assert ("unga" in result.slugs("direktkontakt")) is listed, age


def test_relative_gets_relatives_support_not_the_persons_own_treatment():
    treatment = offering("behandling", audiences=("jag",))
    relatives = offering("anhorigstod", audiences=("narstaende",))
    result = decide(
        Answers(vem="narstaende", alder=50, behov=("missbruk",)), [treatment, relatives]
    )
    assert result.slugs("direktkontakt") == ["anhorigstod"]


def test_young_person_may_call_themself_where_the_unit_accepts_it():
    family = offering("familjeteamet", max_age=20, audiences=("jag", "barn"), needs=("familj",))
    parents_only = offering("foraldrar", max_age=15, audiences=("barn",), needs=("familj",))
    result = decide(Answers(vem="jag", alder=16, behov=("familj",)), [family, parents_only])
    assert result.slugs("direktkontakt") == ["familjeteamet"]


def test_area_units_only_for_residents_of_their_area():
    local = offering("berga-lambohov", areas=("berga", "lambohov"))
    city = offering("stad")
    assert decide(Answers(behov=("missbruk",)), [local, city]).slugs("direktkontakt") == ["stad"]
    in_berga = decide(Answers(behov=("missbruk",), omrade="berga"), [local, city])
    assert in_berga.slugs("direktkontakt") == ["berga-lambohov", "stad"]  # local first
    assert decide(Answers(behov=("missbruk",), omrade="ryd"), [local, city]).slugs(
        "direktkontakt"
    ) == ["stad"]


def test_ranking_puts_more_matched_needs_and_specialised_units_first():
    broad = offering("bred", needs=("missbruk", "kris", "familj", "vald"))
    focused = offering("fokuserad", needs=("missbruk",))
    both = offering("bada", needs=("missbruk", "psykisk-ohalsa"))
    result = decide(Answers(behov=("missbruk", "psykisk-ohalsa")), [broad, focused, both])
    assert result.slugs("direktkontakt") == ["bada", "fokuserad", "bred"]


def test_anonymity_wish_ranks_anonymous_units_first_and_notes_each():
    named = offering("namn", anonymity_possible=False)
    anonymous = offering("anonym", anonymity_possible=True)
    result = decide(Answers(behov=("missbruk",), anonym=True), [named, anonymous])
    assert result.slugs("direktkontakt") == ["anonym", "namn"]
    notes = {m.candidate.slug: m.notes for m in result.sections["direktkontakt"].matches}
    assert notes == {"anonym": [NOTE_ANONYMOUS_OK], "namn": [NOTE_ASK_ABOUT_ANONYMITY]}


def test_danger_puts_akut_first_with_the_emergency_service():
    result = decide(Answers(akut=True, behov=("vald",)), FIXED)
    assert [s.key for s in result.ordered_sections][0] == "akut"
    assert result.slugs("akut") == ["sociala-jouren"]
    assert "sociala-jouren" not in result.slugs("direktkontakt")


def test_child_concern_leads_to_socialkontoret_and_professionals_are_told_they_must_report():
    result = decide(Answers(vem="yrkesperson", alder=11, behov=("vald",), oro_barn=True), FIXED)
    assert [m.candidate.slug for m in result.sections["orosanmalan"].matches] == ["orosanmalan"]
    assert NOTICE_PROFESSIONAL_MUST_REPORT in result.notices
    assert [s.key for s in result.ordered_sections][:1] == ["orosanmalan"]


def test_social_office_needs_go_to_ansokan_and_the_office_is_never_direktkontakt():
    result = decide(Answers(vem="jag", alder=40, behov=("ekonomi",)), FIXED)
    assert result.slugs("ansokan") == ["socialkontoret"]
    assert "socialkontoret" not in result.slugs("direktkontakt")


def test_mottagningen_is_always_there_and_not_repeated_under_direktkontakt():
    for answers in [Answers(), Answers(behov=("missbruk",)), Answers(akut=True, oro_barn=True)]:
        result = decide(answers, FIXED)
        assert result.slugs("mottagningen") == ["mottagningen-rad-och-stod"]
        assert "hjalp-att-hitta-ratt-stod" not in [
            m.candidate.slug for m in result.sections["direktkontakt"].matches
        ]


def test_no_fit_says_so_kindly_and_still_shows_mottagningen():
    result = decide(Answers(vem="jag", alder=40, behov=("sysselsattning",)), [NAVIGATOR])
    assert result.found_nothing
    assert NOTICE_NOTHING_FOUND in result.notices
    assert "mottagningen" in result.sections


def test_child_of_unknown_age_gets_no_adult_only_units():
    adults = offering("vuxna", min_age=18, audiences=("barn", "jag"))
    result = decide(Answers(vem="barn", behov=("missbruk",)), [adults])
    assert result.slugs("direktkontakt") == []
