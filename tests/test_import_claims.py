"""import_claims: a fact-checker's archive of checked claims, from JSON Lines or
schema.org ClaimReview JSON-LD, each review published and credited to its
publisher, each record all or nothing, and nothing twice."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tqdm import tqdm

from claims import services
from claims.formats import claim_records, claimreview, claimreview_import
from claims.management.commands import import_claims
from claims.models import Claim, ClaimReview, Rating, Tag
from claims.services import claims_import
from tests.test_commands import _Buffer

pytestmark = pytest.mark.django_db

BRIDGE = {
    "text": "The bridge was built in 1990",
    "tags": ["Infrastructure", "Bridges"],
    "reviews": [
        {
            "rating": 1,
            "label": "Pants on Fire",
            "summary": "It opened in 1994.",
            "url": "https://facts.example/bridge",
            "published_at": "2024-06-01",
            "evidence": [{"url": "https://archive.example/1994", "title": "Opening"}],
        }
    ],
}

FULL_FACT = {
    "@type": "Organization",
    "name": "Full Fact",
    "url": "https://fullfact.org",
}


def claim_review(**changes) -> dict:
    """A ClaimReview as fact-checkers publish it (Google's Fact Check markup)."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://fullfact.org/economy/crime-halved/",
        "claimReviewed": "Crime fell by half last year",
        "author": FULL_FACT,
        "datePublished": "2024-03-05",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Misleading",
        },
        "reviewBody": "Recorded crime fell by 8%.",
        "itemReviewed": {"@type": "Claim", "author": {"name": "A minister"}},
    } | changes


def write_lines(path, *records) -> str:
    path.write_bytes(
        b"".join(
            (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n"
            for r in records
        )
    )
    return str(path)


def write_json(path, value) -> str:
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return str(path)


def run(*paths, user="editor", **options):
    """Run import_claims; (stdout, stderr, the CommandError or None)."""
    out, err = _Buffer(), _Buffer()
    try:
        call_command(
            "import_claims", *paths, user=user, stdout=out, stderr=err, **options
        )
    except CommandError as error:
        return out.value, err.value, error
    return out.value, err.value, None


def rows() -> tuple[int, ...]:
    """Every table an import writes, counted."""
    return (
        Claim.objects.count(),
        ClaimReview.objects.count(),
        Claim.history.count(),
        ClaimReview.history.count(),
        Tag.objects.count(),
        Claim.tags.through.objects.count(),
    )


# JSON Lines -----------------------------------------------------------------


def test_a_jsonl_claim_is_stored_with_its_published_review(tmp_path, editor):
    """The claim, its tags, and a published review with its label, URL, date,
    evidence; filed under the importing editor, credited to this service."""
    out, err, error = run(write_lines(tmp_path / "archive.jsonl", BRIDGE))
    assert error is None, err
    assert "claims: 1 created, 0 already present; reviews: 1 created" in out
    claim = Claim.objects.get()
    assert claim.text == "The bridge was built in 1990"
    assert claim.status == "published"
    assert claim.created_by == editor
    assert sorted(claim.tags.values_list("name", flat=True)) == [
        "Bridges",
        "Infrastructure",
    ]
    review = claim.reviews.get()
    assert (review.rating, review.label, review.rating_label) == (
        Rating.FALSE,
        "Pants on Fire",
        "Pants on Fire",
    )
    assert review.status == "published"
    assert review.published_at == datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    assert review.url == "https://facts.example/bridge"
    assert review.evidence == BRIDGE["reviews"][0]["evidence"]
    assert review.reviewer == editor
    assert (review.publisher_name, review.publisher_url) == ("", "")
    # Both kept their history, as a reviewer's own work does.
    assert claim.history.get().history_user == editor
    assert review.history.get().history_type == "+"


@pytest.mark.parametrize(
    ("rating", "label", "stored", "shown"),
    [
        ("unverifiable", "Unproven", (0, "Unproven"), "Unproven"),
        ("not_a_claim", "", (-1, ""), "Not a factual claim"),
        (5, "Correct", (5, "Correct"), "Correct"),
        # The scale's own name is not kept twice.
        (3, "mixed", (3, ""), "Mixed"),
    ],
)
def test_jsonl_ratings_and_labels(tmp_path, editor, rating, label, stored, shown):
    """1–5 or a name off the scale; a label of the publisher's own is kept."""
    review = {"rating": rating, "summary": "S"} | ({"label": label} if label else {})
    record = {"text": "Taxes rose", "reviews": [review]}
    _, err, error = run(write_lines(tmp_path / "a.jsonl", record))
    assert error is None, err
    stored_review = ClaimReview.objects.get()
    assert (stored_review.rating, stored_review.label) == stored
    assert stored_review.rating_label == shown


def test_claims_are_found_by_their_wording_case_and_spacing_aside(tmp_path, editor):
    """A stored claim gains the review, is published as its next version."""
    claim = services.claim_create(text="The bridge was built in 1990")
    before = claim.history.count()
    record = BRIDGE | {"text": "  the BRIDGE   was built in 1990 "}
    out, err, error = run(write_lines(tmp_path / "a.jsonl", record))
    assert error is None, err
    assert "claims: 0 created, 1 already present; reviews: 1 created" in out
    claim.refresh_from_db()
    assert Claim.objects.count() == 1
    assert claim.text == "The bridge was built in 1990"
    assert (claim.status, claim.version) == ("published", 2)
    assert claim.history.count() == before + 1
    assert claim.reviews.get().url == "https://facts.example/bridge"


def test_one_wording_twice_in_a_file_is_one_claim(tmp_path, editor):
    """The second record of a wording finds the claim the first created."""
    second = {
        "text": "the bridge was built in 1990",
        "reviews": [
            {"rating": 2, "summary": "Later review.", "url": "https://x.example/2"}
        ],
    }
    out, err, error = run(write_lines(tmp_path / "a.jsonl", BRIDGE, second))
    assert error is None, err
    assert "claims: 1 created, 1 already present; reviews: 2 created" in out
    assert Claim.objects.get().reviews.count() == 2


# schema.org ClaimReview JSON-LD ----------------------------------------------

SECOND = claim_review(
    url="https://fullfact.org/health/nurses/",
    claimReviewed="There are more nurses than ever",
    reviewRating={"@type": "Rating", "ratingValue": "5", "alternateName": "Correct"},
)

FORMS = {
    "object": claim_review(),
    "list": [claim_review(), SECOND],
    "@graph": {
        "@context": "https://schema.org",
        "@graph": [
            # The organisation is a node of its own, referred to by its @id.
            {"@id": "https://fullfact.org/#org"} | FULL_FACT,
            {"@type": "WebPage", "@id": "https://fullfact.org/economy/"},
            claim_review(author={"@id": "https://fullfact.org/#org"}),
            SECOND,
        ],
    },
    "DataFeed": {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [claim_review()]},
            SECOND,
        ],
    },
}


