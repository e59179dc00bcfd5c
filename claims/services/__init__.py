"""Every write that has rules, one function each: the admin, the API and the
management commands call these and never write the models themselves.

Each service takes keyword arguments, validates before it writes, and runs in
one transaction: a ``ValidationError`` leaves the database as it was. Updates
of versioned objects take the ``expected_version`` the caller last read and
raise ``VersionConflict`` when someone else has written since.
"""

from claims.services.adjudication import (
    AdjudicationOutcome,
    document_accept_agreeing,
    statement_adjudicate,
    statement_claim_adjudicate,
)
from claims.services.annotations import (
    annotation_create,
    annotation_delete,
    annotation_target,
    annotation_update,
)
from claims.services.assignments import (
    assignment_set_state,
    document_assignments_set,
    documents_assign,
)
from claims.services.attributions import (
    attribution_accept,
    attribution_bulk_create,
    attribution_create,
    attribution_delete,
    attribution_draft,
    attribution_reject,
    attribution_update,
    attributions_store,
    initial_status,
)
from claims.services.claim_imports import ClaimImportOutcome, claims_import
from claims.services.claims import (
    claim_create,
    claim_delete,
    claim_get_or_create,
    claim_review_create,
    claim_review_delete,
    claim_review_publish,
    claim_review_update,
    claim_update,
    proposed_claims_store,
)
from claims.services.common import UNSET, VersionConflict, tags_get_or_create
from claims.services.documents import (
    DocumentDraft,
    DuplicateDocumentError,
    check_statement_spans,
    content_hash,
    document_delete,
    document_draft,
    document_ingest,
    document_store,
    document_update,
    documents_ingest,
    documents_store,
    normalize_text,
)
from claims.services.history import history_start
from claims.services.imports import ImportOutcome, document_import, documents_import
from claims.services.independent import document_independent_annotation_set
from claims.services.mentions import (
    DuplicateMention,
    claim_mention_accept,
    claim_mention_create,
    claim_mention_delete,
    claim_mention_reject,
    claim_mentions_store,
    mention_between,
)
from claims.services.sources import (
    proposed_sources_store,
    source_add_alias,
    source_create,
    source_delete,
    source_get_or_create,
    source_merge,
    source_update,
)
from claims.services.suggestions import (
    SuggestionReport,
    claim_match,
    document_suggest,
    documents_suggest,
    documents_suggest_each,
)
from claims.services.tokens import token_create, token_revoke
from claims.services.users import user_get_or_create

__all__ = [
    "UNSET",
    "AdjudicationOutcome",
    "ClaimImportOutcome",
    "DocumentDraft",
    "DuplicateDocumentError",
    "DuplicateMention",
    "ImportOutcome",
    "SuggestionReport",
    "VersionConflict",
    "annotation_create",
    "annotation_delete",
    "annotation_target",
    "annotation_update",
    "assignment_set_state",
    "attribution_accept",
    "attribution_bulk_create",
    "attribution_create",
    "attribution_delete",
    "attribution_draft",
    "attribution_reject",
    "attribution_update",
    "attributions_store",
    "check_statement_spans",
    "claim_create",
    "claim_delete",
    "claim_get_or_create",
    "claim_match",
    "claim_mention_accept",
    "claim_mention_create",
    "claim_mention_delete",
    "claim_mention_reject",
    "claim_mentions_store",
    "claim_review_create",
    "claim_review_delete",
    "claim_review_publish",
    "claim_review_update",
    "claim_update",
    "claims_import",
    "content_hash",
    "document_accept_agreeing",
    "document_assignments_set",
    "document_delete",
    "document_draft",
    "document_import",
    "document_independent_annotation_set",
    "document_ingest",
    "document_store",
    "document_suggest",
    "document_update",
    "documents_assign",
    "documents_import",
    "documents_ingest",
    "documents_store",
    "documents_suggest",
    "documents_suggest_each",
    "history_start",
    "initial_status",
    "mention_between",
    "normalize_text",
    "proposed_claims_store",
    "proposed_sources_store",
    "source_add_alias",
    "source_create",
    "source_delete",
    "source_get_or_create",
    "source_merge",
    "source_update",
    "statement_adjudicate",
    "statement_claim_adjudicate",
    "tags_get_or_create",
    "token_create",
    "token_revoke",
    "user_get_or_create",
]
