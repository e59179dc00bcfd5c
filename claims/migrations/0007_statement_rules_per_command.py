"""Statement rules on PostgreSQL checked once a command, over all its rows.

Migration 0002 held two rules row by row: an exclusion constraint (btree_gist)
against overlapping statements, and a trigger checking that a statement's
text is its slice of the document. A bulk import writes fifteen statements a
document, and these two cost ~49 µs a row of the ~60 µs each row took to
write (30,000 statements: 0.95 s in the GiST index, 0.5 s in the trigger,
against 12 ms into a plain table; BENCHMARKS.md, Import).

The same rules now run after each INSERT or UPDATE, once for all the rows it
wrote (a transition table): a join with the documents, and one ordered pass
over those documents' statements. Overlap is checked against the
committed rows too; to keep that true between two transactions writing
statements of one document at once, as the exclusion constraint did, the
check first locks the documents concerned, so the second writer waits and
then sees the first's rows (under READ COMMITTED, Django's default; a
REPEATABLE READ or SERIALIZABLE writer keeps its snapshot, and only
SERIALIZABLE then refuses the conflict).
"""

from django.db import migrations

CHECK_FUNCTION = """
CREATE FUNCTION claims_statements_check() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    -- First, so that a text changed by another transaction meanwhile, or
    -- statements it wrote, are seen by both checks below.
    PERFORM 1 FROM claims_document
    WHERE id IN (SELECT document_id FROM written)
    ORDER BY id FOR NO KEY UPDATE;
    SELECT w.document_id, w.start, w."end" INTO bad
    FROM written w
    LEFT JOIN claims_document d ON d.id = w.document_id
    -- A span past the end of the text gives a shorter slice, and the row's
    -- own check holds length(text) = end - start: no char_length needed (on
    -- UTF-8 it reads the whole text, as substr reads up to the slice).
    WHERE d.id IS NULL
       OR substr(d.text, w.start + 1, w."end" - w.start) IS DISTINCT FROM w.text
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'statement [%, %) is not the slice of document % it claims',
            bad.start, bad."end", bad.document_id USING ERRCODE = 'check_violation';
    END IF;

    -- In start order, a statement overlaps another only if it starts before
    -- the one before it ends: one pass over the documents' statements, in
    -- the order of the (document_id, start) index.
    SELECT s.document_id, s.start, s."end" INTO bad
    FROM (
        SELECT document_id, start, "end",
               lag("end") OVER (PARTITION BY document_id ORDER BY start) AS previous_end
        FROM claims_statement
        WHERE document_id IN (SELECT document_id FROM written)
    ) s
    WHERE s.start < s.previous_end
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'statement [%, %) overlaps another statement of document %',
            bad.start, bad."end", bad.document_id USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

FORWARD = [
    "ALTER TABLE claims_statement DROP CONSTRAINT statement_no_overlap",
    "DROP TRIGGER statement_slices_document ON claims_statement",
    "DROP FUNCTION claims_statement_slices_document()",
    CHECK_FUNCTION,
    # A trigger with a transition table takes one event: one for each.
    "CREATE TRIGGER statements_inserted AFTER INSERT ON claims_statement "
    "REFERENCING NEW TABLE AS written "
    "FOR EACH STATEMENT EXECUTE FUNCTION claims_statements_check()",
    "CREATE TRIGGER statements_updated AFTER UPDATE ON claims_statement "
    "REFERENCING NEW TABLE AS written "
    "FOR EACH STATEMENT EXECUTE FUNCTION claims_statements_check()",
]

BACKWARD = [
    "DROP TRIGGER statements_updated ON claims_statement",
    "DROP TRIGGER statements_inserted ON claims_statement",
    "DROP FUNCTION claims_statements_check()",
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
    "CREATE TRIGGER statement_slices_document BEFORE INSERT OR UPDATE "
    "ON claims_statement FOR EACH ROW "
    "EXECUTE FUNCTION claims_statement_slices_document()",
    "ALTER TABLE claims_statement ADD CONSTRAINT statement_no_overlap "
    'EXCLUDE USING gist (document_id WITH =, int4range(start, "end") WITH &&)',
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)  # "%" is PL/pgSQL's

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_claim_text_trigram")]

    operations = [
        migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD))
    ]
