"""Similar claims: the known claims most like a text, best first.

The one read path for "has this been checked already?": the API
(``/api/claims/similar/``), the admin's page, the suggestions' claim matching
and the benchmark all call ``similar_claims`` or ``similar_claims_batch``.

Lexical ranking, in the database (migration 0009):

- PostgreSQL: the text's lexemes (``to_tsvector('english', text)``) joined
  with OR into a ``tsquery`` (``plainto_tsquery`` would AND them, and a tweet
  never holds every word of the claim it repeats). The candidates are the
  claims matching the OR of its *rarest* lexemes only (``PROBE_BUDGET``, or
  ``PROBE_SHARE`` of the table where that is more; the claims holding each
  estimated from the column's statistics in ``pg_stats``, which a process
  reads once and again when ANALYZE has changed them: a first query answers
  the texts' lexemes, the second ranks), by the GIN index
  over ``claims_claim.search``; the best ``DEPTH`` of them by ``ts_rank``
  against those rare lexemes; those ranked twice, by ``ts_rank_cd`` (cover
  density) and by
  pg_trgm's ``strict_word_similarity`` of the claim within the text, and the
  two rankings fused by reciprocal rank fusion (``1/(RRF_K + rank)`` summed).
  Cover density and trigrams cost more than ``ts_rank`` over the thousands
  of claims an OR query can match, so they rank the shortlist only.
- SQLite: FTS5's ``bm25()`` over ``claims_claim_fts``, the text's words
  quoted and joined with OR.

``score`` orders one text's results and means nothing across texts;
``coverage`` (``claims.lexical.coverage``: the share of the claim's words the
text holds) does, and is what thresholds compare.

Semantic ranking, where the optional packages are installed
(``claims.embeddings.available()``, README "Semantic ranking"): each text's
nearest claims by the cosine of their embeddings (``claims.semantic``) and
its lexical candidates, each by its cosine plus a bonus for its lexical rank
(``claims.fusion.boost``), which measured best on CLEF 2020 Task 2 (above
reciprocal rank fusion and a rerank; BENCHMARKS.md, "Similar claims,
semantic"); ``method`` then says ``semantic``.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch

from claims import embeddings, lexical, selectors
from claims.fusion import boost
from claims.models import Claim, ClaimReview, ClaimReviewStatus
from claims.semantic import nearest_claims

LEXICAL = "lexical"
SEMANTIC = "semantic"
SEMANTIC_DEPTH = 100  # claims by meaning, and lexically, a text before fusion
DEPTH = 30  # claims shortlisted a text, before fusion
RRF_K = 60  # reciprocal rank fusion's constant (Cormack et al., 2009)
# PostgreSQL finds a text's candidates by its rarest lexemes only: those whose
# estimated claims add up to PROBE_BUDGET, at least the PROBE_LEAST rarest,
# and every one too rare for the statistics to count. Frequent words match
# thousands of claims that ts_rank would have to score, and say little of
# which claim a text repeats (BENCHMARKS.md, Claim retrieval: the cost, and
# MAP@5 on CLEF 2020 Task 2 with them left out).
PROBE_BUDGET = 500
PROBE_LEAST = 3
# The budget grows with the table past PROBE_BUDGET / PROBE_SHARE claims
# (100,000): a fixed one kept too few lexemes at 1,000,000, where every word
# of a claim repeated in many wordings is in hundreds of claims (BENCHMARKS.md,
# Claim retrieval, 1,000,000 claims). Below that size nothing changes.
PROBE_SHARE = 0.005
# Texts a query on SQLite: a compound SELECT has at most 500 parts there.
_SQLITE_BATCH = 500


@dataclass(frozen=True)
class ScoredClaim:
    """A claim, how well it ranks for the text, and how much of it the text holds.

    ``claim.verdict`` is its latest published review, or None.
    """

    claim: Claim
    score: float
    coverage: float


@dataclass(frozen=True)
class SimilarClaims:
    method: str
    results: list[ScoredClaim]


def similar_claims(text: str, *, limit: int = 10, viewer: Any = None) -> SimilarClaims:
    """The claims most like ``text``, best first (at most ``limit``), of
    those ``viewer`` may see (``selectors.claims_visible_to``)."""
    return similar_claims_batch([text], limit=limit, viewer=viewer)[0]


def similar_claims_batch(
    texts: Sequence[str], *, limit: int = 10, viewer: Any = None
) -> list[SimilarClaims]:
    """``similar_claims`` for each text, in a fixed number of queries. A text
    given more than once (a wire story's sentence in each paper that ran it)
    is ranked once, and its answer is shared.

    With ``viewer``, the claims hidden from them are left out before the
    ``limit`` is taken, so that the next claims take their places: the
    ranking keeps its whole shortlist a text for that (``DEPTH`` claims, or
    ``SEMANTIC_DEPTH`` with the semantic ranking on)."""
    if viewer is not None and not selectors.documents_withheld_from(viewer):
        viewer = None  # nothing is hidden from them: the ranking as it is
    distinct = list(dict.fromkeys(texts))
    method, ranked = _rank(distinct, limit, deeper=viewer is not None)
    claims = _claims_with_verdicts({pk for rows in ranked for pk, _ in rows}, viewer)
    answers = {}
    for text, rows in zip(distinct, ranked, strict=True):
        # Deleted since it was ranked, or hidden from the viewer; the limit
        # taken before the coverage, which reads each claim's words.
        kept = [(pk, score) for pk, score in rows if pk in claims][:limit]
        answers[text] = SimilarClaims(
            method=method,
            results=[
                ScoredClaim(
                    claim=claims[pk],
                    score=score,
                    coverage=lexical.coverage(text, claims[pk].text),
                )
                for pk, score in kept
            ],
        )
    return [answers[text] for text in texts]


def _rank(
    texts: Sequence[str], limit: int, *, deeper: bool = False
) -> tuple[str, list[list[tuple]]]:
    """(method, [(claim id, score), …] best first for each text): ``limit``
    of them, or (``deeper``) as many as the ranking has, for the caller to
    leave some out before taking the limit."""
    semantic = embeddings.available()
    # Fused, the lexical list is as deep as the semantic one: its candidates
    # past the 30th still lift claims near in meaning (BENCHMARKS.md).
    depth = max(SEMANTIC_DEPTH if semantic else DEPTH, limit)
    if connection.vendor == "postgresql":
        ranked = _postgresql(texts, depth)
    else:
        ranked = _sqlite(texts, depth)
    if semantic:
        return SEMANTIC, _fused(texts, ranked, depth if deeper else limit)
    return LEXICAL, [rows if deeper else rows[:limit] for rows in ranked]


def _fused(texts: Sequence[str], lexical_ranked, limit: int) -> list[list[tuple]]:
    """Each text's lexical ranking fused with its nearest claims by meaning:
    the batch encoded in one pass, and the claims' matrix read once."""
    candidates = [[pk for pk, _ in rows] for rows in lexical_ranked]
    queries = embeddings.encode(list(texts))
    nearest = nearest_claims(queries, limit=max(SEMANTIC_DEPTH, limit), also=candidates)
    cosines = [dict(found.cosines) for found in nearest]
    _cosines_of_unheld(candidates, queries, cosines)
    return [
        boost(ids, of_text)[:limit]
        for ids, of_text in zip(candidates, cosines, strict=True)
    ]


def _cosines_of_unheld(candidates, queries, cosines: list[dict]) -> None:
    """Adds to ``cosines`` those of the lexical candidates whose vector the
    matrix does not hold (written since this process last checked it, or
    never embedded), encoded from their text: scored as 0, unrelated, a claim
    the text repeats word for word would fall below claims merely near it."""
    unheld = {
        pk
        for ids, known in zip(candidates, cosines, strict=True)
        for pk in ids
        if pk not in known
    }
    if not unheld:
        return
    texts = dict(Claim.objects.filter(pk__in=unheld).values_list("pk", "text"))
    if not texts:
        return
    vectors = dict(zip(texts, embeddings.encode(list(texts.values())), strict=True))
    for ids, known, query in zip(candidates, cosines, queries, strict=True):
        for pk in ids:
            if pk not in known and pk in vectors:
                known[pk] = float(vectors[pk] @ query)


# Each lexeme quoted as a tsquery operand ('' and \\ doubled, as tsquery's
# input syntax reads them), so that no lexeme is taken for an operator.
_OPERAND = r"'''' || replace(replace(l, '\', '\\'), '''', '''''') || ''''"
# Each text's lexemes, with what tells the search column's statistics apart
# (the table's rows as ANALYZE counted them, when it last ran, the number of
# lexemes it counted and the last shares), and the statistics themselves
# only where they differ from the ones this process holds (``%(stamp)s``):
# reading and unnesting them cost ~14 ms of a 41 ms search at 100,000
# claims (BENCHMARKS.md, Claim retrieval), now paid once per process and
# ANALYZE. ``pg_stats``: the statistics ANALYZE keeps of the column (its
# most common lexemes and their shares, migration 0013).
_LEXEMES = """
WITH st AS (
    SELECT greatest(c.reltuples, 1) AS claims, s.attname IS NOT NULL AS counted,
        s.most_common_elems, s.most_common_elem_freqs AS shares,
        concat_ws(' ', c.reltuples, pg_stat_get_last_analyze_time(c.oid),
            pg_stat_get_last_autoanalyze_time(c.oid),
            array_length(s.most_common_elem_freqs, 1),
            s.most_common_elem_freqs[array_length(s.most_common_elem_freqs, 1) - 2:]
        ) AS stamp
    FROM pg_class AS c LEFT JOIN pg_stats AS s ON s.schemaname = current_schema()
        AND s.tablename = 'claims_claim' AND s.attname = 'search'
    WHERE c.oid = 'claims_claim'::regclass
)
SELECT g.n, tsvector_to_array(to_tsvector('english'::regconfig, g.t)),
    st.stamp, st.stamp IS DISTINCT FROM %(stamp)s AS changed,
    CASE WHEN g.n = 1 AND st.stamp IS DISTINCT FROM %(stamp)s
        THEN st.most_common_elems::text::text[] END,
    CASE WHEN g.n = 1 AND st.stamp IS DISTINCT FROM %(stamp)s THEN st.shares END,
    st.claims, st.counted
FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS g (t, n) CROSS JOIN st
ORDER BY g.n
"""

# The claims holding each lexeme are estimated from its share in the
# statistics (``%(shares)s``, null for a lexeme they do not count); a lexeme
# not among them is rarer than all of them, counts half the rarest and is
# always kept (at 1,000,000 claims the budget would otherwise be spent on the
# first few of them, in alphabetical order, which may match nothing).
# Without statistics (a table never analysed) every lexeme counts 0, so
# every one is kept. The arithmetic is in ``real``, as the statistics hold
# it, so that the probes are those the statistics give.
_POSTGRESQL = f"""
WITH given AS (
    SELECT n, t FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS given (t, n)
),
lexemes AS (
    SELECT e.n, e.l, e.share, e.place FROM unnest(
        %(ns)s::bigint[], %(lexemes)s::text[], %(shares)s::real[]
    ) WITH ORDINALITY AS e (n, l, share, place)
),
floor AS (
    -- Half the least share counted; the budget grows with the claims
    -- counted (PROBE_SHARE).
    SELECT coalesce(%(least_share)s::real * %(claims)s::real / 2, 0) AS claims,
    greatest(
        %(budget)s, %(share)s * coalesce(%(counted)s::real, 0)
    ) AS budget
),
estimated AS (
    SELECT x.n, x.l, coalesce(x.share * %(claims)s::real, f.claims) AS claims
    FROM lexemes AS x CROSS JOIN floor AS f
),
rarest AS (
    SELECT n, l, claims,
        sum(claims) OVER (PARTITION BY n ORDER BY claims, l) AS running,
        row_number() OVER (PARTITION BY n ORDER BY claims, l) AS place
    FROM estimated
),
-- Every text's probe in one pass: a subquery a text read all the texts'
-- lexemes again for each, which grew with the square of a batch.
probes AS (
    SELECT r.n, string_agg({_OPERAND}, ' | ' ORDER BY r.place)::tsquery AS probe
    FROM rarest AS r CROSS JOIN floor AS f
    WHERE r.claims <= f.claims OR r.running <= f.budget OR r.place <= %(least)s
    GROUP BY r.n
),
queries AS (
    SELECT x.n, string_agg({_OPERAND}, ' | ' ORDER BY x.place)::tsquery AS query
    FROM lexemes AS x GROUP BY x.n
),
-- MATERIALIZED: each text's two tsqueries built once; inlined, the planner
-- built the whole text's one again for every shortlisted claim it ranked.
q AS MATERIALIZED (
    SELECT g.n, g.t, w.query, p.probe
    FROM given AS g LEFT JOIN queries AS w ON w.n = g.n
    LEFT JOIN probes AS p ON p.n = g.n
),
shortlist AS (
    SELECT q.n, c.id,
        ts_rank_cd(c.search, q.query) AS density,
        strict_word_similarity(c.text, q.t) AS trigrams
    FROM q CROSS JOIN LATERAL (
        SELECT id, text, search FROM claims_claim
        WHERE search @@ q.probe
        ORDER BY ts_rank(search, q.probe) DESC, id
        LIMIT %(depth)s
    ) AS c
),
ranked AS (
    SELECT n, id,
        row_number() OVER (PARTITION BY n ORDER BY density DESC, id) AS by_density,
        row_number() OVER (PARTITION BY n ORDER BY trigrams DESC, id) AS by_trigrams
    FROM shortlist
)
SELECT n, id, 1.0 / (%(k)s + by_density) + 1.0 / (%(k)s + by_trigrams) AS score
FROM ranked
ORDER BY n, score DESC, id
"""


@dataclass(frozen=True)
class _Statistics:
    """The search column's statistics as this process last read them."""

    stamp: str
    shares: dict[str, float]  # lexeme -> the share of claims holding it
    least_share: float | None  # the least of them
    claims: float  # the table's rows, as ANALYZE counted them (at least 1)
    counted: float | None  # the same, where there are statistics at all
    read_at: float  # time.monotonic()


# By database (alias and name): kept for STATISTICS_SECONDS at most, and read
# again at once when the stamp shows they have changed.
_statistics: dict[tuple[str, str], _Statistics] = {}
STATISTICS_SECONDS = 300


def _parameters(texts: Sequence[str], depth: int) -> dict:
    """The values of ``_POSTGRESQL``'s parameters: the texts' lexemes, read
    in one query (``_LEXEMES``), each with its share of the claims."""
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    known = _statistics.get(key)
    if known is not None and time.monotonic() - known.read_at > STATISTICS_SECONDS:
        known = None
    with connection.cursor() as cursor:
        cursor.execute(
            _LEXEMES, {"texts": list(texts), "stamp": known.stamp if known else None}
        )
        rows = cursor.fetchall()
    # The statistics come with the first text's row (texts are never none).
    stamp, changed, common, shares, claims, counted = rows[0][2:]
    if changed or known is None:
        common = common or []
        known = _statistics[key] = _Statistics(
            stamp=stamp,
            shares=dict(zip(common, shares or (), strict=False)),
            least_share=shares[len(common)] if common else None,
            claims=claims,
            counted=claims if counted else None,
            read_at=time.monotonic(),
        )
    numbers, lexemes, found = [], [], []
    for number, words, *_ in rows:
        for word in words:
            numbers.append(number)
            lexemes.append(word)
            found.append(known.shares.get(word))
    return {"texts": list(texts), "ns": numbers, "lexemes": lexemes,
            "shares": found, "claims": known.claims,
            "least_share": known.least_share, "counted": known.counted,
            "depth": depth, "k": RRF_K, "budget": PROBE_BUDGET,
            "share": PROBE_SHARE, "least": PROBE_LEAST}  # fmt: skip


def _postgresql(texts: Sequence[str], depth: int) -> list[list[tuple]]:
    ranked: list[list[tuple]] = [[] for _ in texts]
    if not texts:
        return ranked
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRESQL, _parameters(texts, depth))
        for n, pk, score in cursor.fetchall():
            ranked[n - 1].append((pk, float(score)))
    return ranked


