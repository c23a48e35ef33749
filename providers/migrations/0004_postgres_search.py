"""PostgreSQL only: Swedish full-text search and trigram indexes over Offering.search_text.

`search_vector` is a generated column, so it follows `search_text` (kept by
providers.services) without any code of ours. SQLite has neither; it searches with LIKE.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE providers_offering ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('pg_catalog.swedish', coalesce(search_text, ''))) STORED",
    "CREATE INDEX offering_search_vector ON providers_offering USING gin (search_vector)",
    "CREATE INDEX offering_search_trgm ON providers_offering USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS offering_search_trgm",
    "DROP INDEX IF EXISTS offering_search_vector",
    "ALTER TABLE providers_offering DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("providers", "0003_editor_group")]
    operations = [migrations.RunPython(forward, backward)]
