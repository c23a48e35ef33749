"""After residents submit all three forms, neither the database (on SQLite the database file
itself) nor any log line holds a name, personnummer or free text in plaintext."""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.db import connection

from portal.permissions import Role
from providers.models import Provider
from tests.conftest import make_staff
from tests.intake import test_application, test_contact, test_report

NAME = "Zebulon Klartextsson"
CHILD = "Ylva Klartextsdotter"
FREE_TEXT = "Hemligheten xyzzy om grannens källare"
PNR = test_application.PNR  # a valid personnummer (Luhn), not a test number

pytestmark = pytest.mark.django_db(transaction=True)


def database_text(tmp_path) -> str:
    """Everything the database holds, as text: every row of every table, and on SQLite also
    the bytes of a file copy of the database."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            parts.extend(" ".join(map(str, row)) for row in cursor.fetchall())
        # Sessions are signed, not encrypted: read them as Django does.
        from django.contrib.sessions.models import Session

        parts.extend(str(session.get_decoded()) for session in Session.objects.all())
        if connection.vendor == "sqlite":
            copy = tmp_path / "copy.sqlite3"
            cursor.execute("VACUUM INTO %s", [str(copy)])
            parts.append(copy.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_nothing_submitted_is_readable_in_the_database_or_the_logs(
    client, catalogue, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    make_staff(Role.UTFORARE, providers=[Provider.objects.get(slug="familjeteamet")])

    contact = client.post(
        "/stod/familjebehandling-familjeteamet/kontakta/",
        {**test_contact.GOOD, "namn": NAME, "meddelande": FREE_TEXT, "kvitto": ""},
    )
    assert contact.status_code == 302
    report = client.post(
        "/orosanmalan/",
        test_report.private_post(barn_namn=CHILD, sett=FREE_TEXT, barn_personnummer=""),
    )
    assert report.status_code == 302
    test_application.fill(
        client,
        identitet={"namn": NAME, "personnummer": PNR},
        behov={"behov": ["psykisk-ohalsa"], "beskrivning": FREE_TEXT},
    )
    assert test_application.submit(client).status_code == 302

    stored = database_text(tmp_path)
    logged = caplog.text
    # The same values written as they are stored: the canonical number, and without separator.
    secrets = [NAME, CHILD, FREE_TEXT, "xyzzy", PNR, PNR.replace("-", ""), PNR[2:]]
    for secret in secrets:
        assert secret not in stored, f"{secret!r} is readable in the database"
        assert secret not in logged, f"{secret!r} is in a log line"
    assert "gAAAAA" in stored  # the values are there, encrypted
    assert "Familjebehandling" in stored  # and the copy is readable where nothing is secret