@pytest.mark.parametrize("form", FORMS)
def test_claimreview_json_ld_in_each_form(tmp_path, editor, form):
    """An object, a list, an @graph or a DataFeed: each ClaimReview published,
    credited to its author, at its own URL, its rating on our scale."""
    out, err, error = run(write_json(tmp_path / "feed.json", FORMS[form]))
    assert error is None, err
    review = ClaimReview.objects.get(claim__text="Crime fell by half last year")
    assert (review.rating, review.label) == (Rating.MOSTLY_FALSE, "Misleading")
    assert (review.publisher_name, review.publisher_url) == (
        "Full Fact",
        "https://fullfact.org",
    )
    assert review.url == "https://fullfact.org/economy/crime-halved/"
    assert review.summary == "Recorded crime fell by 8%."
    assert review.published_at.date() == datetime.date(2024, 3, 5)
    assert (review.status, review.claim.status) == ("published", "published")
    expected = 1 if form == "object" else 2
    assert ClaimReview.objects.count() == expected
    assert f"reviews: {expected} created" in out
    if form != "object":
        nurses = ClaimReview.objects.get(claim__text=SECOND["claimReviewed"])
        assert (nurses.rating, nurses.label) == (Rating.TRUE, "Correct")


@pytest.mark.parametrize(
    ("value", "worst", "best", "expected"),
    [
        (1, 1, 5, 1),
        (5, 1, 5, 5),
        (3, 1, 5, 3),
        (2, 1, 7, 2),  # 1.67
        (4, 1, 7, 3),
        (7.5, 0, 10, 4),
        (0, 0, 100, 1),
        (0.5, 0, 1, 3),
        (2.5, 1, 5, 3),  # halves up
        (1.375, 1, 3, 2),  # 1.75
        (1, 5, 1, 5),  # worstRating above bestRating: the scale read either way
        (4, 5, 1, 2),
    ],
)
def test_a_rating_is_mapped_linearly_onto_one_to_five(
    tmp_path, editor, value, worst, best, expected
):
    """ratingValue within worstRating..bestRating lands on 1..5, to the nearest."""
    rating = {"ratingValue": value, "worstRating": worst, "bestRating": best}
    _, err, error = run(
        write_json(tmp_path / "r.json", claim_review(reviewRating=rating))
    )
    assert error is None, err
    assert ClaimReview.objects.get().rating == expected


