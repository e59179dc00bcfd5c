"""Attribution suggestions for the statements of one document (rules, no model).

``suggest(text, spans)`` takes a document's text and its statements' spans and
returns one ``Suggestion`` a statement, in order. Every offset is a code point
index into ``text`` (0-based, end-exclusive), counted from the start of the
document, as everywhere in the project.

How a statement is read:

1. Its reporting cue: the first cue outside quotation marks that has a source
   — "according to X", "X quoted Y as saying", or a verb of the lexicon
   (``lexicon.CUE_VERBS``) with its source before it ("the bank said", "Maj.
   Lena Brandt, a spokeswoman, said", "Iraqi resistance groups have issued a
   statement announcing") or after it ("…,” said Tomasz Wójcik, a bus driver").
   Beliefs, findings and feelings are attributions too, as in PARC ("a poll
   found that …", "critics fear the cuts will …", "economists expect the bank
   to …"): suggested as ``indirect``, and only where a clause follows (not
   "residents feared the worst", nor "…, as economists had expected"). A
   publication's own notes (bylines, corrections) are the author's.
2. The content: the side of the statement away from the source and cue, less
   "that", punctuation and quotation marks. The kind follows from it: all in
   quotation marks is ``direct``, partly ``mixed``, not at all ``indirect``.
3. The source: a new name, or a reference back ("she", "it", "the bank", "the
   statement", "the groups", a surname alone) resolved to the latest fitting
   source named earlier in the document; the phrase stays the source span.
4. Statements with no cue: a quotation that goes on into a statement with a
   cue takes that statement's source; a bare quotation after an attributed
   statement continues its speaker; anything else is the document's own
   (``author``).
5. A second cue with its own source later in the statement ("…, but witnesses
   told reporters …") is a further attribution, in ``Suggestion.others``.
6. The conduit: "told public radio", "in an interview with X", "X quoted Y
   as saying", "on state television" give ``via``; "told reporters" does not.
"""

from dataclasses import replace

from claims.provenance.entities import (
    Entity,
    remember_opening_person,
    resolved_suggestion,
)
from claims.provenance.frames import (
    content_before,
    second_frame,
    statement_body,
    statement_frame,
    trim_span,
)
from claims.provenance.quotes import Quote, quotations, quote_at, quoted_length
from claims.provenance.suggestion import Suggestion
from claims.segmentation import Offsets

__all__ = ["Suggestion", "suggest"]


def suggest(text: str, spans: list[Offsets]) -> list[Suggestion]:
    """Suggest the provenance of each statement ``text[start:end]``."""
    quotes = quotations(text)
    bodies = [statement_body(text, span) for span in spans]
    frames = [statement_frame(text, body, quotes) for body in bodies]
    entities: list[Entity] = []
    results: list[Suggestion | None] = []
    labelled: tuple[int, Suggestion] | None = None  # a transcript's speaker
    for span, body, frame in zip(spans, bodies, frames, strict=True):
        suggestion = None
        if frame is not None:
            second = second_frame(text, body, quotes, frame)
            if second is not None:
                frame = replace(frame, content=content_before(text, frame, second))
            suggestion = resolved_suggestion(text, body, frame, entities)
            other = second and resolved_suggestion(text, body, second[1], entities)
            if suggestion is not None:
                others = (replace(other, statement=span),) if other else ()
                suggestion = replace(suggestion, statement=span, others=others)
        elif labelled is not None and span[0] < labelled[0]:
            # The rest of a speaker's paragraph in a transcript is theirs too.
            suggestion = replace(
                labelled[1], statement=span, content=trim_span(text, *span)
            )
        else:
            remember_opening_person(text, body, entities)
        if suggestion is not None and frame is not None and frame.pattern == "label":
            paragraph_end = text.find("\n\n", span[1])
            labelled = (len(text) if paragraph_end < 0 else paragraph_end, suggestion)
        elif frame is not None:
            labelled = None
        results.append(suggestion)
    return _fill_in(text, spans, quotes, results)


# Statements without a cue of their own --------------------------------------


def _fill_in(
    text: str,
    spans: list[Offsets],
    quotes: list[Quote],
    results: list[Suggestion | None],
) -> list[Suggestion]:
    """Quotations without a cue take their speaker; the rest is the author's."""
    filled = list(results)
    for i, span in enumerate(spans):
        if filled[i] is not None:
            continue
        letters = sum(ch.isalnum() for ch in text[span[0] : span[1]])
        quoted = quoted_length(quotes, span[0], span[1], text)
        if letters and quoted >= 0.6 * letters:
            kind = "direct" if quoted >= 0.95 * letters else "mixed"
            speaker = _quote_goes_on(spans, quotes, filled, i) or _previous(filled, i)
            if speaker is not None:
                filled[i] = replace(
                    speaker,
                    statement=span,
                    kind=kind,
                    content=trim_span(text, *span),
                    confidence=0.7,
                )
                continue
        filled[i] = Suggestion(
            statement=span, kind="author", confidence=0.4 if quoted else 0.8
        )
    # Every slot is filled by now; the filter only tells the type so.
    return [suggestion for suggestion in filled if suggestion is not None]


def _quote_goes_on(
    spans: list[Offsets],
    quotes: list[Quote],
    filled: list[Suggestion | None],
    i: int,
) -> Suggestion | None:
    """The attributed statement that a quotation open here runs into."""
    quote = quote_at(quotes, spans[i][1] - 1)
    j = i + 1
    while quote is not None and j < len(spans) and spans[j][0] < quote.end:
        following = filled[j]
        if following is not None and following.kind != "author":
            return following
        j += 1
    return None


def _previous(filled: list[Suggestion | None], i: int) -> Suggestion | None:
    if i == 0:
        return None
    previous = filled[i - 1]
    if previous is None or previous.kind == "author":
        return None
    return previous
