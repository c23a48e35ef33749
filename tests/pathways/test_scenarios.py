"""Example residents through the real result page (GET /hitta-stod/resultat/).

The shared scenarios (../shared/scenarios/guide-examples.json) and ours (scenarios.json) run
against the real Linköping catalogue and DOMAIN.md's markup contract.
"""

import json
import re
from pathlib import Path

import pytest

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


def test_we_add_at_least_thirty_scenarios_of_our_own():
    assert len(load(HERE / "scenarios.json")) >= 30


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
