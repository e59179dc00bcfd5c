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

In batches: ``documents_suggest`` does all this for many documents at once (a
job's chunk, a batch of ``import_documents --suggest``), in queries that do
not grow with the documents or their statements: the documents locked in one
query, their statements, attributions and mentions read in one each, the
sources they name looked up together, every check-worthy statement matched
in one search, and what is new (proposed sources and claims, attributions,
mentions) written in bulk, each with its history. A statement is matched
against the claims stored before the batch and, as if they had been, the
claims proposed for the batch's statements before it (by coverage, numbers
agreeing). ``document_suggest`` is the batch of one.

``documents_suggest_each`` is how a command's batch or a job's chunk calls
it: the batch together, and where that is refused, one document at a time,
so that only the documents refused fail.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    transaction,
)
from django.db.models import Count

from claims import provenance
from claims.database_refusals import database_refusal
from claims.interchange import describe_error
from claims.lexical import CoverageIndex
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
from claims.selectors import (
    claim_by_text,
    claims_by_text,
    source_by_name,
    sources_by_names,
)
from claims.services.attributions import (
    attribution_draft,
    attributions_store,
    initial_status,
)
from claims.services.claims import proposed_claims_store
from claims.services.common import Stored, created_or_found
from claims.services.mentions import claim_mentions_store, proposed_claims_drop_unused
from claims.services.sources import proposed_sources_store

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
    return documents_suggest(documents=[document], created_by=created_by)[0]


@dataclass
class _Work:
    """One document of a batch: its statements, what the rules suggest for
    them, and what the run did."""

    document: Document
    report: SuggestionReport
    statements: list[Statement] = field(default_factory=list)
    suggestions: list[provenance.Suggestion] = field(default_factory=list)
    wordings: list[str] = field(default_factory=list)


@transaction.atomic
def documents_suggest(
    *, documents: Sequence[Document], created_by: User | None = None
) -> list[SuggestionReport]:
    """``document_suggest`` for a batch of documents (a job's chunk, an
    import's batch), all or nothing, in queries that do not grow with the
    documents or their statements; a report a document, in the order given.

    Every check-worthy statement of the batch is matched in one ranking, and
    against the claims proposed for the batch's statements before it.
    """
    ids = list(dict.fromkeys(document.pk for document in documents))
    # One run a document at a time: the second waits for the first's commit.
    # Locked in id order, so that two batches sharing documents take turns
    # rather than deadlock.
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("publisher")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    batch = {
        document.pk: _Work(document, SuggestionReport(document.pk))
        for document in locked
    }
    if missing := [pk for pk in ids if pk not in batch]:
        raise Document.DoesNotExist(f"Document {missing[0]} does not exist.")
    statements = Statement.objects.filter(document_id__in=ids).order_by(
        "document_id", "index"
    )
    for statement in statements:
        work = batch[statement.document_id]
        statement.document = work.document  # spans are checked against its text
        work.statements.append(statement)
    segmented = [work for work in batch.values() if work.statements]
    if segmented:
        reviewed, existing = _earlier_suggestions(segmented)
        for work in segmented:
            text = work.document.text
            work.suggestions = provenance.suggest(
                text, [(s.start, s.end) for s in work.statements]
            )
            work.wordings = [
                provenance.claim_wording(text, s) for s in work.suggestions
            ]
        _suggest_attributions(segmented, reviewed)
        _suggest_claims(segmented, existing)
    # One report a document given (a document given twice, the same one).
    return [batch[document.pk].report for document in documents]


def documents_suggest_each(
    *, documents: Sequence[Document], created_by: User | None = None
) -> dict[int, str]:
    """``documents_suggest`` on the batch, in a savepoint; if the batch is
    refused, each document in a savepoint of its own, so that one refused
    document costs only its own suggestions. Why each refused one was, by its
    id; empty when all were suggested for.

    A database that cannot do the work now (the connection lost, a lock or a
    deadlock: ``OperationalError``, ``InterfaceError``) refused no document:
    that passes through, for the caller to stop or to take the batch again.
    """
    try:
        with transaction.atomic():
            documents_suggest(documents=documents, created_by=created_by)
        return {}
    except (OperationalError, InterfaceError):
        raise
    except (ValidationError, DatabaseError):
        pass
    refused = {}
    for document in documents:
        try:
            with transaction.atomic():
                documents_suggest(documents=[document], created_by=created_by)
        except ValidationError as error:
            refused[document.pk] = describe_error(error)
        except (OperationalError, InterfaceError):
            raise
        except DatabaseError as error:
            refused[document.pk] = (
                f"the database refused a value: {database_refusal(error)}"
            )
    return refused


