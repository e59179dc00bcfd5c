"""Provenance suggestions: quotes, reporting cues, sources and claims in text.

Plain Python over ``str`` and code point offsets; no Django here (the
services in ``claims.services.suggestions`` store what this proposes).

- ``suggest(text, spans)``: one ``Suggestion`` a statement, with any further
  attributions of it in ``others`` (``engine``, which reads each statement's
  cue, source and content with ``frames`` and resolves the sources across the
  document with ``entities``);
- ``canonical_name``, ``name_similarity``: source names (``source_names``);
- ``check_worthy``, ``claim_similarity``: claims (``claimtext``);
- ``claim_wording``: a proposed claim's words (``wording``).
"""

from claims.provenance.claimtext import (
    CLAIM_MATCH,
    check_worthy,
    claim_similarity,
    claim_text,
    numbers_agree,
    trigram_words,
    trigrams,
)
from claims.provenance.engine import Suggestion, suggest
from claims.provenance.quotes import Quote, quotations
from claims.provenance.source_names import canonical_name, name_similarity, skeleton
from claims.provenance.wording import claim_wording, simple_past

# Source resolution (evidence in BENCHMARKS.md, "Provenance suggestions"):
# a phrase whose canonical name scores at least this with a known source's
# name or alias is that source; below it, a proposed source is created.
SOURCE_MATCH = 0.9

__all__ = [
    "CLAIM_MATCH",
    "SOURCE_MATCH",
    "Quote",
    "Suggestion",
    "canonical_name",
    "check_worthy",
    "claim_similarity",
    "claim_text",
    "claim_wording",
    "name_similarity",
    "numbers_agree",
    "quotations",
    "simple_past",
    "skeleton",
    "suggest",
    "trigram_words",
    "trigrams",
]
