"""Read latency at scale on PostgreSQL: the corpus-wide filter and claim matching.

    python -m bench.scale [--statements 10000,100000,1000000] [--claims 100000]
                          [--requests 30] [--database claims_bench_scale]

One fresh, migrated PostgreSQL database (``claims_bench_scale``) grows through
the ``--statements`` sizes. Loading is not what is measured, so rows go
straight into the real tables with ``COPY`` (triggers off for the load; the
rows are consistent by construction), then ``ANALYZE``:

- documents from ``bench/corpus.py``, published on dates spread over ten
  years (2015-2024), statements from ``claims.segmentation.segment``;
- one attribution a statement: a source from 300 with a Zipf-like share
  (the first is named in about 9% of non-author attributions), a kind
  (direct 25%, indirect 35%, mixed 10%, author 30%), a status (accepted 70%,
  suggested 25%, rejected 5%);
- ``--claims`` claims from ``claim_texts`` below (varied wording).

At each size:

(a) the corpus-wide filter through the real code path: ``GET /api/statements/
    ?source=<name>&kind=direct&published_after=…&published_before=…
    &page_size=100`` in-process with Django's test client, signed in; for the
    most-named source and for a typical one (rank 30); median, p95, queries;
(b) ``EXPLAIN (ANALYZE, BUFFERS)`` of that request's count and page queries;
(c) ``claim_match`` for ``--requests`` statements (half rewordings of stored
    claims, half new) against the claims, with the candidate query explained.

After the last size the claims are replaced by bench/suggest.py's ten-template
corpus and (c) is measured again, as the worst case.
"""

import argparse
import datetime
import hashlib
import os
import random
import re
import statistics
import time

from bench.api_reads import timed_gets
from bench.corpus import generate_documents
from bench.databases import migrated_postgres_database, reset_sequences
from claims.copy_format import copy_buffer