def test_numbers_as_strings_and_default_scale(tmp_path, editor):
    """ "4" on the default 1..5 scale is 4; the defaults are 1 and 5."""
    rating = {"@type": "Rating", "ratingValue": "4", "alternateName": "Mostly true"}
    _, err, error = run(
        write_json(tmp_path / "r.json", claim_review(reviewRating=rating))
    )
    assert error is None, err
    review = ClaimReview.objects.get()
    assert (review.rating, review.label) == (4, "")


def test_a_verdict_without_a_value_is_unverifiable_and_keeps_its_label(
    tmp_path, editor
):
    """No ratingValue: off any scale, so unverifiable, worded as published."""
    rating = {"@type": "Rating", "alternateName": "Missing context"}
    _, err, error = run(
        write_json(tmp_path / "r.json", claim_review(reviewRating=rating))
    )
    assert error is None, err
    review = ClaimReview.objects.get()
    assert (review.rating, review.label) == (Rating.UNVERIFIABLE, "Missing context")


def test_summary_citations_and_plain_author(tmp_path, editor):
    """No reviewBody: the headline; citations are the evidence; a bare author name."""
    review = claim_review(
        reviewBody=None,
        headline="Crime did not halve",
        author="PolitiFact",
        citation=[
            "https://ons.example/crime",
            {
                "@type": "CreativeWork",
                "url": "https://ons.example/b",
                "name": "Bulletin",
            },
        ],
    )
    _, err, error = run(write_json(tmp_path / "r.json", review))
    assert error is None, err
    stored = ClaimReview.objects.get()
    assert stored.summary == "Crime did not halve"
    assert (stored.publisher_name, stored.publisher_url) == ("PolitiFact", "")
    assert stored.evidence == [
        {"url": "https://ons.example/crime"},
        {"url": "https://ons.example/b", "title": "Bulletin"},
    ]


# Nothing twice --------------------------------------------------------------


def test_importing_again_creates_nothing(tmp_path, editor):
    """Both formats, imported twice: the second run finds every claim and review."""
    lines = write_lines(
        tmp_path / "a.jsonl",
        BRIDGE,
        # A review without a URL is known by its publisher, rating, label, summary.
        {"text": "Crime fell", "reviews": [{"rating": "unverifiable", "summary": "S"}]},
    )
    feed = write_json(tmp_path / "feed.json", FORMS["DataFeed"])
    _, err, error = run(lines, feed)
    assert error is None, err
    after_first = rows()
    out, err, error = run(lines, feed)
    assert error is None, err
    assert rows() == after_first
    assert (
        "claims: 0 created, 4 already present; reviews: 0 created, 4 already present"
        in out
    )


def test_a_review_at_a_stored_url_is_left_as_it_is(tmp_path, editor):
    """Re-published with another verdict at the same URL: present, unchanged."""
    run(write_json(tmp_path / "a.json", claim_review()))
    changed = claim_review(reviewRating={"ratingValue": 5, "alternateName": "True"})
    out, err, error = run(write_json(tmp_path / "b.json", changed))
    assert error is None, err
    assert "reviews: 0 created, 1 already present" in out
    assert ClaimReview.objects.get().rating == Rating.MOSTLY_FALSE


def test_a_new_rating_drops_the_publishers_label(tmp_path, editor):
    """Re-rated here, "Misleading" no longer names the verdict: the scale's does."""
    run(write_json(tmp_path / "a.json", claim_review()))
    review = ClaimReview.objects.get()
    services.claim_review_update(review=review, summary="Same verdict, new words.")
    review.refresh_from_db()
    assert review.rating_label == "Misleading"
    services.claim_review_update(review=review, rating=Rating.FALSE)
    review.refresh_from_db()
    assert (review.label, review.rating_label) == ("", "False")


# Bad input ------------------------------------------------------------------


def _fails(paths, *messages):
    before = rows()
    _, err, error = run(*paths)
    assert error is not None
    for message in messages:
        assert message in err, err
    assert rows() == before
    return err


