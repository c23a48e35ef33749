"""Issue 7's whole navigator flow in one session, by keyboard alone, with every key press counted.

A relative calls, worried about someone's drinking. The navigator signs in (password and the code
from the app), searches the console, puts two offerings on the slip, opens the slip, logs the call
from the console's link (pre-filled with the picks), and axe-core checks every page on the way.

Only `page.keyboard` drives the browser after the first address: no click, fill or goto. The
slip opens with Ctrl+Enter in a tab of its own, as a navigator keeps the console while reading
the slip to the caller: a headless browser has no Alt+Left, and the call log's saved page offers
no way back to the picks, so opening the slip in the same tab would end the flow there.

Run with -s to see the counts per stage.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import Group

from frontdesk.models import CallLogEntry
from portal.permissions import Role
from tests.browser.test_staff import current_code
from tests.conftest import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a navigator types for "anhörig, orolig för någons drickande": whole words from the
# catalogue's texts, since PostgreSQL's Swedish full-text search does not split compounds
# ("drickande" is in one offering only; "alkohol" and "anhörig(a)" are in the right ones).
SEARCH = "alkohol anhörig"
PICKS = ("anhorigstod-st-lars", "stod-for-vuxna-eleonora")
STAGES = ("sign-in", "search", "picking", "slip", "logging")

# Measured: 68 navigation keys and 53 typed characters (37 of them the username, password and
# code). The bounds leave a little room, so that a page growing a tab stop or two passes and a
# real loss of keyboard efficiency (a lost focus, a field no longer pre-filled) fails.
MAX_NAVIGATION_KEYS = 65
MAX_TYPED_CHARACTERS = 56


class CountingKeyboard:
    """`page.keyboard`, counting each navigation key (a chord such as Control+Enter is one) and
    each typed character, per stage of the flow."""

    def __init__(self, page):
        self.page = page
        self.stage = STAGES[0]
        self.keys: Counter[str] = Counter()
        self.typed: Counter[str] = Counter()

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.keys[self.stage] += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed[self.stage] += len(text)

    def tab_to(self, selector: str, limit: int = 40) -> None:
        """Tab until `selector` has focus."""
        for _ in range(limit):
            self.press("Tab")
            if self.focused(selector):
                return
        raise AssertionError(f"{selector} never got focus in {limit} presses of Tab")

    def focused(self, selector: str) -> bool:
        return self.page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    def wait_for_focus(self, selector: str) -> None:
        self.page.wait_for_function(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", arg=selector
        )

    def report(self) -> str:
        lines = [f"{'stage':<10}{'keys':>6}{'typed':>7}"]
        for stage in STAGES:
            lines.append(f"{stage:<10}{self.keys[stage]:>6}{self.typed[stage]:>7}")
        total_keys, total_typed = self.keys.total(), self.typed.total()
        lines.append(f"{'total':<10}{total_keys:>6}{total_typed:>7}  = {total_keys + total_typed}")
        return "\n".join(lines)


def test_a_navigator_searches_picks_opens_the_slip_and_logs_the_call_by_keyboard_alone(
    live_catalogue, page, assert_accessible
):
    Group.objects.get_or_create(name=Role.MOTTAGNING)
    user = make_staff(Role.MOTTAGNING, username="vagledare")
    keys = CountingKeyboard(page)
    picked = ", ".join(f"[data-pick][value={slug}]:not(:checked)" for slug in PICKS)

    # Sign-in: the console sends a stranger to the sign-in page; username, password, the code.
    page.goto(live_catalogue.url + "/personal/mottagning/")
    page.wait_for_url("**/personal/logga-in/**")
    keys.wait_for_focus("[name=username]")
    keys.type(user.username)
    keys.press("Tab")
    keys.type(STAFF_PASSWORD)
    keys.press("Enter")
    page.wait_for_url("**/personal/tvafaktor/?**")
    keys.wait_for_focus("[name=otp_token]")
    keys.type(current_code(user.totpdevice_set.get()))
    keys.press("Enter")
    page.wait_for_url("**/personal/mottagning/")

    # Search: the words, then what the caller has told: a relative (the select's type-ahead,
    # "J" for "Jag står nära någon…"), and drinking (the need "missbruk"); Enter searches.
    keys.stage = "search"
    keys.wait_for_focus("[name=q]")
    assert_accessible(page)
    keys.type(SEARCH)
    keys.tab_to("details.console-filters > summary")
    keys.press("Enter")  # opens the filters
    keys.tab_to("[name=vem]")
    keys.type("j")
    assert page.locator("[name=vem]").input_value() == "narstaende"
    keys.tab_to("[name=behov][value=missbruk]")
    keys.press("Space")
    keys.press("Enter")
    page.wait_for_url("**/personal/mottagning/?q=*")
    found = page.locator("[data-section=direktkontakt] [data-offering]")
    assert set(PICKS) <= {found.nth(i).get_attribute("data-offering") for i in range(found.count())}
    assert_accessible(page)

    # Picking: the filters fold away after a search (the answers show above the results), so
    # Tab goes from the search to the results. Enter on the second checkbox makes the slip.
    keys.stage = "picking"
    keys.wait_for_focus("[name=q]")
    assert not page.locator("details.console-filters").evaluate("(d) => d.open")
    for _ in PICKS:
        keys.tab_to(picked)
        keys.press("Space")
    keys.press("Enter")
    page.wait_for_url("**/personal/mottagning/?*insats=*insats=*")
    assert page.locator("[data-slip] li").count() == len(PICKS)
    assert_accessible(page)

    # The slip: its link on the console, opened in a tab of its own (Ctrl+Enter).
    keys.stage = "slip"
    keys.wait_for_focus("[name=q]")
    keys.tab_to("[data-slip-link]")
    with page.context.expect_page() as opened:
        keys.press("Control+Enter")
    slip = opened.value
    slip.wait_for_load_state()
    assert "/lapp/?insats=" in slip.url
    assert sorted(
        slip.locator("[data-offering]").evaluate_all("(els) => els.map((e) => e.dataset.offering)")
    ) == sorted(PICKS)
    assert slip.locator("html").get_attribute("lang") == "sv"
    assert_accessible(slip)

    # Logging: the console's link pre-fills who called, the need and the two offerings. The
    # age group is not carried over from the console, so it is chosen here (25–64, three
    # arrows down from the first); the outcome "hänvisad", and Enter saves.
    keys.stage = "logging"
    assert keys.focused("[data-slip-link]")  # the console kept its place
    keys.tab_to("[data-call-log]")
    keys.press("Enter")
    page.wait_for_url("**/personal/mottagning/samtal/ny/?*")
    assert page.locator("[name=vem][value=narstaende]").is_checked()
    assert page.locator("[name=behov][value=missbruk]").is_checked()
    assert page.locator("[name=insatser]:checked").count() == len(PICKS)
    assert_accessible(page)
    keys.tab_to("a.skip-link")
    keys.press("Enter")  # to the main content, past the staff menu
    keys.tab_to("[name=aldersgrupp]")
    keys.press("ArrowDown", times=3)
    assert keys.focused("[name=aldersgrupp][value='25-64']:checked")
    keys.tab_to("[name=utfall][value=hanvisad]")
    keys.press("Space")
    keys.press("Enter")
    page.wait_for_url(live_catalogue.url + "/personal/mottagning/samtal/")
    assert page.get_by_text("Samtalet är sparat i loggen.").is_visible()

    entry = CallLogEntry.objects.get()
    assert entry.author == user
    assert entry.vem == "narstaende"
    assert "missbruk" in entry.behov
    assert entry.aldersgrupp == "25-64"
    assert entry.utfall == ["hanvisad"]
    assert sorted(entry.insatser.values_list("slug", flat=True)) == sorted(PICKS)

    print("\nKey presses, navigator flow (keys: navigation keys; typed: characters)")
    print(keys.report())
    assert keys.keys.total() <= MAX_NAVIGATION_KEYS, keys.report()
    assert keys.typed.total() <= MAX_TYPED_CHARACTERS, keys.report()
