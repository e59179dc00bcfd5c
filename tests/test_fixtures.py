import json

import pytest
from django.conf import settings

from claims.interchange import export_document
from claims.models import Attribution, Claim, ClaimReview, Source
from claims.selectors import documents_for_export

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures"
ARTICLE = settings.BASE_DIR / "tests" / "data" / "seed_article.txt"


def test_the_seed_document_is_the_articles_body(seed):
    """Title is the headline, tags the first line's words, text the body."""
    article = ARTICLE.read_text("utf-8")
    body = article[article.index("Iraqi resistance groups have issued") :].rstrip()
    assert seed.text == body
    assert seed.title == article.split("\n\n")[1].strip()
    assert sorted(seed.tags.values_list("name", flat=True)) == [
        "Iraq",
        "Qasem Suleimani",
    ]
    assert (seed.publisher, seed.published_at, seed.authors.count()) == (None, None, 0)


def test_every_offset_in_the_fixture_slices_to_its_text(seed):
    """Statements are their slices; spans lie inside the text and say what they name."""
    statements = list(seed.statements.all())
    assert len(statements) == 11
    for statement in statements:
        assert seed.text[statement.start : statement.end] == statement.text
    spans = {}
    for attribution in Attribution.objects.filter(statement__document=seed):
        for name in ("source", "cue", "content"):
            start = getattr(attribution, f"{name}_start")
            end = getattr(attribution, f"{name}_end")
            if start is not None:
                assert 0 <= start < end <= len(seed.text)
                spans.setdefault(name, []).append(seed.text[start:end])
    assert spans["source"] == [
        "Iraqi resistance groups",
        "the\xa0statement",
        "The statement",
        "it",
        "The groups",
        "The resistance groups",
        "Iraqi resistance groups",
    ]
    assert spans["cue"] == [
        "announcing", "said", "warned", "said", "condemned", "censured", "pledged",
    ]  # fmt: skip


def test_every_body_statement_is_attributed_and_accepted(seed):
    """One accepted attribution a statement, the reviewer's work."""
    for statement in seed.statements.all():
        (attribution,) = statement.attributions.all()
        assert attribution.status == "accepted"
        assert attribution.created_by.username == "reviewer"
        if attribution.kind != "author":
            assert attribution.source.name == "Iraqi resistance groups"
            assert attribution.cue_start is not None


def test_the_seed_sources_have_kinds_and_real_aliases(seed):
    """Both spellings name Soleimani; reference words are never aliases."""
    soleimani = Source.objects.get(name="Qassem Soleimani")
    assert soleimani.kind == "person"
    assert "Qasem Suleimani" in soleimani.aliases.values_list("name", flat=True)
    aliases = {
        a.lower() for a in Source.objects.values_list("aliases__name", flat=True) if a
    }
    assert not aliases & {"it", "the statement", "the groups", "she", "he"}


def test_the_seed_has_claims_and_a_published_review(seed):
    """At least six claims with mentions; at least one published review."""
    claims = Claim.objects.filter(mentions__statement__document=seed).distinct()
    assert claims.count() >= 6
    published = ClaimReview.objects.filter(status="published")
    assert published.count() >= 1
    for review in published:
        assert review.summary and review.published_at
        assert review.claim.status == "published"


def test_the_fixture_and_the_interchange_file_agree(seed):
    """fixtures/seed_article.jsonl is the export of fixtures/seed_article.json."""
    (line,) = (FIXTURES / "seed_article.jsonl").read_text("utf-8").splitlines()
    assert export_document(documents_for_export().get()) == json.loads(line)
