import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from claims import services
from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Source,
    Statement,
)

pytestmark = pytest.mark.django_db

TEXT = "The minister said the plan works. “It will,” she added.\n\nA new paragraph."


def ingest(text=TEXT, **kwargs):
    return services.document_ingest(title="A title", text=text, **kwargs)


def database_state():
    return (
        Document.objects.count(),
        Statement.objects.count(),
        Source.objects.count(),
        Attribution.objects.count(),
        Claim.objects.count(),
    )


# Documents ------------------------------------------------------------------


def test_ingest_segments_the_text_into_statements():
    """Ingest stores the text and one statement a sentence, sliced exactly."""
    document = ingest()
    statements = list(document.statements.order_by("index"))
    assert [s.text for s in statements] == [
        "The minister said the plan works.",
        "“It will,” she added.",
        "A new paragraph.",
    ]
    for statement in statements:
        assert document.text[statement.start : statement.end] == statement.text


def test_ingest_normalises_to_nfc_and_hashes_the_normalised_text():
    """Offsets count code points of the NFC text; the hash is of that text."""
    decomposed = unicodedata.normalize("NFD", "Tomasz Wójcik said so.")
    document = ingest(decomposed)
    assert document.text == "Tomasz Wójcik said so."
    assert len(document.text) == len(decomposed) - 1
    assert document.content_hash == services.content_hash(document.text)
    statement = document.statements.get()
    assert (statement.start, statement.end) == (0, len(document.text))


def test_ingest_refuses_a_duplicate_text():
    """The same text (after normalisation) is stored once."""
    first = ingest()
    before = database_state()
    with pytest.raises(services.DuplicateDocumentError) as raised:
        ingest(unicodedata.normalize("NFD", TEXT))
    assert raised.value.document == first
    assert "already stored as document" in str(raised.value)
    assert database_state() == before


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_ingest_refuses_an_empty_text(text):
    """An empty text is refused with an error naming the text."""
    with pytest.raises(ValidationError) as raised:
        ingest(text)
    assert raised.value.message_dict == {"text": ["The text is empty."]}
    assert database_state() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([(0, 33), (30, 50)], "overlaps"),
        ([(0, 500)], "outside the text"),
        ([(-1, 5)], "outside the text"),
        ([(5, 5)], "is empty"),
        ([(0, 34)], "whitespace"),
        ([("0", 33)], "must be integers"),
    ],
)
def test_ingest_refuses_invalid_statement_spans(spans, message):
    """Each invalid span is refused with its reason, and nothing is stored."""
    with pytest.raises(ValidationError, match=message):
        ingest(statements=spans)
    assert database_state() == (0, 0, 0, 0, 0)


def test_ingest_keeps_given_statement_spans():
    """Given spans are stored as they are, in text order."""
    document = ingest(statements=[(34, 55), (0, 33)])
    assert list(document.statements.values_list("index", "start", "end")) == [
        (0, 0, 33),
        (1, 34, 55),
    ]


def test_ingest_refuses_offsets_into_text_that_is_not_nfc():
    """Offsets given with a non-NFC text would point at other characters."""
    with pytest.raises(ValidationError, match="NFC"):
        ingest(unicodedata.normalize("NFD", "Wójcik said."), statements=[(0, 12)])


def test_ingest_stores_tags_publisher_and_authors():
    """Tags are created as needed; publisher and authors are sources."""
    publisher = services.source_create(name="The Daily", kind="publication")
    author = services.source_create(name="Ann Writer", kind="person")
    document = ingest(publisher=publisher, authors=[author], tags=["Iraq", "Iraq"])
    assert document.publisher == publisher
    assert list(document.authors.all()) == [author]
    assert list(document.tags.values_list("name", flat=True)) == ["Iraq"]


def test_a_document_with_reviewed_statements_cannot_be_deleted(seed):
    """Deleting a document is refused while attributions hang on it."""
    with pytest.raises(ProtectedError, match="attributions"):
        services.document_delete(document=seed)
    assert Statement.objects.filter(document=seed).count() == 11


# Sources --------------------------------------------------------------------


def test_source_names_are_unique_after_normalisation():
    """Case, accents, punctuation and spacing do not make a new source."""
    services.source_create(name="Hashd al-Sha’abi", kind="group")
    with pytest.raises(ValidationError, match="already names source"):
        services.source_create(name="  HASHD al Shaabi ")
    assert Source.objects.count() == 1


def test_a_source_name_may_not_be_another_sources_alias():
    """A name that is already an alias of one source cannot name another."""
    services.source_create(name="Qassem Soleimani", aliases=["Qasem Suleimani"])
    with pytest.raises(ValidationError, match="already names source"):
        services.source_create(name="Qasem Suleimani")
    other = services.source_create(name="Someone Else")
    with pytest.raises(ValidationError, match="already names source"):
        services.source_add_alias(source=other, name="qassem soleimani")


