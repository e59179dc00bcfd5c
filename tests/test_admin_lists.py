"""The admin's document and source lists: their counts, in queries that do
not grow with the page."""

import pytest

from claims import services
from claims.models import Attribution, Document, Source

pytestmark = pytest.mark.django_db


def _documents(count: int, source: Source) -> None:
    for i in range(count):
        document = services.document_ingest(
            title=f"Strike {i}",
            text=f"Dock workers walked out on day {i}. The union said it would last.",
        )
        first, second = document.statements.order_by("index")
        services.attribution_create(statement=first, kind="author")
        services.attribution_create(
            statement=second, kind="indirect", source=source, origin="suggested"
        )
        rejected = services.attribution_create(
            statement=second, kind="direct", source=source
        )
        services.attribution_reject(attribution=rejected)


def _changelist(client, user, name: str, django_assert_num_queries, queries: int):
    client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(f"/admin/claims/{name}/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("documents", [2, 6])
def test_the_document_list_counts_each_documents_review(
    client, editor, documents, django_assert_num_queries
):
    """Statements, attributed, accepted and waiting, and the review state (its
    assignments, one query): per row, a fixed number of queries whatever the
    number of rows."""
    union = services.source_create(name="Dockers’ Union", kind="organization")
    _documents(documents, union)
    response = _changelist(client, editor, "document", django_assert_num_queries, 13)
    rows = {
        (d.title, d.statement_count, d.attributed_count, d.accepted_count,
         d.waiting_count)
        for d in response.context["cl"].result_list
    }  # fmt: skip
    assert rows == {(f"Strike {i}", 2, 2, 1, 1) for i in range(documents)}
    assert Document.objects.count() == documents


@pytest.mark.parametrize("documents", [2, 6])
def test_the_source_list_counts_attributions_by_kind(
    client, editor, documents, django_assert_num_queries
):
    """Each kind's attributions of a source, rejected ones included, in a fixed
    number of queries."""
    union = services.source_create(name="Dockers’ Union", kind="organization")
    _documents(documents, union)
    response = _changelist(client, editor, "source", django_assert_num_queries, 8)
    row = next(s for s in response.context["cl"].result_list if s.pk == union.pk)
    assert (row.direct_count, row.indirect_count, row.mixed_count) == (
        documents, documents, 0,
    )  # fmt: skip
    assert Attribution.objects.filter(source=union).count() == 2 * documents