def test_a_malformed_claimreview_is_named_by_its_line(tmp_path, editor):
    """No claimReviewed, no author, another type: each its line, nothing stored."""
    value = [
        claim_review(claimReviewed=None),
        claim_review(author=None),
        {"@type": "NewsArticle", "headline": "Not a review"},
        claim_review(reviewRating={"ratingValue": "four"}),
        claim_review(url=None),
    ]
    path = write_json(tmp_path / "bad.json", value)
    lines = [
        n + 1
        for n, line in enumerate(Path(path).read_text("utf-8").splitlines())
        if line.startswith("  {")
    ]
    _fails(
        [path],
        f"{path}:{lines[0]}: claimReviewed: missing; it is the claim's wording",
        f"{path}:{lines[1]}: author: missing or without a name",
        f"{path}:{lines[2]}: list item: expected a ClaimReview, not NewsArticle",
        f"{path}:{lines[3]}: reviewRating.ratingValue: 'four' is not a number",
        f"{path}:{lines[4]}: url: missing; it is the review's own page",
    )


def test_a_rating_outside_its_scale_is_refused(tmp_path, editor):
    """ratingValue 9 on 1..7, and a JSON Lines rating of 7: FILE:LINE each."""
    rating = {"ratingValue": 9, "worstRating": 1, "bestRating": 7}
    feed = write_json(tmp_path / "r.json", claim_review(reviewRating=rating))
    lines = write_lines(
        tmp_path / "r.jsonl",
        {"text": "Taxes rose", "reviews": [{"rating": 7, "summary": "S"}]},
    )
    _fails(
        [feed, lines],
        f"{feed}:1: reviewRating.ratingValue: 9 is outside its scale "
        "(worstRating 1, bestRating 7)",
        f"{lines}:1: reviews[0].rating: 7 is not a rating (expected 1 to 5, "
        "'unverifiable' or 'not_a_claim')",
    )


def test_a_claims_file_that_is_not_utf8_is_refused(tmp_path, editor):
    """A Latin-1 line in JSON Lines, a Latin-1 JSON-LD file: the line of the byte."""
    lines = tmp_path / "latin1.jsonl"
    lines.write_bytes(
        json.dumps(BRIDGE).encode()
        + b"\n"
        + '{"text": "Café prices rose"}\n'.encode("latin-1")
    )
    feed = tmp_path / "latin1.json"
    feed.write_bytes(
        json.dumps(
            claim_review(claimReviewed="Café"), indent=2, ensure_ascii=False
        ).encode("latin-1")
    )
    line_of_byte = (
        feed.read_bytes()[: feed.read_bytes().index(b"\xe9")].count(b"\n") + 1
    )
    before = rows()
    _, err, error = run(str(lines), str(feed))
    assert error is not None
    assert f"{lines}:2: not UTF-8 (byte 0xe9)" in err
    assert f"{feed}:{line_of_byte}: not UTF-8 (byte 0xe9)" in err
    # The good line of the first file is stored; nothing of the bad ones.
    assert Claim.objects.get().text == BRIDGE["text"]
    assert rows()[1] == before[1] + 1


def test_malformed_json_and_unknown_keys(tmp_path, editor):
    """Broken JSON names its line and column; a key DESIGN.md lacks is refused."""
    lines = write_lines(
        tmp_path / "a.jsonl",
        b'{"text": "Taxes rose",',
        {"text": "Taxes rose", "verdict": "false"},
        {"text": "Taxes rose", "reviews": [{"rating": 1}]},
    )
    feed = tmp_path / "b.json"
    feed.write_text('[\n  {"@type": "ClaimReview",\n  "url": }\n]\n')
    _fails(
        [lines, str(feed)],
        f"{lines}:1: malformed JSON: Expecting property name enclosed in double "
        "quotes at column 23",
        f"{lines}:2: claim: unknown key verdict (allowed: reviews, tags, text)",
        f"{lines}:3: reviews[0]: missing summary",
        f"{feed}:3: malformed JSON: Expecting value at column 10",
    )


def test_a_record_is_stored_whole_or_not_at_all(tmp_path, editor):
    """A second review that is wrong fails its record: no claim, no first review;
    the records around it load."""
    bad = {
        "text": "Taxes rose",
        "tags": ["Tax"],
        "reviews": [
            {"rating": 2, "summary": "Fine.", "url": "https://facts.example/tax"},
            {"rating": 2, "summary": "Bad.", "url": "not a url"},
        ],
    }
    other = {"text": "Wages fell", "reviews": [{"rating": 4, "summary": "Yes."}]}
    path = write_lines(tmp_path / "a.jsonl", BRIDGE, bad, other)
    _, err, error = run(path)
    assert f"{path}:2: reviews[1]: url: Enter a valid URL." in err
    assert "1 failed" in str(error)
    assert sorted(Claim.objects.values_list("text", flat=True)) == [
        "The bridge was built in 1990",
        "Wages fell",
    ]
    assert not Tag.objects.filter(name="Tax").exists()
    assert ClaimReview.objects.count() == 2


