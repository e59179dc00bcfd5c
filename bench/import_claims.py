"""Claims import speed: ``import_claims`` on a generated archive, beside the
database's own limit.

    python -m bench.import_claims [--claims 10000] [--runs 3]
                                  [--databases sqlite,postgres]

The archive is ``--claims`` claims, each with two tags and one review (URL,
date, label, evidence), written twice: as JSON Lines and as a schema.org
ClaimReview DataFeed of the same reviews, credited to three fact-checkers on
scales of their own. Each run starts from a fresh, migrated database and
times the whole command as a user runs it, with production settings (DEBUG
off); then the same file again, which finds everything present. Beside it,
in the same run, the limit: the same claim and review rows written straight
into plain unindexed tables in one transaction (``COPY`` on PostgreSQL,
``executemany`` on SQLite; the Python that builds the rows inside the
timing). Medians, since this machine is shared and noisy.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

from bench.databases import migrated_database, time_and_peak, time_bulk_load

ROOT = Path(__file__).resolve().parent.parent
PG_DATABASE = "claims_bench_import_claims"

SUBJECTS = ["The mayor", "The health ministry", "A viral post", "The opposition"]
VERBS = ["doubled", "halved", "cut", "raised", "hid", "invented"]
OBJECTS = ["bus fares", "nurse numbers", "the flood budget", "crime figures"]
LABELS = ["Pants on Fire", "Misleading", "", "Half true", "", "Correct"]
PUBLISHERS = [
    ("Full Fact", "https://fullfact.org", 1, 5),
    ("PolitiFact", "https://www.politifact.com", 1, 7),
    ("Les Décodeurs", "https://www.lemonde.fr", 0, 10),
]


def claims(count: int, seed: int = 1) -> list[dict]:
    """``count`` claims in the JSON Lines shape, each with one review."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        rating = rng.choice([1, 2, 3, 4, 5, "unverifiable"])
        text = (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"in {2000 + n % 25} (case {n})"
        )
        records.append(
            {
                "text": text,
                "tags": [f"topic {n % 10}", f"region {n % 7}"],
                "reviews": [
                    {
                        "rating": rating,
                        "label": rng.choice(LABELS),
                        "summary": f"The records show otherwise: {text.lower()}. " * 3,
                        "url": f"https://facts.example/checks/{n}",
                        "published_at": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
                        "evidence": [
                            {"url": f"https://archive.example/{n}", "title": "Source"}
                        ],
                    }
                ],
            }
        )
    return records


def data_feed(records: list[dict]) -> dict:
    """The same reviews as a ClaimReview DataFeed, each fact-checker's scale."""
    elements = []
    for n, record in enumerate(records):
        review = record["reviews"][0]
        name, url, worst, best = PUBLISHERS[n % len(PUBLISHERS)]
        rating = {"@type": "Rating", "alternateName": review["label"] or "Rated"}
        if review["rating"] != "unverifiable":
            # The 1..5 verdict at its place on the publisher's scale.
            rating |= {
                "ratingValue": worst + (review["rating"] - 1) * (best - worst) / 4,
                "worstRating": worst,
                "bestRating": best,
            }
        elements.append(
            {
                "@type": "DataFeedItem",
                "item": [
                    {
                        "@type": "ClaimReview",
                        "url": review["url"],
                        "claimReviewed": record["text"],
                        "author": {"@type": "Organization", "name": name, "url": url},
                        "datePublished": review["published_at"],
                        "reviewRating": rating,
                        "reviewBody": review["summary"],
                        "citation": [e["url"] for e in review["evidence"]],
                    }
                ],
            }
        )
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": elements,
    }


def _database(kind: str, workdir: Path) -> str:
    """A migrated database with the demo editor, who imports."""
    return migrated_database(kind, workdir, PG_DATABASE, demo_users=True)


def _import(url: str, path: Path) -> float:
    command = [sys.executable, "manage.py", "import_claims", "--user", "editor",
               str(path)]  # fmt: skip
    return time_and_peak(command, url)[0]


def time_import(kind: str, path: Path, workdir: Path) -> tuple[float, float]:
    """Seconds of a first import into a fresh database, and of the same again."""
    url = _database(kind, workdir)
    return _import(url, path), _import(url, path)


RAW_TABLES = [
    "CREATE TABLE raw_claim (id integer, text text, status text)",
    "CREATE TABLE raw_review (claim_id integer, rating integer, label text, "
    "summary text, url text, published_at text, evidence text)",
]


def _rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    claim_rows, review_rows = [], []
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file):
            record = json.loads(line)
            claim_rows.append((number, " ".join(record["text"].split()), "published"))
            for review in record["reviews"]:
                rating = review["rating"]
                review_rows.append(
                    (
                        number,
                        0 if rating == "unverifiable" else rating,
                        review["label"],
                        review["summary"],
                        review["url"],
                        review["published_at"],
                        json.dumps(review["evidence"]),
                    )
                )
    return claim_rows, review_rows


def time_raw(kind: str, path: Path, workdir: Path) -> float:
    """The same rows, read from the file, into plain tables: the limit."""

    def rows() -> dict[str, list[tuple]]:
        claim_rows, review_rows = _rows(path)
        return {"raw_claim": claim_rows, "raw_review": review_rows}

    return time_bulk_load(
        _database(kind, workdir),
        rows,
        create=RAW_TABLES,
    )


def time_startup(kind: str, workdir: Path) -> float:
    """The command on an empty file: Python, Django and the connection."""
    empty = workdir / "empty.jsonl"
    empty.touch()
    return _import(_database(kind, workdir), empty)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    n = args.claims

    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        records = claims(n)
        lines = workdir / "archive.jsonl"
        lines.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
            encoding="utf-8",
        )
        feed = workdir / "feed.json"
        feed.write_text(json.dumps(data_feed(records), indent=1), encoding="utf-8")
        print(
            f"{n:,} claims, one review each: JSON Lines "
            f"{lines.stat().st_size / 1e6:.1f} MB, ClaimReview DataFeed "
            f"{feed.stat().st_size / 1e6:.1f} MB; median of {args.runs} runs\n"
        )
        print(
            "| database | file | import_claims | claims/s | again (all present) "
            "| process start | raw limit | claims/s | ratio |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind in args.databases.split(","):
            raw = statistics.median(
                time_raw(kind, lines, workdir) for _ in range(args.runs)
            )
            startup = statistics.median(
                time_startup(kind, workdir) for _ in range(args.runs)
            )
            for name, path in [("JSON Lines", lines), ("DataFeed", feed)]:
                runs = sorted(
                    time_import(kind, path, workdir) for _ in range(args.runs)
                )
                first, again = runs[len(runs) // 2]
                print(
                    f"| {kind} | {name} | {first:.2f} s | {n / first:,.0f} "
                    f"| {again:.2f} s | {startup:.2f} s | {raw:.3f} s "
                    f"| {n / raw:,.0f} | {raw / first:.1%} |"
                )


if __name__ == "__main__":
    main()
