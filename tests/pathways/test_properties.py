"""Properties that must hold for every answer set, over the real Linköping catalogue."""

import re

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways import selectors
from pathways.routing import Answers, decide
from providers import municipalities
from providers.models import Area, Need, Offering

pytestmark = pytest.mark.django_db

NEEDS = [
    "psykisk-ohalsa",
    "neuropsykiatri",
    "missbruk",
    "familj",
    "separation",
    "vald",
    "kris",
    "vardagsstod",
    "sysselsattning",
    "bostad",
    "ekonomi",
]
AREAS = ["centrum", "ryd", "berga", "lambohov", "skaggetorp", "landeryd"]

answers_strategy = st.builds(
    Answers,
    vem=st.sampled_from([None, "jag", "barn", "narstaende", "yrkesperson"]),
    alder=st.one_of(st.none(), st.integers(0, 120)),
    behov=st.lists(st.sampled_from(NEEDS), max_size=4, unique=True).map(tuple),
    omrade=st.sampled_from([None, *AREAS]),
    akut=st.booleans(),
    oro_barn=st.booleans(),
    anonym=st.booleans(),
)


def test_vocabularies_match_domain(catalogue):
    assert set(Need.objects.values_list("slug", flat=True)) == set(NEEDS)
    linkoping = Area.objects.filter(Q(municipality__slug="linkoping") | Q(municipality=None))
    assert set(linkoping.values_list("slug", flat=True)) == {*AREAS, "hela-kommunen"}


def test_bistand_only_never_under_direktkontakt_and_mottagningen_always_there(catalogue):
    everything = selectors.as_candidates(Offering.objects.published())
    # Routes, ages, areas and needs straight from the rows, not through as_candidates() and
    # Candidate.fits_age/fits_area, which decide() itself uses: a mistake there would otherwise
    # agree with itself.
    bistand_only = set(
        Offering.objects.published().filter(route="bistand").values_list("slug", flat=True)
    )
    assert bistand_only, "the catalogue has bistånd-only offerings to test against"
    rows = {
        o.slug: (
            o.min_age,
            o.max_age,
            {a.slug for a in o.areas.all()},
            {n.slug for n in o.needs.all()},
        )
        for o in Offering.objects.published().prefetch_related("areas", "needs")
    }

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answers_strategy)
    def check(answers):
        result = decide(answers, everything)
        direct = {m.candidate.slug for m in result.sections["direktkontakt"].matches}
        assert not direct & bistand_only
        assert result.slugs("mottagningen") == ["mottagningen-rad-och-stod"]
        if answers.akut:
            assert result.ordered_sections[0].key == "akut"
        if answers.oro_barn:
            assert result.slugs("orosanmalan") == ["socialkontoret"]
        for match in result.sections["direktkontakt"].matches:
            min_age, max_age, areas, needs = rows[match.candidate.slug]
            if answers.alder is not None:
                assert min_age is None or min_age <= answers.alder, match.candidate.slug
                assert max_age is None or answers.alder <= max_age, match.candidate.slug
            assert "hela-kommunen" in areas or answers.omrade in areas, match.candidate.slug
            if answers.behov:
                assert needs & set(answers.behov), match.candidate.slug

    check()


def test_bistand_only_never_under_direktkontakt_on_the_real_page(client, catalogue):
    bistand_only = set(Offering.objects.filter(route="bistand").values_list("slug", flat=True))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answers_strategy)
    def check(answers):
        params = {"behov": list(answers.behov)}
        for key in ("vem", "omrade"):
            if getattr(answers, key):
                params[key] = getattr(answers, key)
        if answers.alder is not None:
            params["alder"] = answers.alder
        for key in ("akut", "oro_barn", "anonym"):
            if getattr(answers, key):
                params[key] = "ja"
        html = client.get("/hitta-stod/resultat/", params).content.decode()
        direct = html.split('data-section="direktkontakt"')[1].split("</section>")[0]
        assert not set(re.findall(r'data-offering="([^"]+)"', direct)) & bistand_only
        assert 'data-route="bistand"' not in direct

    check()


@pytest.mark.parametrize("municipality", ["linkoping", "kinda", "largest generated"])
def test_sql_shortlist_gives_the_same_result_as_deciding_over_everything(catalogue, municipality):
    """The SQL twin of the ranking (selectors.candidates) must not change any decision, in
    any municipality: its own offerings, those that also serve it, and its fixed roles."""
    from providers.management.commands.generate_catalogue import generate

    generate(offerings=400, seed=7)
    found = municipalities.places()
    if municipality == "largest generated":
        municipality = min((p for p in found if p.startswith("test-")), default="linkoping")
    place = found[municipality]
    everything = selectors.as_candidates(Offering.objects.published().for_place(place))
    roles = set(place.roles.providers)
    everything += selectors.as_candidates(
        Offering.objects.published()
        .exclude(municipality_id=place.id)
        .exclude(pk__in=place.served_ids)
        .filter(provider__slug__in=roles)
    )

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answers_strategy)
    def check(answers):
        shortlist, totals, _listed = selectors.candidates(answers, place=place)
        fast = decide(answers, shortlist, totals, place.roles)
        full = decide(answers, everything, roles=place.roles)
        for key in ("direktkontakt", "okand-vag", "ansokan", "akut", "orosanmalan", "mottagningen"):
            if key in full.sections:
                assert [m.candidate.slug for m in fast.sections[key].matches] == [
                    m.candidate.slug for m in full.sections[key].matches
                ], key
                assert fast.sections[key].total == full.sections[key].total, key

    check()