def test_a_bad_tag_fails_its_record(tmp_path, editor):
    """A tag too long for its field is named; the record is not stored."""
    path = write_lines(tmp_path / "a.jsonl", BRIDGE | {"tags": ["x" * 101]})
    _fails([path], f"{path}:1: tags: “{'x' * 40}”: Ensure this value has at most")


def test_a_nul_character_is_refused_on_both_databases(tmp_path, editor):
    """PostgreSQL's text cannot hold NUL: refused, and named, everywhere."""
    nul = {"text": "Taxes rose", "reviews": [{"rating": 1, "summary": "a\u0000b"}]}
    path = write_lines(tmp_path / "a.jsonl", nul)
    _fails([path], f"{path}:1: reviews[0]: summary: Null characters are not allowed.")


@pytest.mark.postgres
def test_a_value_the_database_refuses_fails_only_its_record(tmp_path, editor):
    """A NUL escape in evidence (PostgreSQL's jsonb refuses it): the batch is
    retried one record at a time, and only that record fails."""
    link = {"url": "https://e.example/", "title": "a\u0000b"}
    nul = {
        "text": "Taxes rose",
        "reviews": [{"rating": 1, "summary": "S", "evidence": [link]}],
    }
    path = write_lines(tmp_path / "a.jsonl", BRIDGE, nul, _claims(1)[0])
    _, err, error = run(path)
    assert error is not None
    assert f"{path}:2: the database refused a value" in err
    assert sorted(Claim.objects.values_list("text", flat=True)) == [
        "Claim number 0",
        BRIDGE["text"],
    ]
    assert ClaimReview.objects.count() == ClaimReview.history.count() == 2


def test_the_importer_must_be_an_editor(tmp_path, reviewer):
    """Imported reviews are published at once: an editor's to do; named clearly."""
    path = write_lines(tmp_path / "a.jsonl", BRIDGE)
    for user, message in [
        ("reviewer", "--user: 'reviewer' is not an editor"),
        ("nobody", "--user: no user named 'nobody'"),
    ]:
        _, _, error = run(path, user=user)
        assert message in str(error)
    assert rows()[:2] == (0, 0)


def test_the_service_needs_a_reviewer_of_record():
    """claims_import without an importer refuses before it writes."""
    from django.core.exceptions import ValidationError

    record = claim_records.claim_record(BRIDGE)
    with pytest.raises(ValidationError, match="reviewer of record"):
        claims_import(records=[("x:1", record)], created_by=None)
    assert rows()[:2] == (0, 0)


# Credit ---------------------------------------------------------------------


def test_an_imported_review_is_credited_to_its_publisher(tmp_path, editor, client):
    """Export and public page: author and url are the original's; the service's
    own reviews beside it keep its own."""
    run(write_json(tmp_path / "a.json", claim_review()))
    claim = Claim.objects.get()
    own = services.claim_review_create(
        claim=claim, reviewer=editor, rating=2, summary="We agree."
    )
    services.claim_review_publish(review=own)
    out = tmp_path / "reviews.json"
    call_command(
        "export_documents", "--format", "claimreview", "-o", str(out), stderr=_Buffer()
    )
    imported, ours = json.loads(out.read_text("utf-8"))
    assert imported["url"] == imported["@id"] == claim_review()["url"]
    assert imported["author"] == FULL_FACT
    assert imported["reviewRating"]["alternateName"] == "Misleading"
    assert imported["reviewRating"]["ratingValue"] == 2
    assert ours["author"] == claimreview.publisher()
    assert ours["url"].endswith(f"/claims/{claim.pk}/#review-{own.pk}")
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert (
        'Fact check by <a href="https://fullfact.org" rel="nofollow noopener">'
        "Full Fact</a>" in page
    )
    assert f'<a class="original" href="{claim_review()["url"]}"' in page
    assert 'Rating: <span class="rating">Misleading</span>' in page
    assert 'Fact check by <a href="http://127.0.0.1:8000"' in page


