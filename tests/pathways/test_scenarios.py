"""Example residents through the real result page (GET /hitta-stod/resultat/).

The shared scenarios (../shared/scenarios/guide-examples.json) and ours (scenarios.json) run
against the real Linköping catalogue and DOMAIN.md's markup contract.
"""

import json
import re
from pathlib import Path

import pytest

from providers.models import Provider

HERE = Path(__file__).parent
# The repository is checked out with ../shared/ beside it (here and in CI).
SHARED = HERE.parents[2] / "shared" / "scenarios" / "guide-examples.json"


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["scenarios"]


SCENARIOS = load(SHARED) + load(HERE / "scenarios.json")


def sections_of(html: str) -> dict[str, set[str]]:
    """data-section value → provider slugs listed inside it."""
    found = {}
    parts = re.split(r'(<section[^>]*data-section="[^"]+"[^>]*>)', html)
    for opening, body in zip(parts[1::2], parts[2::2], strict=True):
        key = re.search(r'data-section="([^"]+)"', opening).group(1)
        body = body.split("</section>")[0]
        found[key] = set(re.findall(r'data-provider="([^"]+)"', body))
    return found


def test_our_thirty_scenarios_are_distinct_residents_naming_real_providers(catalogue):
    """Counting is not enough: each of our scenarios must be a different resident, and each
    must check something that could go wrong, about providers the page could list."""
    ours = load(HERE / "scenarios.json")
    assert len(ours) >= 30
    assert len({s["id"] for s in ours}) == len(ours), "two scenarios share an id"
    queries = [json.dumps(s["query"], sort_keys=True) for s in ours]
    assert len(set(queries)) == len(ours), "two scenarios ask the same question"
    published = set(Provider.objects.filter(is_published=True).values_list("slug", flat=True))
    for scenario in SCENARIOS:
        named = [p for key in ("in", "not_in") for ps in scenario[key].values() for p in ps]
        # A misspelt slug under "not_in" would pass for ever.
        assert set(named) <= published, (scenario["id"], set(named) - published)
        # Mottagningen is on every page; a scenario must expect more than that.
        assert named or set(scenario["sections"]) - {"mottagningen"}, scenario["id"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(client, catalogue, scenario):
    response = client.get("/hitta-stod/resultat/", scenario["query"])
    assert response.status_code == 200
    html = response.content.decode()
    found = sections_of(html)
    for section in scenario["sections"]:
        assert section in found, f"section {section} missing; have {sorted(found)}"
    for section, providers in scenario["in"].items():
        for provider in providers:
            assert provider in found.get(section, set()), (
                f"{provider} not in {section}: {found.get(section)}"
            )
    for section, providers in scenario["not_in"].items():
        for provider in providers:
            assert provider not in found.get(section, set()), f"{provider} wrongly in {section}"
    # Every result page offers Mottagningen and says applying is always possible.
    assert "mottagningen" in found
    assert "Du kan alltid ansöka om bistånd hos socialkontoret." in html