def _sqlite(texts: Sequence[str], depth: int) -> list[list[tuple]]:
    ranked: list[list[tuple]] = [[] for _ in texts]
    queries = [(n, lexical.fts5_query(t)) for n, t in enumerate(texts)]
    queries = [(n, q) for n, q in queries if q]
    # bm25() is lower for a better match; one SELECT a text, joined in one query.
    one = (
        "SELECT * FROM (SELECT %s AS n, rowid, -bm25(claims_claim_fts) AS score "
        "FROM claims_claim_fts WHERE claims_claim_fts MATCH %s "
        "ORDER BY bm25(claims_claim_fts), rowid LIMIT %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(queries), _SQLITE_BATCH):
            batch = queries[start : start + _SQLITE_BATCH]
            cursor.execute(
                " UNION ALL ".join([one] * len(batch)),
                [value for n, q in batch for value in (n, q, depth)],
            )
            for n, pk, score in cursor.fetchall():
                ranked[n].append((pk, score))
    for rows in ranked:
        rows.sort(key=lambda row: (-row[1], row[0]))
    return ranked


def _claims_with_verdicts(ids: set[int], viewer: Any = None) -> dict[int, Claim]:
    """The claims by id (those ``viewer`` may see), each with ``verdict``:
    its latest published review."""
    published = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED).order_by(
        "-published_at", "-id"
    )
    claims = selectors.claims_visible_to(
        Claim.objects.filter(pk__in=ids), viewer
    ).prefetch_related(
        Prefetch("reviews", queryset=published, to_attr="published_reviews")
    )
    found: dict[int, Claim] = {}
    for claim in claims:
        reviews = claim.published_reviews
        claim.verdict = reviews[0] if reviews else None  # type: ignore[attr-defined]
        found[claim.pk] = claim
    return found
