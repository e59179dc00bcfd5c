"""The suggestion service (claims.services.document_suggest) and where it runs:
the import command and the admin action."""

import io
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Attribution, Claim, ClaimMention, Source
from claims.provenance import simple_past
from tests.conftest import DATA, ranking_queries

pytestmark = pytest.mark.django_db

TEXT = (
    "Interior Ministry spokeswoman Maj. Lena Brandt said the border would "
    "reopen on March 3. “Nothing was lost.” The port handled 12,800 containers "
    "in 2023, the highest number on record."
)


def _suggested(document):
    return Attribution.objects.filter(
        statement__document=document, origin="suggested"
    ).order_by("statement__index")


def test_every_statement_gets_a_suggestion_waiting_for_review():
    """Kinds, a proposed source, confidence, and status suggested."""
    document = services.document_ingest(title="Border", text=TEXT)
    report = services.document_suggest(document=document)
    rows = list(_suggested(document))
    assert [a.kind for a in rows] == ["indirect", "direct", "author"]
    assert {a.status for a in rows} == {"suggested"}
    assert all(0 <= a.confidence <= 1 for a in rows)
    brandt = Source.objects.get(name="Lena Brandt")
    assert brandt.proposed and brandt.kind == "person"
    assert rows[0].source == rows[1].source == brandt
    assert document.text[rows[0].source_start : rows[0].source_end] == (
        "Interior Ministry spokeswoman Maj. Lena Brandt"
    )
    assert report.attributions_created == 3
    assert report.sources_proposed == ["Lena Brandt"]


def test_a_statement_with_two_sources_gets_a_suggestion_for_each():
    """“…, but witnesses told reporters …” is a second attribution, its own spans."""
    text = (
        "The police said three people were hurt, but witnesses told reporters "
        "the number was higher."
    )
    document = services.document_ingest(title="Hurt", text=text)
    report = services.document_suggest(document=document)
    rows = sorted(_suggested(document), key=lambda a: a.cue_start)
    assert report.attributions_created == 2
    assert [(a.kind, a.source.name) for a in rows] == [
        ("indirect", "police"),
        ("indirect", "witnesses"),
    ]
    assert [text[a.content_start : a.content_end] for a in rows] == [
        "three people were hurt",
        "the number was higher",
    ]
    assert {a.statement_id for a in rows} == {document.statements.get().pk}


def test_a_rerun_replaces_only_untouched_suggestions():
    """Accepted and rejected suggestions survive; the rest are replaced once."""
    document = services.document_ingest(title="Border", text=TEXT)
    services.document_suggest(document=document)
    first, second, third = _suggested(document)
    services.attribution_accept(attribution=first)
    services.attribution_reject(attribution=second)
    report = services.document_suggest(document=document)
    assert report.attributions_removed == 1  # the third, untouched
    assert report.attributions_created == 1  # the third again, not the others
    rows = Attribution.objects.filter(statement__document=document)
    assert rows.count() == 3
    assert set(rows.values_list("status", flat=True)) == {
        "accepted",
        "rejected",
        "suggested",
    }
    assert not Attribution.objects.filter(pk=third.pk).exists()


def test_proposed_sources_are_not_duplicated_on_rerun():
    """The second run finds the source the first one proposed."""
    document = services.document_ingest(title="Border", text=TEXT)
    services.document_suggest(document=document)
    services.document_suggest(document=document)
    assert Source.objects.filter(name="Lena Brandt").count() == 1
    assert Source.objects.count() == 1


def test_a_known_source_under_another_spelling_is_matched():
    """Qasem Suleimani finds Qassem Soleimani; Maj. Lena Brandt finds Lena Brandt."""
    soleimani = services.source_create(name="Qassem Soleimani", kind="person")
    brandt = services.source_create(name="Lena Brandt", kind="person")
    document = services.document_ingest(
        title="Two",
        text="“We will respond,” said Qasem Suleimani. "
        "Maj. Lena Brandt said the claim was false.",
    )
    report = services.document_suggest(document=document)
    first, second = _suggested(document)
    assert (first.source, second.source) == (soleimani, brandt)
    assert report.sources_proposed == []
    assert not Source.objects.filter(proposed=True).exists()


def test_an_author_statement_is_attributed_to_the_publisher():
    """No cue: the document's own assertion, its source the publisher."""
    paper = services.source_create(name="The Daily", kind="publication")
    document = services.document_ingest(
        title="T", text="The bridge closed on Monday.", publisher=paper
    )
    services.document_suggest(document=document)
    (row,) = _suggested(document)
    assert (row.kind, row.source) == ("author", paper)


