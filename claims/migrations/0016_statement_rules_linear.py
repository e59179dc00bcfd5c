"""Statement rules on PostgreSQL at a cost that follows the rows written.

Migration 0007's check cut each new statement's slice with
``substr(d.text, start + 1, ...)``: on UTF-8 that walks the text from its
first character (and decompresses it that far) for every statement, so a
document of n statements cost n²; and its overlap pass read every statement
of the documents written, through a join the planner could run over the whole
``(document, start)`` index (BENCHMARKS.md, Statement rules).

The same rules, checked now:

- slices: each document written is cut once, in one left-to-right pass of the
  regular-expression engine, into pieces of ``PIECE`` characters; a statement
  is compared with the one or few pieces its span covers, so a statement costs
  its own length, and a command one pass over each of its documents;
- overlap: for each row written, its neighbours before and after it by
  ``(document_id, start)``, two look-ups in the ``statement_start_unique``
  index. Starts are unique, and the rows not written did not overlap before
  (this check held when they were written), so an overlap, if any, is between
  a written row and its neighbour in start order: were it between two other
  rows with written ones between, the first would overlap its own neighbour.

The documents are locked first, as before, so that two writers of one
document's statements take turns and the second sees the first's rows.
"""

from django.db import migrations

# Characters a piece. A regular expression bounds a repetition at 255
# (RE_DUP_MAX); pieces of 255 keep each statement's comparison short.
PIECE = 255

CHECK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION claims_statements_check() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    -- First, so that a text changed by another transaction meanwhile, or
    -- statements it wrote, are seen by both checks below.
    PERFORM 1 FROM claims_document
    WHERE id IN (SELECT document_id FROM written)
    ORDER BY id FOR NO KEY UPDATE;

    -- MATERIALIZED: cut once, not again for each row that reads a piece.
    WITH pieces AS MATERIALIZED (
        -- Piece k holds characters [k * {PIECE}, (k + 1) * {PIECE}) of its text.
        SELECT d.id AS document_id, p.number - 1 AS k, p.piece[1] AS piece
        FROM claims_document d,
             regexp_matches(d.text, '.{{1,{PIECE}}}', 'g')
                 WITH ORDINALITY AS p(piece, number)
        WHERE d.id IN (SELECT document_id FROM written)
    )
    SELECT w.document_id, w.start, w."end" INTO bad
    FROM written w
    CROSS JOIN LATERAL generate_series(
        w.start / {PIECE}, (w."end" - 1) / {PIECE}
    ) AS span(k)
    LEFT JOIN pieces p ON p.document_id = w.document_id AND p.k = span.k
    GROUP BY w.id, w.document_id, w.start, w."end", w.text
    -- The pieces the span falls in, cut to it. A row of no document, or past
    -- the end of its text, misses pieces: its slice is NULL or too short.
    HAVING substr(string_agg(p.piece, '' ORDER BY p.k), w.start % {PIECE} + 1,
                  w."end" - w.start) IS DISTINCT FROM w.text
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'statement [%, %) is not the slice of document % it claims',
            bad.start, bad."end", bad.document_id USING ERRCODE = 'check_violation';
    END IF;

    SELECT w.document_id, w.start, w."end" INTO bad
    FROM written w
    LEFT JOIN LATERAL (
        SELECT s."end" FROM claims_statement s
        WHERE s.document_id = w.document_id AND s.start < w.start
        ORDER BY s.start DESC LIMIT 1
    ) previous ON true
    LEFT JOIN LATERAL (
        SELECT s.start FROM claims_statement s
        WHERE s.document_id = w.document_id AND s.start > w.start
        ORDER BY s.start LIMIT 1
    ) next ON true
    WHERE previous."end" > w.start OR w."end" > next.start
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'statement [%, %) overlaps another statement of document %',
            bad.start, bad."end", bad.document_id USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
-- The planner cannot tell how many pieces a span covers (generate_series of
-- a column: 1,000 rows, it guesses), so a batch of a few thousand rows looks
-- costly enough to compile: half a second of JIT for 40 ms of work.
SET jit = off
"""


def _previous_function():
    """Migration 0007's function, put back on the way down."""
    from importlib import import_module

    before = import_module("claims.migrations.0007_statement_rules_per_command")
    return before.CHECK_FUNCTION.replace(
        "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
    )


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql() if callable(sql) else sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_claim_search_statistics")]

    operations = [
        migrations.RunPython(
            _run_on_postgresql(CHECK_FUNCTION), _run_on_postgresql(_previous_function)
        )
    ]