def test_the_api_shows_who_published_a_review(tmp_path, editor, client):
    """The review's publisher, URL and label are read-only fields of the API."""
    run(write_json(tmp_path / "a.json", claim_review()))
    client.force_login(editor)
    (review,) = client.get("/api/claim-reviews/").json()["results"]
    assert review["publisher_name"] == "Full Fact"
    assert review["url"] == claim_review()["url"]
    assert review["rating_label"] == "Misleading"


# Batches and progress -------------------------------------------------------


def _claims(count: int, start: int = 0):
    return [
        {
            "text": f"Claim number {n}",
            "tags": ["archive", f"tag {n % 3}"],
            "reviews": [
                {"rating": 1 + n % 5, "summary": "S", "url": f"https://f.example/{n}"}
            ],
        }
        for n in range(start, start + count)
    ]


def test_a_batch_takes_the_same_queries_however_many_claims(
    tmp_path, editor, django_assert_max_num_queries, django_assert_num_queries
):
    """Three claims or thirty: the same statements to the database."""
    few = write_lines(tmp_path / "few.jsonl", *_claims(3))
    with django_assert_max_num_queries(100) as captured:
        _, err, error = run(few)
    assert error is None, err
    # The editor, the stored claims, then the writes: counted, not blind.
    assert len(captured.captured_queries) >= 10
    # New tags cost two queries more than known ones: new ones both times.
    Tag.objects.all().delete()
    many = write_lines(tmp_path / "many.jsonl", *_claims(30, start=100))
    with django_assert_num_queries(len(captured.captured_queries)):
        _, err, error = run(many)
    assert error is None, err
    assert Claim.objects.count() == 33
    assert Claim.history.count() == ClaimReview.history.count() == 33


def test_batches_commit_in_turn_and_count_alike(tmp_path, editor, monkeypatch):
    """With batches of two, five claims load in three, counted once each."""
    monkeypatch.setattr(import_claims, "BATCH", 2)
    path = write_lines(tmp_path / "a.jsonl", *_claims(5))
    out, err, error = run(path)
    assert error is None, err
    assert "claims: 5 created, 0 already present; reviews: 5 created" in out
    assert Claim.objects.filter(status="published").count() == 5


def test_progress_is_shown(tmp_path, editor, monkeypatch):
    """The bar counts bytes of JSON Lines and ClaimReviews of JSON-LD."""
    shown = io.StringIO()

    def bar(*args, **kwargs):
        return tqdm(
            *args, **kwargs | {"disable": False, "file": shown, "mininterval": 0}
        )

    from claims.management import lines as line_reading

    monkeypatch.setattr(import_claims, "tqdm", bar)  # JSON-LD's bar
    monkeypatch.setattr(line_reading, "tqdm", bar)  # JSON Lines' bar
    lines = write_lines(tmp_path / "a.jsonl", *_claims(3))
    feed = write_json(tmp_path / "b.json", FORMS["list"])
    _, err, error = run(lines, feed)
    assert error is None, err
    size = (tmp_path / "a.jsonl").stat().st_size
    assert "a.jsonl: 100%" in shown.getvalue()
    assert f"{size}/{size}" in shown.getvalue()
    assert "3 claims created" in shown.getvalue()
    assert "b.json: 100%" in shown.getvalue()
    assert "2/2" in shown.getvalue()


# The formats alone -----------------------------------------------------------


def test_the_plain_rating_names_match_the_model():
    """claim_records' scale, kept Django-free, is the model's Rating."""
    assert (claim_records.WORST, claim_records.BEST) == (Rating.FALSE, Rating.TRUE)
    assert claim_records.RATING_NAMES == {
        "unverifiable": Rating.UNVERIFIABLE,
        "not_a_claim": Rating.NOT_A_CLAIM,
    }


def test_claim_reviews_are_found_in_nested_feeds():
    """A DataFeedItem holding a list, inside a DataFeed inside an @graph."""
    inner = claim_review()
    value = {
        "@graph": [
            {
                "@type": "DataFeed",
                "dataFeedElement": [{"@type": "DataFeedItem", "item": inner}],
            }
        ]
    }
    assert list(claimreview_import.claim_reviews_in(value)) == [(inner, None)]
    (record_review,) = claimreview_import.claim_record(inner).reviews
    assert record_review.publisher_name == "Full Fact"
    assert (
        claimreview_import.claim_record(
            claim_review(**{"@type": "schema:ClaimReview"})
        ).text
        == "Crime fell by half last year"
    )