DATABASE = "claims_bench_scale"
SOURCES = 300
DATE_FROM = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
DATE_SPAN_DAYS = 3652
WINDOW = ("2020-01-01T00:00:00Z", "2020-12-31T23:59:59Z")
KINDS = [("direct", 25), ("indirect", 35), ("mixed", 10), ("author", 30)]
STATUSES = [("accepted", 70), ("suggested", 25), ("rejected", 5)]


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST = _words(
    "Ana Boris Chen Dalia Emeka Fatima Goran Hana Ivan Jia Kofi Lena Mateo Nadia "
    "Omar Priya Quentin Rosa Sven Tariq Ursula Viktor Wen Ximena Yusuf Zofia "
    "Aurelio Bianca Cormac Dmitri Elif Farid Greta Hiro Ingrid Jonas Kamala Luis "
    "Marta Nikos Olga Pablo Rania Stefan Thandiwe Umar Valeria Wojciech Yara Zeynep "
    "Abdul Beatriz Carlos Deepa Erik Femi Giulia Hamza Irina Javier Keiko Lars"
)
LAST = _words(
    "Ruiz Okafor Brandt Costa Solberg Haddad Novak Tanaka Mensah Kowalski Ibarra "
    "Lindqvist Moreau Petrov Quispe Rahman Schmidt Takahashi Uddin Varga Weber "
    "Yilmaz Zhou Adeyemi Bauer Castillo Dubois Eriksen Fontaine Gupta Herrera "
    "Jansen Kariuki Larsen Mahlangu Nakamura O'Brien Papadopoulos Rossi Sato "
    "Torres Vasquez Wiśniewski Xu Yamamoto Zapata Abubakar Björk Chowdhury"
)
# Place names from onsets, vowels and codas: about 60,000 two-syllable names
# and millions of three, with the letter variety of real names.
ONSETS = _words(
    "b br c ch cl d dr f fl g gr h j k kh l m n p pr qu r s sh st t th tr v w z"
)
VOWELS = _words("a e i o u ai au ea ie io oa ou y")
CODAS = ["", "", "", "n", "r", "l", "s", "m", "k", "nd", "rt", "st", "x", "sk", "ng"]
BODIES = _words(
    "Water Authority|Transport Board|Health Service|Housing Agency|Police "
    "Department|School District|Port Authority|Energy Company|Statistics Office|"
    "Chamber of Commerce|University|Airport|Central Bank|Farmers' Union",
    "|",
)
TOPICS = _words(
    "unemployment|inflation|rents|house prices|crime|burglaries|road deaths|"
    "child poverty|hospital waiting times|school funding|teacher pay|bus fares|"
    "fuel duty|electricity bills|tax revenue|public debt|the trade deficit|"
    "immigration|asylum applications|homelessness|tuition fees|pension costs|"
    "carbon emissions|air pollution|recycling rates|broadband coverage|"
    "obesity rates|vaccination rates|GP appointments|prison numbers|"
    "police numbers|defence spending|foreign aid|youth unemployment|"
    "the minimum wage|food bank use|energy imports|wheat exports|tourism|"
    "knife crime|drug deaths|fly-tipping|potholes|rail delays|ferry subsidies|"
    "mortgage arrears|business rates|council tax|sugar imports|dairy prices|"
    "forest cover|water leaks|sewage spills|heat deaths|ambulance response times|"
    "maternity units|care home places|apprenticeships|university places|"
    "startup funding|bank lending|gambling losses|smoking rates|press freedom",
    "|",
)
GOODS = _words(
    "containers|tonnes of grain|barrels of oil|cars|laptops|solar panels|"
    "tonnes of steel|vaccines|tonnes of coffee|wind turbines|homes|jobs",
    "|",
)
RISE = _words("rose fell doubled halved climbed dropped jumped slumped")
TEMPLATES = [
    "{topic} in {place} {rise} by {pct}% in {year}",
    "{place} has the highest {topic} in the country",
    "{person} said {topic} {rise} every year since {year}",
    "The {place} {body} spent {money} on consultants in {year}",
    "{place} exported {n} {goods} to {place2} in {year}",
    "The {place} {body} cut {n} jobs last year",
    "{person} voted against the {place} {body} budget {k} times",
    "{topic} {rise} to a record {pct}% under {person}",
    "The {place} {body} has not published accounts since {year}",
    "{place} imports {pct}% of its {goods} from {place2}",
    "Half of all {topic} complaints in {place} come from {place2}",
    "{person} promised to build {n} new homes in {place} by {year}",
    "Spending on {topic} in {place} reached {money} in {year}",
    "The {place} {body} received {money} from {place2} investors",
    "{person} has been in office for {k} years and {topic} {rise}",
    "{place} spends more on {topic} than {place2} and {place3} combined",
    "Since {year}, {topic} in {place} has {rise} by {n}",
    "The {body} of {place} employs {n} people, {pct}% of them part-time",
    "{person} claims {place} has the lowest {topic} in Europe",
    "{n} people left {place} for {place2} in {year}",
    "The {place} {body} lost {money} on a failed IT system",
    "A {place} {body} report says {topic} {rise} {pct}% after {year}",
    "{person} received {money} in donations from the {place} {body}",
    "{place} will run out of {goods} by {year}, says {person}",
    "Only {pct}% of {place} residents trust the {body}",
    "{topic} costs every household in {place} {money} a year",
    "The {place} {body} closed {k} offices between {year} and {year2}",
    "{place} produced {n} {goods} in {year}, more than {place2}",
    "{person} was fined {money} by the {place} {body} in {year}",
    "Under {person}, {topic} in {place} {rise} for {k} years running",
    "{person} never said {place} should leave the {body} scheme",
    "Every second household in {place} is affected by {topic}",
    "{place} ranks {k}th in the world for {topic}",
    "It takes {k} weeks to get a {place} {body} appointment",
    "Foreign companies own {pct}% of {place}'s {goods}",
    "{person} doubled {place}'s spending on {topic} in {k} months",
    "{place} banned imports of {goods} from {place2} in {year}",
    "A photo shows {person} meeting {person2} in {place} in {year}",
    "Vaccines were tested on {n} children in {place} without consent",
    "{place} pays its {body} staff {money} less than {place2}",
    "Crime by people from {place2} {rise} in {place} after {year}",
    "The {body} in {place} was sold for {money} to a firm owned by {person}",
    "{topic} fell the year {person} took over the {place} {body}",
    "{person}'s plan for {topic} will cost {place} taxpayers {money}",
    "No {goods} have left the port of {place} since {year}",
]


