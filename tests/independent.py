"""Documents in independent annotation, and an annotator's work on them that
the other annotators may not see yet, for the tests of who sees what."""

from claims import services
from claims.models import Document

TEXT = "Ana said rain comes. Sun is out, Ana said."
BROUGHT_IN = "Rain will flood the valley by Friday"


def independent_document(*, reviewers, editor, suggestion: bool = True) -> Document:
    """Two statements (with, if ``suggestion``, an indirect attribution to
    Ana waiting on the first, which each annotator gets a copy of),
    assigned to ``reviewers`` and marked for independent annotation."""
    document = services.document_ingest(title="Weather", text=TEXT)
    if suggestion:
        services.attribution_create(
            statement=document.statements.order_by("index").first(),
            kind="indirect",
            source_name="Ana",
            origin="suggested",
            confidence=0.5,
        )
    services.documents_assign(
        documents=[document], reviewers=reviewers, assigned_by=editor
    )
    services.document_independent_annotation_set(
        document=document, independent_annotation=True, changed_by=editor
    )
    return Document.objects.get(pk=document.pk)


def hidden_work(document: Document, *, annotator, editor, kind: str) -> dict:
    """On the document's first statement, ``annotator`` names a new source
    ("Zed Ministry", as ``kind``) and a new claim (``BROUGHT_IN``), and links
    an ordinary claim ``editor`` made beforehand ("Ordinary")."""
    first = document.statements.order_by("index")[0]
    ordinary = services.claim_create(text="Ordinary", created_by=editor)
    attribution = services.attribution_create(
        statement=first, kind=kind, source_name="Zed Ministry", created_by=annotator
    )
    claim = services.claim_get_or_create(text=BROUGHT_IN, created_by=annotator)
    services.claim_mention_create(claim=claim, statement=first, created_by=annotator)
    services.claim_mention_create(claim=ordinary, statement=first, created_by=annotator)
    return {
        "document": Document.objects.get(pk=document.pk),
        "statement": first,
        "claim": claim,
        "ordinary": ordinary,
        "source": attribution.source,
        "attribution": attribution,
    }
