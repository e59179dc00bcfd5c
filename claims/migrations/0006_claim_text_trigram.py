"""Trigram similarity for claim matching, on PostgreSQL only.

``pg_trgm`` and a GIN index over ``claims_claim.text`` let the suggestion
service find the known claims most like a statement (``text % statement``)
without reading the table. SQLite has neither; there the service computes the
same measure in Python (``claims.services.suggestions``), and this migration
does nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claim_text_trgm ON claims_claim "
    "USING gin (text gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS claim_text_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_source_version")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