def _place(rng: random.Random) -> str:
    syllables = rng.choice([2, 2, 2, 3])
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        for _ in range(syllables)
    ).title()


def _person(rng: random.Random) -> str:
    last = rng.choice(LAST) if rng.random() < 0.5 else _place(rng)
    return f"{rng.choice(FIRST)} {last}"


def _money(rng: random.Random) -> str:
    amount = rng.choice(
        [
            f"€{rng.randint(2, 950)}m",
            f"${rng.randint(1, 99)}.{rng.randint(1, 9)}bn",
            f"£{rng.randint(10, 999):,}",
            f"{rng.randint(2, 900)} million",
        ]
    )
    return amount


def claim_texts(count: int, seed: int = 3) -> list[str]:
    """``count`` distinct, varied claim texts.

    Thirty sentence shapes over 38 people's first and 31 last names, place
    names from 38 syllables (about 50,000 of them), 14 kinds of public body,
    39 topics, 12 goods, eight verbs of change, and figures, sums and years
    drawn per claim; the first letter of a claim is capitalised.
    """
    rng = random.Random(seed)
    texts: set[str] = set()
    while len(texts) < count:
        template = rng.choice(TEMPLATES)
        text = template.format(
            topic=rng.choice(TOPICS),
            place=_place(rng),
            place2=_place(rng),
            place3=_place(rng),
            person=_person(rng),
            person2=_person(rng),
            body=rng.choice(BODIES),
            goods=rng.choice(GOODS),
            rise=rng.choice(RISE),
            pct=rng.choice(
                [str(rng.randint(2, 95)), f"{rng.randint(1, 40)}.{rng.randint(1, 9)}"]
            ),
            n=f"{rng.randint(12, 250_000):,}",
            k=rng.randint(2, 30),
            money=_money(rng),
            year=rng.randint(1995, 2024),
            year2=rng.randint(1995, 2024),
        )
        texts.add(text[0].upper() + text[1:])
    return sorted(texts)


def _reword(text: str) -> str:
    """A rewording another outlet might print: same facts, other words."""
    return f"Official figures show that {text[0].lower()}{text[1:]}, officials said."