def test_the_same_claim_in_another_document_becomes_a_suggested_mention():
    """A check-worthy statement proposes a claim; its repetition links to it."""
    first = services.document_ingest(
        title="A", text="The port handled 12,800 containers in 2023, a record."
    )
    report = services.document_suggest(document=first)
    assert report.claims_proposed == 1
    claim = Claim.objects.get()
    second = services.document_ingest(
        title="B",
        text="Officials were pleased. The port handled 12,800 containers in 2023, "
        "which was a record.",
    )
    report = services.document_suggest(document=second)
    assert report.claims_proposed == 0
    mention = ClaimMention.objects.get(statement__document=second)
    assert (mention.claim, mention.origin, mention.status) == (
        claim,
        "suggested",
        "suggested",
    )


def test_a_documents_statements_are_matched_in_one_search():
    """Every check-worthy statement of a document looked up by one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.claim_create(text="The port handled 12,800 containers in 2023")
    services.claim_create(text="Rents in Kalo rose 9% in 2022")
    document = services.document_ingest(
        title="C",
        text="The port handled 12,800 containers in 2023. Rents in Kalo rose 9% "
        "in 2022, the council said. Bus fares doubled to €4 in 2024.",
    )
    with CaptureQueriesContext(connection) as queries:
        report = services.document_suggest(document=document)
    searches = [
        q for q in queries if "claims_claim_fts" in q["sql"] or "tsquery" in q["sql"]
    ]
    assert len(searches) == 1
    assert report.claims_proposed == 1
    assert sorted(
        ClaimMention.objects.filter(statement__document=document).values_list(
            "claim__text", flat=True
        )
    ) == [
        "Bus fares doubled to €4 in 2024",
        "Rents in Kalo rose 9% in 2022",
        "The port handled 12,800 containers in 2023",
    ]


def _spokespeople(number, count):
    """A document of ``count`` statements, each a new source's check-worthy
    claim."""
    text = " ".join(
        f"Spokeswoman Lena Brandt{chr(97 + n)} said the port handled "
        f"{1000 * number + n} containers in {2010 + n}."
        for n in range(count)
    )
    return services.document_ingest(title=f"D{number}", text=text)


@pytest.mark.parametrize(
    ("documents", "statements"), [(1, 1), (1, 10), (3, 1), (3, 10)]
)
def test_a_batch_costs_the_same_queries_whatever_its_size(
    documents, statements, django_assert_num_queries
):
    """Locks, reads, source lookups, one search, and bulk writes with history
    (the proposed sources and claims each in a savepoint, so that a concurrent
    run's rows are found, not an error): as many queries for 3 documents of 10
    statements as for one of one."""
    services.source_create(name="Karl Nemo", kind="person")
    batch = [_spokespeople(n, statements) for n in range(1, documents + 1)]
    with django_assert_num_queries(29 + ranking_queries()):
        reports = services.documents_suggest(documents=batch)
    assert [r.document for r in reports] == [d.pk for d in batch]
    assert sum(r.attributions_created for r in reports) == documents * statements
    assert sum(r.mentions_created for r in reports) == documents * statements
    assert Attribution.objects.filter(status="suggested").count() == (
        documents * statements
    )
    # Each proposed source and claim has its first history record.
    for model in (Source, Claim, Attribution, ClaimMention):
        assert model.history.count() == model.objects.count()


def test_a_batch_suggests_as_the_documents_one_by_one():
    """The same attributions, sources and claims as one document at a time."""
    texts = [TEXT, "Lena Brandt said the border would reopen on March 3."]

    def run(batched):
        documents = [
            services.document_ingest(title=f"T{n}", text=text)
            for n, text in enumerate(texts)
        ]
        if batched:
            reports = services.documents_suggest(documents=documents)
        else:
            reports = [services.document_suggest(document=d) for d in documents]
        rows = sorted(
            (a.statement.document.title, a.statement.index, a.kind, str(a.source))
            for a in Attribution.objects.select_related("statement__document", "source")
        )
        claims = sorted(Claim.objects.values_list("text", flat=True))
        return [r.sources_proposed for r in reports], rows, claims

    one_by_one = run(batched=False)
    for model in (ClaimMention, Attribution, Claim, Source):
        model.objects.all().delete()
    from claims.models import Document

    Document.objects.all().delete()
    assert run(batched=True) == one_by_one


def test_a_claim_repeated_later_in_the_batch_is_linked_to_the_one_proposed():
    """Proposed for one document, found again for the next in the same batch,
    as it would be had the first been suggested before."""
    first = services.document_ingest(
        title="A", text="The port handled 12,800 containers in 2023, a record."
    )
    second = services.document_ingest(
        title="B",
        text="Officials were pleased. The port handled 12,800 containers in 2023, "
        "which was a record.",
    )
    reports = services.documents_suggest(documents=[first, second])
    assert [r.claims_proposed for r in reports] == [1, 0]
    claim = Claim.objects.get()
    assert set(ClaimMention.objects.values_list("statement__document", "claim")) == {
        (first.pk, claim.pk),
        (second.pk, claim.pk),
    }


def test_a_document_given_twice_is_suggested_for_once():
    """A report for each document given; the same one for both mentions."""
    document = services.document_ingest(title="Border", text=TEXT)
    first, second = services.documents_suggest(documents=[document, document])
    assert first is second and first.attributions_created == 3
    assert Attribution.objects.count() == 3


def test_a_batch_naming_a_missing_document_writes_nothing():
    """All or nothing: the error names the document, no suggestion stays."""
    from claims.models import Document

    document = services.document_ingest(title="Border", text=TEXT)
    with pytest.raises(Document.DoesNotExist, match=str(10**9)):
        services.documents_suggest(documents=[document, Document(pk=10**9)])
    assert not Attribution.objects.exists()
    assert not Source.objects.exists()


def _refuse_attributions_of(words):
    """A trigger that refuses any attribution of a statement holding
    ``words``, as the database refuses a value it cannot store."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_for_test() RETURNS trigger AS $$ BEGIN "
                "IF (SELECT text FROM claims_statement WHERE id = NEW.statement_id) "
                f"LIKE '%%{words}%%' THEN RAISE EXCEPTION 'refused for the test'; "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_for_test BEFORE INSERT ON claims_attribution "
                "FOR EACH ROW EXECUTE FUNCTION refuse_for_test()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_for_test BEFORE INSERT ON claims_attribution "
                "WHEN (SELECT text FROM claims_statement WHERE id = NEW.statement_id) "
                f"LIKE '%{words}%' BEGIN SELECT RAISE(ABORT, 'refused for the test'); "
                "END"
            )