def _earlier_suggestions(
    batch: Sequence[_Work],
) -> tuple[dict[int, set[tuple[str, int | None]]], set[tuple[int, int]]]:
    """Delete the suggestions nobody has reviewed, and what only they held;
    answer what stays: the (kind, source id) of each statement's attributions,
    and the (statement id, claim id) of the mentions."""
    ids = [work.document.pk for work in batch]
    report_of = {s.pk: work.report for work in batch for s in work.statements}
    attributions = Attribution.objects.filter(statement__document_id__in=ids)
    mentions = ClaimMention.objects.filter(statement__document_id__in=ids)
    reviewed: dict[int, set[tuple[str, int | None]]] = {}
    untouched: list[int] = []
    named: set[int] = set()
    for (
        pk,
        statement_id,
        kind,
        source_id,
        via_id,
        origin,
        status,
    ) in attributions.values_list(
        "pk", "statement_id", "kind", "source_id", "via_id", "origin", "status"
    ):
        if (origin, status) == (Origin.SUGGESTED, ReviewStatus.SUGGESTED):
            untouched.append(pk)
            named |= {pk for pk in (source_id, via_id) if pk is not None}
            report_of[statement_id].attributions_removed += 1
        else:
            reviewed.setdefault(statement_id, set()).add((kind, source_id))
    existing: set[tuple[int, int]] = set()
    dropped: list[int] = []
    claim_ids: set[int] = set()
    for pk, statement_id, claim_id, origin, status in mentions.values_list(
        "pk", "statement_id", "claim_id", "origin", "status"
    ):
        if (origin, status) == (Origin.SUGGESTED, ReviewStatus.SUGGESTED):
            dropped.append(pk)
            claim_ids.add(claim_id)
            report_of[statement_id].mentions_removed += 1
        else:
            # Rejected mentions count: a claim turned down here is not
            # proposed again.
            existing.add((statement_id, claim_id))
    if untouched:
        Attribution.objects.filter(pk__in=untouched).delete()
    if dropped:
        ClaimMention.objects.filter(pk__in=dropped).delete()
        # A claim only suggestions proposed goes with its last mention; one a
        # reviewer has confirmed, reviewed or noted stays.
        proposed_claims_drop_unused(claim_ids)
    if named:
        # Proposed sources that only these suggestions named.
        Source.objects.filter(pk__in=named, proposed=True).annotate(
            n=Count("attributions", distinct=True)
            + Count("conveyed_attributions", distinct=True)
            + Count("published_documents", distinct=True)
            + Count("authored_documents", distinct=True)
        ).filter(n=0).delete()
    return reviewed, existing


def _suggest_attributions(
    batch: Sequence[_Work], reviewed: dict[int, set[tuple[str, int | None]]]
) -> None:
    pairs = [
        (work, statement, attribution)
        for work in batch
        for statement, suggestion in zip(work.statements, work.suggestions, strict=True)
        # A statement with two sources ("…, but witnesses told reporters …")
        # gets one suggested attribution for each.
        for attribution in (suggestion, *suggestion.others)
    ]
    named = []
    for work, _, suggestion in pairs:
        if suggestion.kind != "author":
            named.append((work.report, suggestion.source_name, suggestion.source_kind))
            if suggestion.via_name:
                named.append((work.report, suggestion.via_name, SourceKind.PUBLICATION))
    sources = _resolve_sources(named)
    drafts = []
    for work, statement, suggestion in pairs:
        if suggestion.kind == "author":
            source, via = work.document.publisher, None
        else:
            source = sources.get(normalize_name(suggestion.source_name or ""))
            via = sources.get(normalize_name(suggestion.via_name or ""))
            if source is None:
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
        work.report.attributions_created += 1
    attributions_store(drafts)