def _weighted(rng: random.Random, choices: list[tuple[str, int]], count: int):
    values = [value for value, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(values, weights, k=count)


# Loading --------------------------------------------------------------------


def _source_names() -> list[str]:
    rng = random.Random(11)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < SOURCES:
        name = f"{rng.choice(FIRST)} {_place(rng)}"
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


class Loader:
    """Grows the database's corpus by COPY, keeping ids and a random stream."""

    def __init__(self, url: str):
        import psycopg2

        from claims.name_normalization import normalize_name

        self.connection = psycopg2.connect(url)
        self.rng = random.Random(5)
        self.documents = 0
        self.statements = 0
        self.attributions = 0
        now = datetime.datetime.now(datetime.UTC).isoformat()
        self.now = now
        self.sources = _source_names()
        rows = [
            (pk, name, normalize_name(name), "person", "", "", "", "f", now, now, 1)
            for pk, name in enumerate(self.sources, start=1)
        ]
        self._copy(
            "claims_source",
            "id, name, normalized_name, kind, description, url, wikidata_id, "
            "proposed, created_at, updated_at, version",
            rows,
        )
        # A Zipf-like share: source k is named in proportion to 1/k.
        self.source_weights = [1 / k for k in range(1, SOURCES + 1)]

    def _copy(self, table: str, columns: str, rows) -> None:
        with self.connection, self.connection.cursor() as cursor:
            # Triggers (and the deferred foreign-key checks) off: the rows are
            # consistent by construction, and the load is not what is measured.
            cursor.execute("SET session_replication_role = replica")
            cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN", copy_buffer(rows)
            )
            cursor.execute("SET session_replication_role = origin")

    def grow_to(self, statements: int) -> None:
        """Add documents until the corpus holds at least ``statements``."""
        from claims.segmentation import segment

        documents, rows, attributions = [], [], []
        records = generate_documents(10**9, seed=0)
        for _ in range(self.documents):
            next(records)  # the generator is deterministic: skip those stored
        count = self.statements
        while count < statements:
            record = next(records)
            self.documents += 1
            text = record["text"]
            published = DATE_FROM + datetime.timedelta(
                seconds=self.rng.randrange(DATE_SPAN_DAYS * 86400)
            )
            documents.append(
                (
                    self.documents,
                    record["title"],
                    text,
                    hashlib.sha256(text.encode()).hexdigest(),
                    "",
                    published.isoformat(),
                    "en",
                    "{}",
                    self.now,
                    1,
                )
            )
            for index, span in enumerate(segment(text)):
                count += 1
                rows.append(
                    (
                        count,
                        self.documents,
                        index,
                        span.start,
                        span.end,
                        text[span.start : span.end],
                    )
                )
        new = len(rows)
        kinds = _weighted(self.rng, KINDS, new)
        statuses = _weighted(self.rng, STATUSES, new)
        sources = self.rng.choices(
            range(1, SOURCES + 1), weights=self.source_weights, k=new
        )
        for row, kind, status, source in zip(
            rows, kinds, statuses, sources, strict=True
        ):
            self.attributions += 1
            origin = "manual" if status != "suggested" else "suggested"
            attributions.append(
                (
                    self.attributions,
                    row[0],
                    kind,
                    None if kind == "author" else source,
                    "",
                    origin,
                    status,
                    self.now,
                    self.now,
                    1,
                )
            )
        self._copy(
            "claims_document",
            "id, title, text, content_hash, url, published_at, language, metadata, "
            "created_at, version",
            documents,
        )
        self._copy(
            "claims_statement", 'id, document_id, "index", start, "end", text', rows
        )
        self._copy(
            "claims_attribution",
            "id, statement_id, kind, source_id, primary_source_url, origin, status, "
            "created_at, updated_at, version",
            attributions,
        )
        self.statements = count
        self._finish()

    def replace_claims(self, texts: list[str]) -> None:
        with self.connection, self.connection.cursor() as cursor:
            cursor.execute("TRUNCATE claims_claim CASCADE")
        rows = [
            (pk, text, "new", False, self.now, self.now, 1)
            for pk, text in enumerate(texts, start=1)
        ]
        self._copy(
            "claims_claim",
            "id, text, status, proposed, created_at, updated_at, version",
            rows,
        )
        self._finish()

    def _finish(self) -> None:
        with self.connection, self.connection.cursor() as cursor:
            reset_sequences(
                cursor,
                [
                    "claims_source",
                    "claims_document",
                    "claims_statement",
                    "claims_attribution",
                    "claims_claim",
                ],
            )
        self.connection.autocommit = True
        with self.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.connection.autocommit = False


# Measuring ------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_filter(client, source: str, requests: int) -> dict:
    """The statements list filtered by source, kind and a year, page of 100."""
    from urllib.parse import urlencode

    path = "/api/statements/?" + urlencode(
        {
            "source": source,
            "kind": "direct",
            "published_after": WINDOW[0],
            "published_before": WINDOW[1],
            "page_size": 100,
        }
    )
    timings, response, queries = timed_gets(client, path, requests)
    body = response.json()
    statement_queries = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "claims_statement"' in q["sql"]
    ]
    return {
        "path": path,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": _percentile(timings, 0.95) * 1000,
        "queries": len(queries),
        "count": body["count"],
        "rows": len(body["results"]),
        "explain": [(sql, _explain(sql)) for sql in statement_queries],
    }