def test_sources_are_found_by_any_alias():
    """get_or_create finds a source by an alias and adds new aliases to it."""
    source = services.source_create(
        name="Qassem Soleimani", aliases=["Qasem Suleimani"]
    )
    found = services.source_get_or_create(name="qasem suleimani", aliases=["Soleimani"])
    assert found == source
    assert sorted(source.aliases.values_list("name", flat=True)) == [
        "Qasem Suleimani",
        "Soleimani",
    ]


def test_a_source_with_attributions_cannot_be_deleted(seed):
    """Deleting a source that reviewers attributed statements to is refused."""
    source = Source.objects.get(name="Iraqi resistance groups")
    with pytest.raises(ProtectedError, match="attributions"):
        services.source_delete(source=source)


# Attributions ---------------------------------------------------------------


def test_attribute_a_statement(reviewer):
    """A reviewer's own attribution is stored, accepted, with its spans."""
    document = ingest()
    statement = document.statements.get(index=0)
    minister = services.source_create(name="The minister", kind="person")
    attribution = services.attribution_create(
        statement=statement,
        kind="indirect",
        source=minister,
        source_span=(0, 12),
        cue=(13, 17),
        content=(18, 32),
        created_by=reviewer,
    )
    assert attribution.status == "accepted"
    assert attribution.origin == "manual"
    assert document.text[attribution.cue_start : attribution.cue_end] == "said"


def test_a_suggestion_waits_for_review_until_accepted_or_rejected(reviewer):
    """A suggested attribution is 'suggested' until a reviewer decides."""
    statement = ingest().statements.get(index=0)
    suggestion = services.attribution_create(
        statement=statement,
        kind="author",
        origin="suggested",
        confidence=0.4,
    )
    assert suggestion.status == "suggested"
    accepted = services.attribution_accept(attribution=suggestion)
    assert (accepted.status, accepted.version) == ("accepted", 2)
    rejected = services.attribution_reject(attribution=suggestion)
    assert (rejected.status, rejected.version) == ("rejected", 3)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "quote"}, "kind"),
        ({"kind": "direct"}, "__all__"),  # a direct quote needs a source
        ({"kind": "author", "cue": (0, 9999)}, "cue"),
        ({"kind": "author", "source_span": (5, 2)}, "source_span"),
        ({"kind": "author", "confidence": 1.5}, "__all__"),
        ({"kind": "author", "primary_source_url": "not a url"}, "primary_source_url"),
        ({"kind": "author", "origin": "manual", "status": "suggested"}, "__all__"),
    ],
)
def test_invalid_attributions_are_refused(kwargs, field):
    """Each invalid attribution names the field at fault and stores nothing."""
    statement = ingest().statements.get(index=0)
    with pytest.raises(ValidationError) as raised:
        services.attribution_create(statement=statement, **kwargs)
    assert field in raised.value.message_dict
    assert Attribution.objects.count() == 0


def test_a_statement_with_an_attribution_cannot_be_deleted(seed):
    """Deleting a statement that a reviewer attributed is refused."""
    with pytest.raises(ProtectedError):
        seed.statements.first().delete()


# Claims, reviews and annotations -------------------------------------------


def test_create_a_claim_with_its_mentions(reviewer):
    """A claim is stored once, with a mention per statement that makes it."""
    document = ingest()
    statements = list(document.statements.all()[:2])
    claim = services.claim_create(
        text="  The plan   works ",
        statements=statements,
        tags=["policy"],
        created_by=reviewer,
    )
    assert claim.text == "The plan works"
    assert claim.mentions.count() == 2
    with pytest.raises(ValidationError, match="already exists"):
        services.claim_create(text="the plan works")
    assert Claim.objects.count() == 1