def test_import_reports_the_one_document_whose_suggestions_were_refused(tmp_path):
    """The batch's suggestions fail together, then go one at a time: the
    refused document is stored and reported, the others get theirs."""
    from django.core.management.base import CommandError
    from django.db import connection

    _refuse_attributions_of("forbidden")
    path = tmp_path / "docs.jsonl"
    lines = [
        {"title": "Border", "text": TEXT},
        {"title": "Bad", "text": "The mayor said the forbidden road would close."},
        {"title": "Rents", "text": "Rents in Kalo rose 9% in 2022, the council said."},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="2 imported, 0 already present, 1 failed"):
        call_command("import_documents", str(path), "--suggest", stderr=errors)
    # (PostgreSQL's message goes on with the trigger's context.)
    # A trigger's own words on PostgreSQL; SQLite tells no more than that a
    # value was refused, and its raw message is not shown.
    reason = (
        "refused for the test"
        if connection.vendor == "postgresql"
        else "a value cannot be stored as given"
    )
    assert [line for line in errors.getvalue().splitlines() if str(path) in line] == [
        f"{path}:2: stored, but suggestions failed: the database refused a value: "
        f"{reason}"
    ]
    suggested = Attribution.objects.values_list("statement__document__title", flat=True)
    assert sorted(set(suggested)) == ["Border", "Rents"]
    assert ClaimMention.objects.filter(statement__document__title="Bad").count() == 0


def test_a_claim_with_other_numbers_is_not_the_same_claim():
    """Alike words, different figures: a new claim, not a mention of the old."""
    services.document_suggest(
        document=services.document_ingest(
            title="A", text="The port handled 12,800 containers in 2023, a record."
        )
    )
    services.document_suggest(
        document=services.document_ingest(
            title="B", text="The port handled 9,100 containers in 2022, a record."
        )
    )
    assert Claim.objects.count() == 2


def test_a_rerun_does_not_multiply_claims_or_mentions():
    """Proposed claims and mentions are replaced, not added again."""
    document = services.document_ingest(
        title="A", text="The port handled 12,800 containers in 2023, a record."
    )
    services.document_suggest(document=document)
    services.document_suggest(document=document)
    assert Claim.objects.count() == 1
    assert ClaimMention.objects.count() == 1


def _mentions_of_proposed_claims(document):
    return ClaimMention.objects.filter(
        statement__document=document, origin="suggested", claim__created_by=None
    ).select_related("claim", "statement")


