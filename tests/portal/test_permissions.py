"""The one permission helper: roles, and a provider's staff seeing only their providers' rows."""

import pytest

from portal.permissions import for_user_providers, has_role, may_see_provider, roles_of
from providers.models import Offering
from tests.conftest import make_offering, make_provider, make_staff

pytestmark = pytest.mark.django_db


def test_a_providers_staff_see_only_their_own_providers_rows():
    ours, other = make_provider(), make_provider()
    mine = make_offering(provider=ours)
    make_offering(provider=other)
    user = make_staff("utforare", providers=[ours])

    assert list(for_user_providers(Offering.objects.all(), user)) == [mine]
    assert may_see_provider(user, ours)
    assert not may_see_provider(user, other)


def test_staff_of_several_providers_see_each_of_them():
    first, second, third = make_provider(), make_provider(), make_provider()
    rows = [make_offering(provider=p) for p in (first, second, third)]
    user = make_staff("utforare", providers=[first, third])
    assert set(for_user_providers(Offering.objects.all(), user)) == {rows[0], rows[2]}


@pytest.mark.parametrize("role", ["mottagning", "handlaggare", "redaktor", None])
def test_a_link_to_a_provider_gives_nothing_without_the_provider_role(role):
    provider = make_provider()
    make_offering(provider=provider)
    user = make_staff(role, providers=[provider])
    assert list(for_user_providers(Offering.objects.all(), user)) == []
    assert not may_see_provider(user, provider)


def test_roles_are_the_groups_named_in_domain_md_and_nothing_else():
    from django.contrib.auth.models import Group

    user = make_staff("uppfoljning")
    user.groups.add(Group.objects.create(name="nagot-annat"))
    assert roles_of(user) == {"uppfoljning"}
    assert has_role(user, "uppfoljning", "mottagning")
    assert not has_role(user, "mottagning")


def test_an_inactive_account_holds_no_role():
    user = make_staff("mottagning", is_active=False)
    assert roles_of(user) == frozenset()