def test_review_and_publish_a_claim(reviewer, editor):
    """A draft review puts its claim in review; publishing dates both."""
    claim = services.claim_create(text="The plan works")
    review = services.claim_review_create(
        claim=claim,
        reviewer=reviewer,
        rating=ClaimReview.Rating.MOSTLY_TRUE,
        summary="Mostly true: the plan met two of its three targets.",
        evidence=[{"url": "https://example.org/report", "title": "The report"}],
    )
    claim.refresh_from_db()
    assert (review.status, review.published_at, claim.status) == (
        "draft",
        None,
        "in_review",
    )
    published = services.claim_review_publish(review=review)
    claim.refresh_from_db()
    assert published.status == "published"
    assert published.published_at is not None
    assert claim.status == "published"
    with pytest.raises(ValidationError, match="already published"):
        services.claim_review_publish(review=review)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rating": 9}, "rating"),
        ({"summary": "  "}, "summary"),
        ({"evidence": [{"url": "ftp://example.org/x"}]}, "evidence"),
        ({"evidence": [{"link": "https://example.org"}]}, "evidence"),
    ],
)
def test_invalid_reviews_are_refused(reviewer, kwargs, field):
    """A bad rating, an empty summary or a bad evidence link is refused."""
    claim = services.claim_create(text="The plan works")
    arguments = {"rating": 3, "summary": "Mixed."} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.claim_review_create(claim=claim, reviewer=reviewer, **arguments)
    assert field in raised.value.message_dict
    assert ClaimReview.objects.count() == 0


def test_a_claim_with_reviews_or_mentions_cannot_be_deleted(seed):
    """Deleting a claim that has been reviewed or mentioned is refused."""
    claim = ClaimReview.objects.first().claim
    with pytest.raises(ProtectedError, match="claim mentions"):
        services.claim_delete(claim=claim)
    assert ClaimMention.objects.filter(claim=claim).exists()


def test_annotate_a_statement_or_a_claim(reviewer):
    """An annotation targets exactly one statement or claim."""
    statement = ingest().statements.first()
    claim = services.claim_create(text="The plan works")
    on_statement = services.annotation_create(
        target=statement,
        reviewer=reviewer,
        motivation="questioning",
        body="Which plan?",
        tags=["follow-up"],
    )
    on_claim = services.annotation_create(target=claim, reviewer=reviewer)
    assert on_statement.target == statement
    assert on_claim.target == claim
    with pytest.raises(ValidationError, match="statement or a claim"):
        services.annotation_create(target=statement.document, reviewer=reviewer)
    with pytest.raises(ValidationError) as raised:
        services.annotation_create(target=claim, reviewer=reviewer, motivation="liking")
    assert "motivation" in raised.value.message_dict


# Updates and merges ---------------------------------------------------------


def test_updates_check_the_version_and_make_a_new_one(reviewer):
    """Each update needs the version read; a stale one changes nothing."""
    statement = ingest().statements.get(index=0)
    attribution = services.attribution_create(
        statement=statement, kind="author", cue=(13, 17), created_by=reviewer
    )
    changed = services.attribution_update(
        attribution=attribution, expected_version=1, cue=None, content=(18, 32)
    )
    assert (changed.version, changed.cue_start, changed.content_end) == (2, None, 32)
    with pytest.raises(services.VersionConflict, match="version 2"):
        services.attribution_update(attribution=attribution, expected_version=1)
    claim = services.claim_create(text="The plan works")
    claim = services.claim_update(claim=claim, expected_version=1, tags=["x"])
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=2, summary="S"
    )
    review = services.claim_review_update(review=review, expected_version=1, rating=3)
    note = services.annotation_create(target=claim, reviewer=reviewer, body="a")
    note = services.annotation_update(annotation=note, expected_version=1, body="b")
    assert (review.rating, review.version, note.body, note.version) == (3, 2, "b", 2)
    assert list(claim.tags.values_list("name", flat=True)) == ["x"]


def test_merge_moves_conduits_publishers_and_authors_too(reviewer):
    """Everything that named the merged source names the kept one after."""
    keep = services.source_create(name="Reuters", kind="publication")
    merge = services.source_create(name="Reuters news agency", aliases=["RTRS"])
    document = ingest(publisher=merge, authors=[merge])
    attribution = services.attribution_create(
        statement=document.statements.first(), kind="indirect", source=merge, via=merge
    )
    services.source_merge(keep=keep, merge=merge)
    attribution.refresh_from_db()
    document.refresh_from_db()
    assert (attribution.source, attribution.via, attribution.version) == (keep, keep, 2)
    assert (document.publisher, list(document.authors.all())) == (keep, [keep])
    assert sorted(keep.aliases.values_list("name", flat=True)) == [
        "RTRS",
        "Reuters news agency",
    ]
    assert attribution.history.count() == 2  # the move is on record


def test_an_annotation_target_is_one_statement_or_one_claim(reviewer):
    """The target rule the admin, the API and the W3C import share."""
    statement = ingest().statements.first()
    claim = services.claim_create(text="The plan works")
    assert services.annotation_target(statement=statement, claim=None) == statement
    assert services.annotation_target(statement=None, claim=claim) == claim
    for both_or_neither in [(statement, claim), (None, None)]:
        with pytest.raises(ValidationError, match="exactly one statement or one"):
            services.annotation_target(
                statement=both_or_neither[0], claim=both_or_neither[1]
            )