def test_proposed_claims_of_the_seed_article_leave_out_source_and_cue():
    """On the seed article, a claim from a quotation or a reported clause holds
    neither its statement's cue nor its source's words; one worded with its
    source names it once, with the cue verb in the simple past; every claim is
    one line, without outer quotation marks or a final stop."""
    text = (DATA / "seed_article.txt").read_text(encoding="utf-8")
    document = services.document_ingest(title="Seed", text=text)
    report = services.document_suggest(document=document)
    attributions = {a.statement_id: a for a in _suggested(document)}
    forms = Counter()
    for mention in _mentions_of_proposed_claims(document):
        claim, statement = mention.claim.text, mention.statement
        assert "\n" not in claim and claim == " ".join(claim.split())
        assert claim[0] not in "“\"‘'" and claim[-1] not in "”\"’'."
        attribution = attributions[statement.pk]
        if attribution.kind == "author":
            forms["author"] += 1
            continue
        cue = text[attribution.cue_start : attribution.cue_end]
        source = text[attribution.source_start : attribution.source_end]
        prefix = f"{attribution.source.name} {simple_past(cue)} "
        if claim.startswith(prefix):
            forms["source"] += 1
            claim = claim[len(prefix) :]
        else:
            forms["clause"] += 1
        inside = statement.start <= attribution.cue_start < statement.end
        for words in [source, cue] if inside else [source]:
            assert not re.search(rf"\b{re.escape(words)}\b", claim, re.IGNORECASE)
    assert report.claims_proposed == sum(forms.values())
    # The article proposes claims of all three forms.
    assert set(forms) == {"author", "source", "clause"}, forms


def test_a_claim_worded_without_its_source_goes_on_a_rerun():
    """A proposed claim worded as the proposition is found again and removed
    when a rerun links the statement to another claim."""
    text = "The Kalo union said the strike would cost €2m in May."
    document = services.document_ingest(title="Strike", text=text)
    services.document_suggest(document=document)
    proposed = Claim.objects.get()
    assert proposed.text == "The strike would cost €2m in May"
    known = services.claim_create(text="The Kalo union said the strike would cost €2m")
    report = services.document_suggest(document=document)
    assert report.mentions_removed == 1
    assert list(Claim.objects.all()) == [known]
    assert ClaimMention.objects.get().claim == known


def test_suggestions_beside_the_seed_hand_annotation(seed):
    """Where the reviewer's accepted attribution says the same, none is added."""
    report = services.document_suggest(document=seed)
    statements = seed.statements.count()
    assert report.attributions_created < statements
    assert Attribution.objects.filter(status="accepted").count() == statements
    # The suggestions name the groups the fixture knows, not a new source.
    assert not Source.objects.filter(proposed=True, name__icontains="groups").exists()


def test_import_documents_suggest(tmp_path, reviewer):
    """--suggest stores suggestions with each imported document."""
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"title": "Border", "text": TEXT}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    call_command("import_documents", str(path), "--suggest", verbosity=0)
    assert Attribution.objects.filter(status="suggested").count() == 3
    call_command("import_documents", str(path), "--suggest", verbosity=0)
    assert Attribution.objects.filter(status="suggested").count() == 3


def test_import_without_suggest_stores_none(tmp_path):
    """Without the flag, nothing is suggested."""
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"title": "Border", "text": TEXT}) + "\n")
    call_command("import_documents", str(path), verbosity=0)
    assert not Attribution.objects.exists()


def test_admin_action_suggests_for_the_selected_documents(client, reviewer):
    """The admin action runs the service on each selected document."""
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    document = services.document_ingest(title="Border", text=TEXT)
    response = client.post(
        "/admin/claims/document/",
        {"action": "suggest_provenance", "_selected_action": [document.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert _suggested(document).count() == 3


@pytest.mark.postgres
def test_postgresql_has_the_trigram_index_and_agrees_with_python():
    """Migration 0006 built the GIN index; pg_trgm scores as the Python does."""
    from django.db import connection

    from claims.provenance import claim_similarity

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claim_text_trgm'"
        )
        (definition,) = cursor.fetchone()
        assert "gin" in definition and "gin_trgm_ops" in definition
        a = "Iraqi lawmakers unanimously passed a bill on Jan. 5, 2020"
        b = "Just days later, Iraqi lawmakers passed a bill"
        cursor.execute("SELECT similarity(%s, %s)", [a, b])
        assert cursor.fetchone()[0] == pytest.approx(claim_similarity(a, b), abs=1e-6)
