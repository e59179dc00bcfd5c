"""Rules across rows, held by PostgreSQL itself (the services check them too).

- a document's statements do not overlap (exclusion constraint, btree_gist);
- a statement's text is its slice of the document's text (trigger);
- an attribution's spans lie inside its document's text (trigger);
- a document's text cannot change once it has statements (trigger);
- a document's content_hash is the sha256 of its text (check constraint).

SQLite has no exclusion constraints, so there these rules rest on
``claims.services`` alone; the migration does nothing on other databases.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE claims_statement ADD CONSTRAINT statement_no_overlap
    EXCLUDE USING gist (document_id WITH =, int4range(start, "end") WITH &&)
    """,
    """
    ALTER TABLE claims_document ADD CONSTRAINT document_content_hash_matches_text
    CHECK (content_hash = encode(sha256(convert_to(text, 'UTF8')), 'hex'))
    """,
    """
    CREATE FUNCTION claims_statement_slices_document() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM claims_document d
            WHERE d.id = NEW.document_id
              AND char_length(d.text) >= NEW."end"
              AND substr(d.text, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
        ) THEN
            RAISE EXCEPTION 'statement [%, %) is not the slice of document % it claims',
                NEW.start, NEW."end", NEW.document_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER statement_slices_document
    BEFORE INSERT OR UPDATE ON claims_statement
    FOR EACH ROW EXECUTE FUNCTION claims_statement_slices_document()
    """,
    """
    CREATE FUNCTION claims_document_text_frozen() RETURNS trigger AS $$
    BEGIN
        IF NEW.text IS DISTINCT FROM OLD.text
           AND EXISTS (SELECT 1 FROM claims_statement WHERE document_id = OLD.id) THEN
            RAISE EXCEPTION 'document % has statements: its text cannot change', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER document_text_frozen
    BEFORE UPDATE OF text ON claims_document
    FOR EACH ROW EXECUTE FUNCTION claims_document_text_frozen()
    """,
    """
    CREATE FUNCTION claims_attribution_spans_in_text() RETURNS trigger AS $$
    DECLARE
        text_length integer;
    BEGIN
        SELECT char_length(d.text) INTO text_length
        FROM claims_statement s JOIN claims_document d ON d.id = s.document_id
        WHERE s.id = NEW.statement_id;
        IF GREATEST(NEW.source_end, NEW.cue_end, NEW.content_end) > text_length THEN
            RAISE EXCEPTION 'attribution % has a span past the end of its document',
                NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER attribution_spans_in_text
    BEFORE INSERT OR UPDATE ON claims_attribution
    FOR EACH ROW EXECUTE FUNCTION claims_attribution_spans_in_text()
    """,
]

BACKWARD = [
    "DROP TRIGGER attribution_spans_in_text ON claims_attribution",
    "DROP FUNCTION claims_attribution_spans_in_text()",
    "DROP TRIGGER document_text_frozen ON claims_document",
    "DROP FUNCTION claims_document_text_frozen()",
    "DROP TRIGGER statement_slices_document ON claims_statement",
    "DROP FUNCTION claims_statement_slices_document()",
    "ALTER TABLE claims_document DROP CONSTRAINT document_content_hash_matches_text",
    "ALTER TABLE claims_statement DROP CONSTRAINT statement_no_overlap",
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD))
    ]
