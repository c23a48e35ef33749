"""providers.cards: the plain-value cards every list shows, against the models they stand for."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from providers import cards
from providers.hours import STOCKHOLM
from providers.models import ContactPoint, HoursException, Offering, Route
from tests.conftest import WEEKDAYS_8_17, make_offering, make_phone, make_provider

# A Tuesday in term time, mid-morning: lines open 8–17 on weekdays are open.
TUESDAY_10 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=STOCKHOLM)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday_morning():
    with time_machine.travel(TUESDAY_10, tick=False):
        yield


@pytest.fixture
def phones_every_way():
    """Offerings whose main phone is found each way Offering.first_phone() knows."""
    general = make_provider(name="Allmän utförare")
    make_phone(provider=general, value="013-20 00 00", hours=WEEKDAYS_8_17)
    on_call_first = make_provider(name="Jourutförare")
    make_phone(provider=on_call_first, value="013-30 00 00", is_on_call=True, position=0)
    make_phone(provider=on_call_first, value="013-31 00 00", hours=WEEKDAYS_8_17, position=1)
    made = {
        # No contact of its own: the provider's general phone.
        "provider-phone": make_offering(provider=general),
        # Its own phone, closed today by an exception.
        "own-closed-today": make_offering(provider=general),
        # Its own contact is an e-mail only: no phone, not the provider's.
        "own-email-only": make_offering(provider=general),
        # Its own number is missing ("uppgift saknas"): shown as text, no link, no status.
        "own-missing": make_offering(provider=general),
        # A regular line comes before an on-call one, whatever their order.
        "regular-before-on-call": make_offering(provider=on_call_first),
        # A number without hours: a link but no status.
        "no-hours": make_offering(provider=make_provider()),
    }
    closed = make_phone(
        offering=made["own-closed-today"], value="013-40 00 00", hours=WEEKDAYS_8_17
    )
    HoursException.objects.create(contact_point=closed, date=TUESDAY_10.date(), is_closed=True)
    ContactPoint.objects.create(
        provider=general,
        offering=made["own-email-only"],
        kind=ContactPoint.Kind.EMAIL,
        value="insats@example.se",
    )
    make_phone(offering=made["own-missing"], value="Uppgift saknas", hours=WEEKDAYS_8_17)
    make_phone(offering=made["no-hours"], value="013-50 00 00")
    return made


def _cards_by_name(made):
    found = cards.cards(
        Offering.objects.filter(pk__in=[o.pk for o in made.values()]), now=TUESDAY_10
    )
    by_pk = {card["id"]: card for card in found}
    return {name: by_pk[offering.pk] for name, offering in made.items()}


def test_each_card_shows_the_phone_and_status_the_offering_page_shows(phones_every_way):
    shown = _cards_by_name(phones_every_way)
    for name, offering in phones_every_way.items():
        phone = offering.first_phone()
        card = shown[name]
        if phone is None:
            assert card["phone"] is None, name
        else:
            assert card["phone"] == {"href": phone.href, "display": phone.display_value}, name
        assert card["status"] == offering.phone_status(TUESDAY_10), name


def test_what_a_resident_reads_on_each_card(phones_every_way):
    shown = _cards_by_name(phones_every_way)
    assert shown["provider-phone"]["phone"] == {
        "href": "tel:+4613200000",
        "display": "013-20 00 00",
    }
    assert shown["provider-phone"]["status"].text == "Öppet nu, stänger 17.00"
    assert shown["own-closed-today"]["phone"]["display"] == "013-40 00 00"
    assert shown["own-closed-today"]["status"].text == "Stängt nu, öppnar i morgon kl. 08.00"
    assert shown["own-email-only"]["phone"] is None
    assert shown["own-missing"]["phone"] == {"href": "", "display": "Uppgift saknas"}
    assert shown["own-missing"]["status"] is None
    assert shown["regular-before-on-call"]["phone"]["display"] == "013-31 00 00"
    assert shown["no-hours"]["phone"]["href"] == "tel:+4613500000"
    assert shown["no-hours"]["status"] is None


def test_a_card_reads_in_the_pages_language_with_swedish_where_english_is_missing():
    offering = make_offering(
        name="Samtalsstöd",
        name_en="Counselling",
        summary="Samtal för vuxna.",
        summary_en="",
        min_age=18,
        needs=["missbruk", "kris"],
        anonymity_possible=True,
    )
    with translation.override("en"):
        (card,) = cards.cards(Offering.objects.filter(pk=offering.pk))
    assert card["name"] == "Counselling"
    assert card["summary"] == "Samtal för vuxna."  # no English summary: the Swedish one
    assert card["url"] == f"/en/stod/{offering.slug}/"
    assert card["ages"] == "From 18 years"
    (card,) = cards.cards(Offering.objects.filter(pk=offering.pk))
    assert card["name"] == "Samtalsstöd"
    assert card["url"] == f"/stod/{offering.slug}/"
    assert card["ages"] == "Från 18 år"
    assert card["needs"] == "alkohol, droger, spel, kris"
    assert card["anonymous"] is True
    assert card["route"] == Route.SERVICE


def test_cards_take_two_queries_however_many_there_are(phones_every_way):
    cards.cards(Offering.objects.all())  # warms the cached municipalities and vocabularies

    def queries_for(offerings):
        with CaptureQueriesContext(connection) as queries:
            found = cards.cards(offerings, now=TUESDAY_10)
        return len(found), len(queries.captured_queries)

    assert queries_for(Offering.objects.filter(pk=phones_every_way["no-hours"].pk)) == (1, 2)
    assert queries_for(Offering.objects.all()) == (len(phones_every_way), 2)
    assert cards.cards(Offering.objects.none()) == []


def test_rows_from_a_raw_cursor_make_the_same_cards(phones_every_way):
    """The guide and the search select SQL_COLUMNS themselves (SQLite gives dates as text)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {cards.SQL_COLUMNS} FROM providers_offering o "  # noqa: S608 (fixed SQL)
            "JOIN providers_provider p ON p.id = o.provider_id ORDER BY o.id"
        )
        rows = [cards.from_row(row) for row in cursor.fetchall()]
    from_sql = cards.from_rows(rows, now=TUESDAY_10)
    from_orm = cards.cards(Offering.objects.order_by("id"), now=TUESDAY_10)
    assert from_sql == from_orm
    assert all(isinstance(card["last_reviewed"], dt.date) for card in from_sql)
