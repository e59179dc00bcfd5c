"""Run one tree's provenance rules over labelled texts; print what they suggest.

    python bench/provenance_run.py ROOT RUNS < texts.json > suggestions.json

Run as a script, not as a module, so that ``claims`` is imported from
``ROOT``: ``bench.provenance_eval --against REF`` runs it once for this tree
and once for an older commit's tree, and scores both with the same code.
Reads ``{"texts": [...], "spans": [[[start, end], ...] or null, ...]}`` (null:
segment the text first) and writes each text's suggestions and the seconds
each of ``RUNS`` passes over all texts took (segmentation and suggestions:
the rules alone, no database).
"""

import json
import sys
import time

FIELDS = (
    "statement",
    "kind",
    "confidence",
    "source_name",
    "source_span",
    "source_kind",
    "reference",
    "cue",
    "content",
    "via_name",
)


def main() -> None:
    root, runs = sys.argv[1], int(sys.argv[2])
    sys.path.insert(0, root)
    from claims.provenance import suggest
    from claims.segmentation import segment

    job = json.load(sys.stdin)
    texts, given = job["texts"], job["spans"]

    def one_pass():
        return [
            suggest(text, [tuple(s) for s in spans] if spans else segment(text))
            for text, spans in zip(texts, given, strict=True)
        ]

    results = one_pass()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        one_pass()
        seconds.append(time.perf_counter() - started)

    def fields(suggestion) -> dict:
        found = {f: getattr(suggestion, f) for f in FIELDS}
        # Older trees suggest one attribution a statement.
        found["others"] = [fields(o) for o in getattr(suggestion, "others", ())]
        return found

    json.dump(
        {
            "suggestions": [[fields(s) for s in found] for found in results],
            "seconds": seconds,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
