"""``import_documents --suggest`` on PostgreSQL with many claims stored.

    python -m bench.suggest_import [--claims 100000] [--documents 300]
                                   [--methods lexical,semantic]
                                   [--database claims_bench_suggest_import]

A fresh, migrated database (dropped and made anew) is given ``--claims``
distinct claims by the bulk path (``bench.similar_latency.load``: COPY, then
VACUUM ANALYZE, as after a real archive import), then ``import_documents
--suggest`` reads ``--documents`` generated news documents
(``bench/corpus.py``) under production settings, in a child process that
times its stages by wrapping the functions that do them:

- segmentation: ``claims.segmentation.segment``;
- rules: ``claims.provenance.suggest`` and ``claim_wording``;
- claim matching: ``claims.search.similar_claims_batch`` as the suggestions
  call it (one batched search a document);
- writes and the rest: what remains of the command's time (documents,
  statements, sources, attributions, proposed claims and mentions, parsing).

Each of ``--methods`` in its own fresh database: ``lexical`` with
``CLAIM_EMBEDDING_MODEL`` empty, ``semantic`` with the default model (where
the optional packages are installed; it also embeds every claim it proposes).
Beside them, in the same run: the rules alone over the same documents,
segmented beforehand, with no database (``bench.suggest.rules_speed``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.databases import ROOT, migrated_postgres_database
from bench.load import production_environment
from bench.similar_latency import load
from bench.suggest import claim_texts, rules_speed

DATABASE = "claims_bench_suggest_import"


class _Stopwatch:
    """Seconds spent in wrapped functions, by stage (outermost call only)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._inside = False

    def wrap(self, module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            if self._inside:
                return original(*args, **kwargs)
            self._inside = True
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                self.seconds[stage] = self.seconds.get(stage, 0.0) + spent
                self._inside = False

        setattr(module, name, timed)


def run_child(corpus: str) -> dict:
    """Inside a configured Django: the command, timed by stage."""
    import django

    django.setup()
    from django.core.management import call_command

    from claims import embeddings, provenance, segmentation
    from claims.models import Claim, ClaimMention, Document
    from claims.services import suggestions

    watch = _Stopwatch()
    watch.wrap(segmentation, "segment", "segmentation")
    watch.wrap(provenance, "suggest", "rules")
    watch.wrap(provenance, "claim_wording", "rules")
    watch.wrap(suggestions, "similar_claims_batch", "matching")
    claims_before = Claim.objects.count()
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "import_documents", "--suggest", corpus, stdout=quiet, stderr=quiet
        )
    total = time.perf_counter() - started
    return {
        "method": "semantic" if embeddings.available() else "lexical",
        "seconds": total,
        "stages": watch.seconds,
        "documents": Document.objects.count(),
        "claims_proposed": Claim.objects.count() - claims_before,
        "mentions": ClaimMention.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--methods", default="lexical")
    parser.add_argument("--database", default=DATABASE,
                        help="PostgreSQL database, dropped and made anew")  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child)))
        return

    rules = rules_speed(args.documents)
    print(
        f"Rules alone, same documents, no database: {rules['documents']} documents "
        f"in {rules['seconds']:.2f} s: "
        f"{rules['documents'] / rules['seconds']:,.0f} documents/s\n"
    )
    for method in args.methods.split(","):
        report(method, run(method, args), args)


def run(method: str, args) -> dict:
    url = migrated_postgres_database(args.database)
    load(url, claim_texts(args.claims))
    env = production_environment(url)
    if method == "lexical":
        env["CLAIM_EMBEDDING_MODEL"] = ""
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "corpus.jsonl"
        write_corpus(corpus, args.documents)
        output = subprocess.run(
            [sys.executable, "-m", "bench.suggest_import", "--child", str(corpus)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    row = json.loads(output.splitlines()[-1])
    if row["documents"] != args.documents:
        raise SystemExit(f"{row['documents']} documents stored of {args.documents}")
    if row["method"] != method:
        raise SystemExit(f"asked for {method}, the ranking was {row['method']}")
    return row


def report(method: str, row: dict, args) -> None:
    seconds, stages = row["seconds"], row["stages"]
    stages["writes and the rest"] = seconds - sum(stages.values())
    print(
        f"import_documents --suggest, PostgreSQL, {method}, {args.claims:,} claims "
        f"stored: {row['documents']} documents in {seconds:.2f} s: "
        f"{row['documents'] / seconds:,.1f} documents/s "
        f"({row['claims_proposed']:,} claims proposed, {row['mentions']:,} mentions)\n"
    )
    print("| stage | seconds | share | ms a document |\n|---|---:|---:|---:|")
    for stage in ("segmentation", "rules", "matching", "writes and the rest"):
        spent = stages.get(stage, 0.0)
        print(
            f"| {stage} | {spent:.2f} | {spent / seconds:.0%} "
            f"| {spent / row['documents'] * 1000:.1f} |"
        )
    print()


if __name__ == "__main__":
    main()