def _resolve_sources(
    named: Sequence[tuple[SuggestionReport, str | None, str | None]],
) -> dict[str, Source]:
    """The sources that phrases name, by normalised name: a known one by name
    or alias, else by likeness (``name_similarity`` ≥ ``SOURCE_MATCH``, over
    the known names and those proposed before it), else a proposed source,
    credited to the report of the document that named it first. Looked up
    together, and the proposed ones created together."""
    keys = {key for _, name, _ in named if (key := normalize_name(name or ""))}
    found = sources_by_names(keys)
    alike: dict[str, int] = {}  # key -> a known source's pk
    proposed: dict[str, int] = {}  # key -> its place among the proposals
    proposals: list[tuple[str, str]] = []  # (name, kind)
    proposers: list[SuggestionReport] = []
    names: list[tuple[str, tuple[bool, int]]] | None = None  # (name, (new?, id))
    for report, name, kind in named:
        key = normalize_name(name or "")
        if not key or key in found or key in alike or key in proposed:
            continue
        assert name is not None
        if names is None:
            names = [
                (other, (False, pk))
                for other, pk in [
                    *Source.objects.order_by().values_list("name", "pk"),
                    *SourceAlias.objects.order_by().values_list("name", "source_id"),
                ]
            ]
        best, best_score = None, provenance.SOURCE_MATCH
        for other, target in names:
            score = provenance.name_similarity(name, other)
            if score >= best_score:
                best, best_score = target, score
        if best is None:
            proposed[key] = len(proposals)
            kind = kind if kind in SourceKind.values else SourceKind.OTHER
            proposals.append((name, kind))
            proposers.append(report)
            names.append((name.strip(), (True, proposed[key])))
        elif best[0]:
            proposed[key] = best[1]
        else:
            alike[key] = best[1]
    liked = Source.objects.in_bulk(set(alike.values())) if alike else {}
    stored = _stored_or_found(
        proposals,
        lambda names: proposed_sources_store(names=names),
        lambda name_kind: source_by_name(name_kind[0]),
    )
    created = [source for source, _ in stored]
    for report, (source, new) in zip(proposers, stored, strict=True):
        if new:
            report.sources_proposed.append(source.name)
    return (
        found
        | {key: liked[pk] for key, pk in alike.items()}
        | {key: created[place] for key, place in proposed.items()}
    )


Item = TypeVar("Item")


def _stored_or_found(
    items: Sequence[Item],
    store: Callable[[Sequence[Item]], list[Stored]],
    find: Callable[[Item], Stored | None],
) -> list[tuple[Stored, bool]]:
    """Each item's new row and True, stored together; or, where a concurrent
    run stored the same name or wording first (the bulk insert then fails on
    the unique index, and its savepoint is undone), one at a time: the new row
    and True, or the other writer's row and False."""
    if not items:
        return []
    try:
        with transaction.atomic():
            return [(row, True) for row in store(items)]
    except IntegrityError:
        pass
    return [
        created_or_found(partial(_first_stored, store, item), partial(find, item))
        for item in items
    ]


def _first_stored(
    store: Callable[[Sequence[Item]], list[Stored]], item: Item
) -> Stored:
    return store([item])[0]


def _suggest_claims(batch: Sequence[_Work], existing: set[tuple[int, int]]) -> None:
    worthy = [
        (work, statement, " ".join(wording.split()))
        for work in batch
        for statement, wording in zip(work.statements, work.wordings, strict=True)
        if provenance.check_worthy(statement.text)
    ]
    # The batch's check-worthy statements looked up together: one search.
    matches = claims_match([statement.text for _, statement, _ in worthy])
    unmatched = [
        w for (_, _, w), claim in zip(worthy, matches, strict=True) if not claim
    ]
    stored = claims_by_text(unmatched) if unmatched else {}
    # Claims proposed for the batch, by their place: a later statement that
    # repeats one is linked to it, as it would be had the one been stored
    # before the search.
    proposals: list[str] = []
    proposers: list[SuggestionReport] = []
    index = CoverageIndex()
    by_wording: dict[str, int] = {}
    chosen: list[Claim | int] = []
    for (work, statement, wording), claim in zip(worthy, matches, strict=True):
        if claim is not None:
            chosen.append(claim)
            continue
        place = _best_proposal(statement.text, index, proposals)
        if place is None:
            claim = stored.get(wording.lower())
            if claim is not None:
                chosen.append(claim)
                continue
            place = by_wording.get(wording.lower())
        if place is None:
            place = by_wording[wording.lower()] = index.add(wording)
            proposals.append(wording)
            proposers.append(work.report)
        chosen.append(place)
    stored_claims = _stored_or_found(
        proposals, lambda texts: proposed_claims_store(texts=texts), claim_by_text
    )
    created = [claim for claim, _ in stored_claims]
    for report, (_, new) in zip(proposers, stored_claims, strict=True):
        report.claims_proposed += new
    mentions = []
    for (work, statement, _), choice in zip(worthy, chosen, strict=True):
        claim = created[choice] if isinstance(choice, int) else choice
        # A known claim is never changed, only given a suggested mention,
        # which waits for a reviewer.
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
        work.report.mentions_created += 1
    claim_mentions_store(mentions)


def _best_proposal(
    text: str, index: CoverageIndex, proposals: Sequence[str]
) -> int | None:
    # The proposal the statement holds most of, numbers agreeing, as a
    # stored claim is matched (``_best_match``).
    for place in index.covered(text, CLAIM_COVERAGE):
        if provenance.numbers_agree(text, proposals[place]):
            return place
    return None


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
