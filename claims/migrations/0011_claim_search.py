"""Full-text search over claims, kept in step with claim writes by the database.

PostgreSQL: ``claims_claim.search``, a generated ``tsvector`` (english) of the
claim's text, with a GIN index; the trigram index of migration 0006 stays.
SQLite: ``claims_claim_fts``, an FTS5 table over the claim texts (its
``bm25()`` ranks them), filled from and kept in step with ``claims_claim`` by
three triggers. Neither is a model field: ``claims.search`` reads them in SQL.

SQLite drops a table's triggers when Django rebuilds the table (most
``AlterField``/``AddField`` operations on ``Claim``): a later migration that
does so must run ``SQLITE_TRIGGERS`` again (``tests/test_search.py`` checks
the index follows writes).
"""

from django.db import migrations

POSTGRESQL = [
    "ALTER TABLE claims_claim ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX claim_search ON claims_claim USING gin (search)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS claim_search",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search",
]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS claims_claim_fts_insert AFTER INSERT ON claims_claim "
    "BEGIN INSERT INTO claims_claim_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS claims_claim_fts_delete AFTER DELETE ON claims_claim "
    "BEGIN INSERT INTO claims_claim_fts (claims_claim_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS claims_claim_fts_update "
    "AFTER UPDATE OF id, text ON claims_claim "
    "BEGIN INSERT INTO claims_claim_fts (claims_claim_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO claims_claim_fts (rowid, text) VALUES (new.id, new.text); END",
]
SQLITE = [
    # External content: the index holds no second copy of the texts.
    "CREATE VIRTUAL TABLE claims_claim_fts USING fts5 (text, content='claims_claim', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "INSERT INTO claims_claim_fts (claims_claim_fts) VALUES ('rebuild')",
    *SQLITE_TRIGGERS,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_claim_fts_insert",
    "DROP TRIGGER IF EXISTS claims_claim_fts_delete",
    "DROP TRIGGER IF EXISTS claims_claim_fts_update",
    "DROP TABLE IF EXISTS claims_claim_fts",
]


def _run(by_vendor):
    def run(apps, schema_editor):
        for sql in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_claim_review_publisher")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
