"""The small reads that commands, roles and API actions make through
``claims.selectors``: what each answers, in the queries pinned."""

import pytest

from claims import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_documents():
    return [
        services.document_ingest(title=f"Report {n}", text=f"Prices rose {n}%.")
        for n in range(2)
    ]


def test_counting_documents_is_one_query(two_documents, django_assert_num_queries):
    """An export's progress bar counts the documents in one query."""
    with django_assert_num_queries(1):
        assert selectors.document_count() == 2


def test_demo_data_asks_once_whether_any_document_exists(
    two_documents, django_assert_num_queries
):
    """True once a document is stored, in one query (false before)."""
    with django_assert_num_queries(1):
        assert selectors.any_documents()
    services.document_delete(document=two_documents[0])
    services.document_delete(document=two_documents[1])
    with django_assert_num_queries(1):
        assert not selectors.any_documents()


def test_claims_for_embedding_read_id_and_text_in_id_order(
    django_assert_num_queries,
):
    """Every claim, proposed ones too, in id order; the text is there without
    a further query."""
    made = [
        services.claim_create(text="Prices rose"),
        services.claim_create(text="Wages fell", proposed=True),
    ]
    with django_assert_num_queries(1):
        found = [(claim.pk, claim.text) for claim in selectors.claims_for_embedding()]
    assert found == [(claim.pk, claim.text) for claim in made]


def test_a_user_is_found_by_name_or_not_at_all(reviewer, django_assert_num_queries):
    """A command's ``--user``: the user of that name, or None."""
    with django_assert_num_queries(1):
        assert selectors.user_by_username("reviewer") == reviewer
    with django_assert_num_queries(1):
        assert selectors.user_by_username("nobody") is None


def test_a_users_roles_are_read_in_one_query(
    editor, reviewer, django_assert_num_queries
):
    """Group names, which claims.roles asks for once per request."""
    with django_assert_num_queries(1):
        assert selectors.group_names(editor) == {"editor"}
    with django_assert_num_queries(1):
        assert selectors.group_names(reviewer) == {"reviewer"}


def test_actions_read_the_bare_row_in_one_query(
    two_documents, django_assert_num_queries
):
    """suggest and similar-claims find their document or statement by id,
    one query each."""
    document = two_documents[1]
    statement = document.statements.get()
    with django_assert_num_queries(1):
        assert selectors.documents_unjoined().get(pk=document.pk) == document
    with django_assert_num_queries(1):
        found = selectors.statements_text_only().get(pk=statement.pk)
        assert found.text == "Prices rose 1%."


def test_a_write_names_any_row_by_id_in_one_query(
    two_documents, django_assert_num_queries
):
    """The API's related fields look up a source, statement or claim once."""
    source = services.source_create(name="The Daily")
    statement = two_documents[0].statements.get()
    claim = services.claim_create(text="Prices rose", proposed=True)
    for choices, row in [
        (selectors.source_choices(), source),
        (selectors.statement_choices(), statement),
        (selectors.claim_choices(), claim),
    ]:
        with django_assert_num_queries(1):
            assert choices.get(pk=row.pk) == row