def measure_matching(texts: list[str], probes: int) -> dict:
    """claim_match over ``probes`` statements: half rewordings, half new."""
    from django.db import transaction

    from claims.search import similar_claims
    from claims.services import claim_match

    rng = random.Random(7)
    stored = set(texts)
    known = rng.sample(texts, probes // 2)
    new = [t for t in claim_texts(probes * 2, seed=99) if t not in stored]
    cases = [(_reword(t), t) for t in known] + [
        (_reword(t), None) for t in new[: probes - len(known)]
    ]
    rng.shuffle(cases)
    with transaction.atomic():
        claim_match(cases[0][0])  # warm caches
    timings, found, wrong = [], 0, 0
    for statement, expected in cases:
        with transaction.atomic():
            started = time.perf_counter()
            claim = claim_match(statement)
            timings.append(time.perf_counter() - started)
        if claim is not None and claim.text == expected:
            found += 1
        elif claim is not None:
            wrong += 1
    sql: list[str] = []
    statement = cases[0][0]
    with transaction.atomic():
        with _recording(sql):
            similar_claims(statement, limit=5)
        # The ranking query (claims.search), explained.
        candidates = next(q for q in sql if "tsquery" in q)
        explain = _explain(candidates)
    return {
        "claims": len(texts),
        "probes": len(cases),
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": _percentile(timings, 0.95) * 1000,
        "found": found,
        "rewordings": len(known),
        "wrong": wrong,
        "explain": (statement, candidates, explain),
    }


class _recording:
    """Collect the SQL Django's connection runs (with parameters) into a list."""

    def __init__(self, into: list[str]):
        self.into = into

    def __enter__(self):
        from django.db import connection

        def wrapper(execute, sql, params, many, context):
            cursor = context["cursor"].cursor
            self.into.append(cursor.mogrify(sql, params).decode())
            return execute(sql, params, many, context)

        self.context = connection.execute_wrapper(wrapper)
        self.context.__enter__()

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)


def _print_explain(title: str, sql: str, plan: str) -> None:
    print(f"\n{title}\n")
    print("    " + re.sub(r"\s+", " ", sql)[:600])
    print()
    print("\n".join("    " + line for line in plan.splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", default="10000,100000,1000000")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default=DATABASE, help="dropped and made anew")
    parser.add_argument("--no-templates", action="store_true",
                        help="skip the ten-template claims corpus")  # fmt: skip
    args = parser.parse_args()
    sizes = [int(size) for size in args.statements.split(",")]

    url = migrated_postgres_database(args.database)
    started = time.perf_counter()
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="testserver",
        SECURE="0",
        THROTTLE_USER="1000000/min",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    loader = Loader(url)
    texts = claim_texts(args.claims)
    loader.replace_claims(texts)
    client = Client()
    client.force_login(get_user_model().objects.create_user("bench-reader"))
    print(
        f"migrated, sources and {len(texts):,} claims: "
        f"{time.perf_counter() - started:.1f} s"
    )

    filters, matching = [], []
    for size in sizes:
        started = time.perf_counter()
        loader.grow_to(size)
        print(
            f"\n## {loader.statements:,} statements ({loader.documents:,} documents), "
            f"loaded in {time.perf_counter() - started:.1f} s"
        )
        for label, source in [
            ("most-named source", loader.sources[0]),
            ("typical source (rank 30)", loader.sources[29]),
        ]:
            row = measure_filter(client, source, args.requests)
            filters.append((loader.statements, label, row))
            for sql, plan in row["explain"]:
                _print_explain(f"{label}: EXPLAIN (ANALYZE, BUFFERS)", sql, plan)
        row = measure_matching(texts, args.requests)
        matching.append((loader.statements, "varied (claim_texts)", row))
        _print_explain(
            "claim candidates: EXPLAIN (ANALYZE, BUFFERS)", *row["explain"][1:]
        )

    if not args.no_templates:
        from bench.suggest import claim_texts as template_texts

        harsh = template_texts(args.claims)
        loader.replace_claims(harsh)
        row = measure_matching(harsh, args.requests)
        matching.append((loader.statements, "ten templates (bench/suggest.py)", row))
        _print_explain("ten templates: EXPLAIN (ANALYZE, BUFFERS)", *row["explain"][1:])

    print(f"\n{args.requests} requests each, in-process, signed in; medians\n")
    print("| statements | filter | matches | median | p95 | queries |")
    print("|---:|---|---:|---:|---:|---:|")
    for statements, label, row in filters:
        print(
            f"| {statements:,} | {label} | {row['count']:,} "
            f"| {row['median_ms']:.1f} ms | {row['p95_ms']:.1f} ms | {row['queries']} |"
        )
    print()
    print("| statements | claims | corpus | median | p95 | rewordings found | wrong |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for statements, label, row in matching:
        print(
            f"| {statements:,} | {row['claims']:,} | {label} "
            f"| {row['median_ms']:.1f} ms | {row['p95_ms']:.1f} ms "
            f"| {row['found']}/{row['rewordings']} "
            f"| {row['wrong']} |"
        )


if __name__ == "__main__":
    main()
