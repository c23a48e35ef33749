"""The URL guard: every route is public by name, or refuses anonymous visitors, and each role
gets 403 outside its own area. A new route fails here until it is classified below."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from portal.permissions import Role
from tests.conftest import make_offering, make_staff, sign_in

# Pages anyone may see: the resident's pages, the sign-in itself and the health checks.
PUBLIC = {
    "home",
    "providers:offering_list",
    "providers:offering_detail",
    "providers:provider_detail",
    "providers:openness",  # how open each municipality's road is (issue 9): figures, no persons
    "providers:openness_csv",
    "pathways:start",
    "pathways:emergency",
    "pathways:result",
    "pathways:step",
    "pathways:section",
    "frontdesk:slip",  # the referral slip: no personal data, by design (DOMAIN.md)
    "frontdesk:slip_text",
    "set_language",
    "healthz",
    "healthz_db",
    "staff:login",
    "staff:logout",  # POST only; signs out whoever is signed in, nobody else
    # The residents' doors (issue 8): forms that store, and their confirmations, which show
    # only what the person's own session holds.
    "intake:contact_request",
    "intake:contact_request_done",
    "intake:application_start",
    "intake:application_step",
    "intake:application_check",
    "intake:application_done",
    "intake:report",
    "intake:report_done",
}
EVERY_ROLE = frozenset(Role.values)
# Staff routes and the roles whose area they are.
STAFF_AREAS = {
    "staff:home": EVERY_ROLE,
    "staff:password_change": EVERY_ROLE,
    "staff:password_change_done": EVERY_ROLE,
    "staff:backup_codes": EVERY_ROLE,
    "frontdesk:call_log": frozenset({Role.MOTTAGNING.value}),
    "frontdesk:call_log_new": frozenset({Role.MOTTAGNING.value}),
    "frontdesk:call_log_edit": frozenset({Role.MOTTAGNING.value}),
    "frontdesk:console": frozenset({Role.MOTTAGNING.value}),
    "frontdesk:statistics": frozenset({Role.MOTTAGNING.value, Role.UPPFOLJNING.value}),
    "frontdesk:statistics_csv": frozenset({Role.MOTTAGNING.value, Role.UPPFOLJNING.value}),
    "intake:contact_queue": frozenset({Role.UTFORARE.value}),
    "intake:contact_request_detail": frozenset({Role.UTFORARE.value}),
    "intake:application_queue": frozenset({Role.HANDLAGGARE.value}),
    "intake:application_detail": frozenset({Role.HANDLAGGARE.value}),
    "intake:report_queue": frozenset({Role.HANDLAGGARE.value}),
    "intake:report_detail": frozenset({Role.HANDLAGGARE.value}),
}
# The second-factor pages serve anyone who has given the right password, before any role check.
SECOND_FACTOR = {"staff:otp_verify", "staff:otp_enrol"}
# Every admin route (the catalogue editors' tool): editors only (and superusers).
ADMIN_ROLES = frozenset({Role.REDAKTOR.value})
ADMIN_SAMPLES = ["/admin/", "/admin/providers/offering/", "/admin/providers/provider/"]
LOGIN_PATHS = ("/personal/logga-in/", "/en/personal/logga-in/")


def routes(language: str) -> list[tuple[str, str]]:
    """(path pattern, namespaced name) for every route, as the URLconf serves `language`."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else ""
                found.append((prefix + str(pattern.pattern), name))

    with translation.override(language):
        walk(get_resolver().url_patterns)
    return found


def concrete(route: str, slug: str) -> str:
    """A requestable path for a route pattern, with a real slug and harmless ids."""
    path = route.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"<slug:[^>]+>", slug, path)
    path = re.sub(r"<(?:int:)?[^>]*(?:id|pk)>", "1", path)
    path = re.sub(r"<[^>]+>", "x", path)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", path)
    return "/" + path.lstrip("/")


def classify(route: str, name: str) -> str:
    if name in PUBLIC:
        return "public"
    if name in STAFF_AREAS or name in SECOND_FACTOR:
        return "staff"
    if route.startswith("admin/"):
        return "admin"
    return "unclassified"


def all_routes():
    return [(route, name) for language in ("sv", "en") for route, name in routes(language)]


def test_every_route_is_classified():
    unclassified = [(r, n) for r, n in all_routes() if classify(r, n) == "unclassified"]
    assert not unclassified, f"Classify these routes in {__file__}: {unclassified}"


def test_the_walk_sees_public_staff_and_admin_routes_in_both_languages():
    seen = {(classify(r, n), r.startswith("en/")) for r, n in all_routes()}
    assert {("public", False), ("public", True), ("staff", False), ("staff", True)} <= seen
    assert ("admin", False) in seen


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_sign_in_from_every_staff_and_admin_route(client):
    offering = make_offering()
    checked = 0
    for route, name in all_routes():
        kind = classify(route, name)
        path = concrete(route, offering.slug)
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
        if kind == "public":
            assert not response.redirect_chain or not response.redirect_chain[-1][0].startswith(
                LOGIN_PATHS
            ), path
            continue
        assert response.redirect_chain, (path, response.status_code)
        assert response.redirect_chain[-1][0].startswith(LOGIN_PATHS), (
            path,
            response.redirect_chain,
        )
        checked += 1
    assert checked > 30


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values, None])
def test_each_role_reaches_its_own_area_and_gets_403_elsewhere(client, role):
    sign_in(client, make_staff(role, is_staff=True))
    holds = {role} if role else set()
    for route, name in all_routes():
        if classify(route, name) != "staff" or name in SECOND_FACTOR:
            continue
        status = client.get(concrete(route, "x")).status_code
        if holds & STAFF_AREAS[name]:
            # A route to one object (`<int:pk>`, `<slug:…>`) finds none for "x" or in this
            # empty database: 404.
            one_object = "<int:" in route or "<slug:" in route
            assert status == 200 or (status == 404 and one_object), (role, route, status)
        else:
            assert status == 403, (role, route, status)
    for path in ADMIN_SAMPLES:
        status = client.get(path).status_code
        assert status == (200 if holds & ADMIN_ROLES else 403), (role, path, status)


@pytest.mark.django_db
def test_a_superuser_administers_accounts_but_holds_no_role_area_unless_given_one(client):
    sign_in(client, make_staff(None, is_staff=True, is_superuser=True))
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/personal/").status_code == 200


@pytest.mark.django_db
def test_signed_in_without_the_second_factor_reaches_only_the_second_factor_pages(client):
    user = make_staff(Role.REDAKTOR, is_staff=True)
    client.force_login(user)  # password given, no code yet
    for path in ["/personal/", "/personal/losenord/", "/admin/"]:
        response = client.get(path, follow=True)
        assert response.redirect_chain[-1][0].startswith("/personal/tvafaktor/"), path
        assert response.status_code == 200
