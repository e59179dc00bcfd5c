"""Agreement between annotators, checked against figures worked out by hand."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from claims import services
from claims.agreement import agreement

# Two annotators, four units: A says a, a, b, b; B says a, b, b, b.
# Values: a three times, b five (n = 8). Coincidences: o(a,a) = 2 (unit 1),
# o(a,b) = o(b,a) = 1 (unit 2), o(b,b) = 2 + 2 (units 3, 4).
# Nominal α = 1 - (n - 1) * Σ o(c,k≠c) / Σ n_c n_k≠c = 1 - 7 * 2 / (2 * 3 * 5)
# = 16/30. Percent: units 1, 3 and 4 agree, 3/4.
BY_HAND = {
    1: {"A": "a", "B": "a"},
    2: {"A": "a", "B": "b"},
    3: {"A": "b", "B": "b"},
    4: {"A": "b", "B": "b"},
}


def test_alpha_and_percent_as_worked_out_by_hand():
    result = agreement(BY_HAND, ["A", "B"])
    assert result.alpha == pytest.approx(16 / 30)
    assert result.percent == 0.75
    assert result.units == 4


def test_a_unit_coded_once_counts_for_nothing():
    """A missing value: unit 5 (A alone) changes neither figure."""
    result = agreement({**BY_HAND, 5: {"A": "a"}}, ["A", "B"])
    assert (result.alpha, result.percent, result.units) == (
        pytest.approx(16 / 30),
        0.75,
        4,
    )


def test_three_annotators_by_hand():
    """A: x x; B: x y; C: x y. n = 6 (x 4, y 2). Unit 1: o(x,x) = 3 * 2 / 2 = 3;
    unit 2 (x, y, y): o(y,y) = 2 / 2 = 1, o(x,y) = o(y,x) = 2 / 2 = 1.
    α = 1 - 5 * 2 / (2 * 4 * 2) = 1 - 10/16 = 0.375; percent 1/2."""
    units = {1: {"A": "x", "B": "x", "C": "x"}, 2: {"A": "x", "B": "y", "C": "y"}}
    result = agreement(units, ["A", "B", "C"])
    assert result.alpha == pytest.approx(0.375)
    assert result.percent == 0.5


def test_one_category_only_leaves_alpha_undefined_with_its_reason():
    result = agreement({1: {"A": "a", "B": "a"}, 2: {"A": "a", "B": "a"}}, ["A", "B"])
    assert (result.alpha, result.percent, result.units) == (None, 1.0, 2)
    assert "one category only" in result.reason


def test_one_annotator_leaves_alpha_undefined_with_its_reason():
    result = agreement({1: {"A": "a"}}, ["A"])
    assert (result.alpha, result.percent) == (None, None)
    assert "one annotator" in result.reason


# Through the API -------------------------------------------------------------


@pytest.fixture
def annotated(reviewer, editor):
    """Two statements, each attributed by both annotators.

    Statement 1: both indirect, source Ana; cues differ ([9, 13) and none).
    Statement 2: reviewer author, editor indirect (Ana); spans none and none.
    Claims: reviewer links claim "rain" to statement 1, editor does too, and
    editor alone links "sun" to statement 2.
    """
    document = services.document_ingest(
        title="Weather", text="Ana said rain comes. Sun is out, Ana said."
    )
    services.documents_assign(
        documents=[document], reviewers=[reviewer, editor], assigned_by=editor
    )
    first, second = document.statements.all()
    ana = services.source_create(name="Ana")
    services.attribution_create(
        statement=first, kind="indirect", source=ana, cue=(4, 8), created_by=reviewer
    )
    services.attribution_create(
        statement=first, kind="indirect", source=ana, created_by=editor
    )
    services.attribution_create(statement=second, kind="author", created_by=reviewer)
    services.attribution_create(
        statement=second, kind="indirect", source=ana, created_by=editor
    )
    rain = services.claim_create(text="Rain comes")
    sun = services.claim_create(text="The sun is out")
    services.claim_mention_create(claim=rain, statement=first, created_by=reviewer)
    # Two annotators' links to one claim need the independent mode's rows;
    # here the editor's is on another claim, and the rain link is one row.
    services.claim_mention_create(claim=sun, statement=second, created_by=editor)
    return document


def test_the_endpoint_answers_each_attribute(
    annotated, reviewer, django_assert_num_queries
):
    client = APIClient()
    client.force_authenticate(reviewer)
    with django_assert_num_queries(3):
        answer = client.get(f"/api/agreement/?document={annotated.pk}").json()
    assert answer["documents"] == [annotated.pk]
    assert answer["annotators"] == ["editor", "reviewer"]
    attributes = answer["attributes"]
    # Kind: (indirect, indirect), (author, indirect): α by hand with n = 4,
    # indirect 3, author 1; o(a,i) = o(i,a) = 1: α = 1 - 3 * 2 / (2 * 3 * 1) = 0.
    assert attributes["kind"] == {"alpha": 0.0, "percent": 0.5, "units": 2}
    # Source: (Ana, Ana), (none, Ana): the same figures.
    assert attributes["source"] == {"alpha": 0.0, "percent": 0.5, "units": 2}
    # Source span: none everywhere, one category.
    assert attributes["source_span"]["alpha"] is None
    assert attributes["source_span"]["percent"] == 1.0
    assert "one category only" in attributes["source_span"]["reason"]
    # Cue: ([4, 8), none), (none, none): n = 4, none 3, span 1: α = 0.
    assert attributes["cue"] == {"alpha": 0.0, "percent": 0.5, "units": 2}
    # Claims: (rain, st 1): reviewer yes, editor no; (sun, st 2): editor yes,
    # reviewer no. Never agreeing, yes 2 and no 2: α = 1 - 3 * 4 / (2 * 2 * 2).
    assert attributes["claims"]["percent"] == 0.0
    assert attributes["claims"]["alpha"] == pytest.approx(1 - 12 / 8)


def test_documents_with_one_annotator_answer_alpha_null_with_the_reason(
    reviewer, editor
):
    """Not an error: every attribute says why there is no figure."""
    document = services.document_ingest(title="Solo", text="It rained.")
    services.documents_assign(
        documents=[document], reviewers=[reviewer], assigned_by=editor
    )
    services.attribution_create(
        statement=document.statements.get(), kind="author", created_by=reviewer
    )
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get(f"/api/agreement/?document={document.pk}")
    assert response.status_code == 200
    for figures in response.json()["attributes"].values():
        assert figures["alpha"] is None
        assert "one annotator" in figures["reason"]


def test_a_set_of_documents_by_the_documents_filters(annotated, reviewer):
    """By tag, by assignee; an unknown filter value is a 400."""
    other = services.document_ingest(title="Other", text="Nothing here.", tags=["x"])
    client = APIClient()
    client.force_authenticate(reviewer)
    mine = client.get("/api/agreement/?assigned_to=reviewer").json()
    assert mine["documents"] == [annotated.pk]
    tagged = client.get("/api/agreement/?tag=x").json()
    assert (tagged["documents"], tagged["annotators"]) == ([], [])
    assert "no annotators" in tagged["attributes"]["kind"]["reason"]
    assert other.pk not in mine["documents"]
    assert client.get("/api/agreement/?review_state=soon").status_code == 400


def test_the_admin_agreement_page(annotated, reviewer, django_assert_num_queries):
    """The same figures as the API, for the documents the filters choose."""
    client = Client()
    client.force_login(reviewer)
    path = f"/admin/claims/document/agreement/?document={annotated.pk}"
    client.get(path)
    # Session, user, groups, the three of agreement_units, the admin menu's
    # two permission reads.
    with django_assert_num_queries(8):
        page = client.get(path)
    assert page.context["answer"]["attributes"]["kind"]["alpha"] == 0.0
    text = page.content.decode()
    assert "undefined: one category only" in text
    assert "50%" in text
