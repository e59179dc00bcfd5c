"""PostgreSQL: ANALYZE keeps the 10,000 most common lexemes of ``claims_claim.search``.

``claims.search`` estimates from them how many claims hold each lexeme of a
text and looks up candidates by the rarest only. The default statistics
target (100) keeps 1,000 lexemes, those in more than about 0.2% of the claims;
a target of 1,000 keeps 10,000, down to lexemes that a few claims in 10,000
hold. Nothing on SQLite.
"""

from django.db import migrations

FORWARD = "ALTER TABLE claims_claim ALTER COLUMN search SET STATISTICS 1000"
BACKWARD = "ALTER TABLE claims_claim ALTER COLUMN search SET STATISTICS -1"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_document_version")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
