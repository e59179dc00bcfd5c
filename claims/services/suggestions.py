"""Provenance suggestions stored for reviewers: attributions, sources, claims.

``document_suggest`` runs ``claims.provenance`` over a document and stores what
it proposes with origin ``suggested`` and status ``suggested``; reviewers then
accept, correct or reject it. A re-run replaces only the suggestions nobody
has accepted or rejected, and does not propose again what a reviewer has
already accepted or rejected on the same statement.

Sources: a phrase is matched to a known source by normalised name or alias,
then by ``name_similarity`` ≥ ``SOURCE_MATCH`` over the names and aliases of
sources of the same first letter's skeleton; otherwise a *proposed* source is
created (``Source.proposed``), which later runs find again by name.

Claims: a document's check-worthy statements are looked up together in the
known claims (``claims.search.similar_claims_batch``, the ranking the API
answers with); among each one's best ``CANDIDATES``, the first that the
statement holds ``CLAIM_COVERAGE`` of (``claims.lexical.coverage``: a share of
the claim's words, comparable across statements where ranks are not) and
whose numbers agree becomes a suggested mention; a check-worthy statement
that matches none proposes a new claim (``Claim.proposed``, out of the lists
until a reviewer accepts a mention), worded by ``provenance.claim_wording``:
the proposition without source and cue where the content is a full clause,
else the source and its cue verb.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count

from claims import provenance
from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
    Document,
    Origin,
    ReviewStatus,
    Source,
    SourceAlias,
    SourceKind,
    Statement,
)
from claims.name_normalization import normalize_name
from claims.search import ScoredClaim, similar_claims_batch
from claims.selectors import claim_by_text, source_by_name
from claims.services.attributions import (
    attribution_draft,
    attributions_store,
    initial_status,
)
from claims.services.claims import claim_create
from claims.services.common import created_or_found
from claims.services.mentions import claim_mentions_store, proposed_claims_drop_unused
from claims.services.sources import source_create

CANDIDATES = 5  # claims looked at a statement
# The share of a claim's words a statement must hold to make it: chosen for
# precision on CLEF 2020 Task 2 train/dev (BENCHMARKS.md, Claim retrieval).
CLAIM_COVERAGE = 0.6


@dataclass
class SuggestionReport:
    """What one run did to a document."""

    document: int
    attributions_created: int = 0
    attributions_removed: int = 0
    mentions_created: int = 0
    mentions_removed: int = 0
    claims_proposed: int = 0
    sources_proposed: list[str] = field(default_factory=list)


_UNTOUCHED = {"origin": Origin.SUGGESTED, "status": ReviewStatus.SUGGESTED}


@transaction.atomic
def document_suggest(
    *, document: Document, created_by: User | None = None
) -> SuggestionReport:
    """Suggest the provenance and claims of every statement of a document.

    Earlier suggestions that nobody accepted or rejected are replaced; those a
    reviewer took or turned down stay, and are not proposed again.
    """
    # One run a document at a time: the second waits for the first's commit.
    document = Document.objects.select_for_update().get(pk=document.pk)
    report = SuggestionReport(document=document.pk)
    statements = list(document.statements.order_by("index"))
    spans = [(s.start, s.end) for s in statements]
    suggestions = provenance.suggest(document.text, spans)
    wordings = [provenance.claim_wording(document.text, s) for s in suggestions]
    _remove_untouched(statements, report)
    if not statements:
        return report
    reviewed = _reviewed_attributions(statements)
    sources = _SourceResolver(report)
    drafts = []
    pairs = [
        (statement, attribution)
        for statement, suggestion in zip(statements, suggestions, strict=True)
        # A statement with two sources ("…, but witnesses told reporters …")
        # gets one suggested attribution for each.
        for attribution in (suggestion, *suggestion.others)
    ]
    for statement, suggestion in pairs:
        if suggestion.kind == "author":
            source, via = document.publisher, None
        else:
            source = sources.resolve(suggestion.source_name, suggestion.source_kind)
            via = (
                sources.resolve(suggestion.via_name, SourceKind.PUBLICATION)
                if suggestion.via_name
                else None
            )
        if source is None and suggestion.kind != "author":
            continue
        if (suggestion.kind, source.pk if source else None) in reviewed.get(
            statement.pk, set()
        ):
            continue
        drafts.append(
            attribution_draft(
                statement=statement,
                kind=suggestion.kind,
                source=source,
                source_span=suggestion.source_span,
                cue=suggestion.cue,
                content=suggestion.content,
                via=via,
                origin=Origin.SUGGESTED,
                confidence=suggestion.confidence,
            )
        )
    report.attributions_created = len(attributions_store(drafts))
    _suggest_claims(statements, wordings, report, created_by)
    return report


def _remove_untouched(
    statements: Sequence[Statement], report: SuggestionReport
) -> None:
    """Delete the suggestions nobody has reviewed, and what only they held."""
    ids = [s.pk for s in statements]
    attributions = Attribution.objects.filter(statement_id__in=ids, **_UNTOUCHED)
    mentions = ClaimMention.objects.filter(statement_id__in=ids, **_UNTOUCHED)
    if not attributions.exists() and not mentions.exists():
        return  # a first run, as on import: the queries below would find nothing
    named = set(attributions.values_list("source_id", flat=True)) | set(
        attributions.values_list("via_id", flat=True)
    )
    report.attributions_removed = attributions.delete()[1].get(
        Attribution._meta.label, 0
    )
    claim_ids = set(mentions.values_list("claim_id", flat=True))
    report.mentions_removed = mentions.delete()[0]
    # A claim only suggestions proposed goes with its last mention; one a
    # reviewer has confirmed, reviewed or noted stays.
    proposed_claims_drop_unused(claim_ids)
    # Proposed sources that only these suggestions named.
    Source.objects.filter(pk__in=named - {None}, proposed=True).annotate(
        n=Count("attributions", distinct=True)
        + Count("conveyed_attributions", distinct=True)
        + Count("published_documents", distinct=True)
        + Count("authored_documents", distinct=True)
    ).filter(n=0).delete()


def _reviewed_attributions(
    statements: Sequence[Statement],
) -> dict[int, set[tuple[str, int | None]]]:
    """(kind, source id) of attributions reviewers have accepted or rejected."""
    reviewed: dict[int, set[tuple[str, int | None]]] = {}
    rows = Attribution.objects.filter(
        statement_id__in=[s.pk for s in statements]
    ).values_list("statement_id", "kind", "source_id")
    for statement_id, kind, source_id in rows:
        reviewed.setdefault(statement_id, set()).add((kind, source_id))
    return reviewed


class _SourceResolver:
    """Phrases to sources: known ones by name, alias or likeness, else proposed."""

    def __init__(self, report: SuggestionReport):
        self.report = report
        self.cache: dict[str, Source] = {}
        self._names: list[tuple[str, int]] | None = None

    def resolve(self, name: str | None, kind: str | None) -> Source | None:
        if not name:
            return None
        key = normalize_name(name)
        if not key:
            return None
        if key not in self.cache:
            self.cache[key] = (
                source_by_name(key, normalized=True)
                or self._similar(name)
                or self._propose(name, kind)
            )
        return self.cache[key]

    def _similar(self, name: str) -> Source | None:
        if self._names is None:
            self._names = [
                *Source.objects.order_by().values_list("name", "pk"),
                *SourceAlias.objects.order_by().values_list("name", "source_id"),
            ]
        best, best_score = None, provenance.SOURCE_MATCH
        for known, pk in self._names:
            score = provenance.name_similarity(name, known)
            if score >= best_score:
                best, best_score = pk, score
        return Source.objects.get(pk=best) if best is not None else None

    def _propose(self, name: str, kind: str | None) -> Source:
        source, created = created_or_found(
            lambda: source_create(
                name=name,
                kind=kind if kind in SourceKind.values else SourceKind.OTHER,
                proposed=True,
            ),
            # Proposed meanwhile by a run on another document.
            lambda: source_by_name(name),
        )
        if not created:
            return source
        self.report.sources_proposed.append(source.name)
        if self._names is not None:
            self._names.append((source.name, source.pk))
        return source


def _suggest_claims(
    statements: Sequence[Statement],
    wordings: Sequence[str],
    report: SuggestionReport,
    created_by: User | None,
) -> None:
    existing = set(
        ClaimMention.objects.filter(
            statement_id__in=[s.pk for s in statements]
        ).values_list("statement_id", "claim_id")
    )
    worthy = [
        (statement, wording)
        for statement, wording in zip(statements, wordings, strict=True)
        if provenance.check_worthy(statement.text)
    ]
    # The document's check-worthy statements looked up together: one search.
    matches = claims_match([statement.text for statement, _ in worthy])
    mentions = []
    for (statement, wording), claim in zip(worthy, matches, strict=True):
        if claim is None:
            claim = claim_by_text(wording)
            if claim is None:
                claim, created = created_or_found(
                    partial(claim_create, text=wording, proposed=True),
                    partial(claim_by_text, wording),
                )
                report.claims_proposed += created
        # Rejected mentions count: a claim turned down here is not proposed
        # again. A known claim is never changed, only given a suggested
        # mention, which waits for a reviewer.
        if (statement.pk, claim.pk) in existing:
            continue
        mentions.append(
            ClaimMention(
                claim=claim,
                statement=statement,
                origin=Origin.SUGGESTED,
                status=initial_status(Origin.SUGGESTED),
            )
        )
        existing.add((statement.pk, claim.pk))
    report.mentions_created = len(claim_mentions_store(mentions))


def claim_match(text: str) -> Claim | None:
    """The known claim a statement makes, or None (see the module docstring)."""
    return claims_match([text])[0]


def claims_match(texts: list[str]) -> list[Claim | None]:
    """``claim_match`` for many statements, in one search."""
    if not texts:
        return []
    return [
        _best_match(text, found.results)
        for text, found in zip(
            texts, similar_claims_batch(texts, limit=CANDIDATES), strict=True
        )
    ]


def _best_match(text: str, results: Sequence[ScoredClaim]) -> Claim | None:
    # The best-ranked claim the statement holds enough of, numbers agreeing.
    for scored in results:
        if scored.coverage >= CLAIM_COVERAGE and provenance.numbers_agree(
            text, scored.claim.text
        ):
            return scored.claim
    return None
