"""Adjudication of a document's independent annotation (editors):
``/api/documents/{id}/adjudication/`` and its ``accept-agreeing/``."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import roles, selectors, services
from claims.api.serializers.adjudication import (
    EDIT_FIELDS,
    AdjudicateSerializer,
    AdjudicationOutcomeSerializer,
    AdjudicationSerializer,
)
from claims.models import Attribution, ClaimMention

ROWS_EXAMPLE = OpenApiExample(
    "Two annotators differ on one statement",
    value={
        "document": 4,
        "annotators": ["rosa", "sam"],
        "waiting_for": [],
        "agreeing": {"statements": 3, "claims": 1},
        "statements": [
            {
                "id": 31,
                "index": 1,
                "start": 21,
                "end": 43,
                "text": "Sun is out, Ana said.",
                "attributions_agree": False,
                "annotators": [
                    {
                        "annotator": "rosa",
                        "attributions": [
                            {
                                "id": 90,
                                "kind": "indirect",
                                "source": {"id": 2, "name": "Ana", "kind": "person"},
                                "source_span": {"start": 33, "end": 36},
                                "cue": {"start": 37, "end": 41},
                                "content": None,
                                "via": None,
                                "primary_source_url": "",
                                "origin": "manual",
                                "status": "suggested",
                                "confidence": None,
                                "created_by": "rosa",
                                "reviewed_by": None,
                                "reviewed_at": None,
                                "version": 1,
                            }
                        ],
                    },
                    {"annotator": "sam", "attributions": []},
                ],
                "claims": [
                    {
                        "claim": {"id": 7, "text": "The sun is out"},
                        "linked_by": ["sam"],
                        "not_linked_by": ["rosa"],
                    }
                ],
            }
        ],
    },
    response_only=True,
)
OUTCOME_EXAMPLE = OpenApiExample(
    "Rosa's attribution taken",
    value={
        "attributions": {"accepted": [90], "rejected": [91, 77]},
        "claim_mentions": {"accepted": [], "rejected": []},
    },
    response_only=True,
)


def outcome_answer(outcome: services.AdjudicationOutcome) -> dict:
    return {
        "attributions": outcome.ids(Attribution),
        "claim_mentions": outcome.ids(ClaimMention),
    }


class AdjudicationMixin:
    """The document viewset's adjudication actions (``editor_actions``)."""

    def _editor_document(self, request):
        # A GET passes RolePermission as a read; this one is an editor's.
        if not roles.is_editor(request.user):
            raise exceptions.PermissionDenied(
                "Only editors adjudicate independent annotation."
            )
        return self.get_object()

    @extend_schema(
        methods=["GET"],
        responses={200: AdjudicationSerializer},
        examples=[ROWS_EXAMPLE],
        description="What waits for adjudication on a document marked for "
        "independent annotation (editors): each statement where the annotators "
        "differ, with each annotator's attributions side by side and the claim "
        "links only some of them made, and how many statements and links they "
        "all agree on. `waiting_for` names the annotators not done yet.",
    )
    @extend_schema(
        methods=["POST"],
        request=AdjudicateSerializer,
        responses={200: AdjudicationOutcomeSerializer},
        examples=[
            OpenApiExample(
                "Take one annotator's attribution",
                value={"statement": 31, "attribution": 90},
                request_only=True,
            ),
            OpenApiExample(
                "Write the final attribution",
                value={
                    "statement": 31,
                    "kind": "indirect",
                    "source_name": "Ana",
                    "source_span": {"start": 33, "end": 36},
                    "cue": {"start": 37, "end": 41},
                },
                request_only=True,
            ),
            OpenApiExample(
                "Decide a claim link",
                value={"statement": 31, "claim": 7, "linked": True},
                request_only=True,
            ),
            OUTCOME_EXAMPLE,
        ],
        description="Adjudicate one statement (editors): take one annotator's "
        "attribution (`attribution`) or write the final one (`kind`, `source_id` "
        "or `source_name`, spans, `via_id` or `via_name`, `primary_source_url`), "
        "which is accepted with `reviewed_by` the editor; the statement's other "
        "annotators' attributions and waiting suggestions are rejected and "
        "kept. Or decide a claim link (`claim`, `linked`). A statement of "
        "another document, a document not marked, annotators not all done, "
        "nothing waiting: 400, nothing changed; a reviewer: 403.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        pagination_class=None,
    )
    def adjudication(self, request, pk=None):
        document = self._editor_document(request)
        if request.method == "GET":
            rows = selectors.adjudication_rows(document)
            answer = {
                "document": document.pk,
                "annotators": rows.annotators,
                "waiting_for": rows.waiting_for,
                "agreeing": {
                    "statements": len(rows.agreeing_attributions),
                    "claims": len(rows.agreeing_mentions),
                },
                "differing": rows.differing,
            }
            return Response(AdjudicationSerializer(answer).data)
        body = AdjudicateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        statement, attribution, claim = selectors.adjudication_targets(
            document.pk, data["statement"], data.get("attribution"), data.get("claim")
        )
        if statement is None:
            raise exceptions.ValidationError(
                {
                    "statement": [
                        f"Document {document.pk} has no statement {data['statement']}."
                    ]
                }
            )
        if "attribution" in data and attribution is None:
            raise exceptions.ValidationError(
                {
                    "attribution": [
                        f"Statement {statement.pk} has no attribution "
                        f"{data['attribution']}."
                    ]
                }
            )
        if "claim" in data and claim is None:
            raise exceptions.ValidationError(
                {"claim": [f"There is no claim {data['claim']}."]}
            )
        if claim is not None:
            outcome = services.statement_claim_adjudicate(
                statement=statement,
                claim=claim,
                linked=data["linked"],
                adjudicated_by=request.user,
            )
        elif attribution is not None:
            outcome = services.statement_adjudicate(
                statement=statement, chosen=attribution, adjudicated_by=request.user
            )
        else:
            edit = {name: data[name] for name in EDIT_FIELDS if name in data}
            outcome = services.statement_adjudicate(
                statement=statement, edit=edit, adjudicated_by=request.user
            )
        return Response(outcome_answer(outcome))

    @extend_schema(
        request=None,
        responses={200: AdjudicationOutcomeSerializer},
        examples=[
            OpenApiExample(
                "Two statements and a link accepted",
                value={
                    "attributions": {
                        "accepted": [90, 93, 95],
                        "rejected": [91, 94, 96],
                    },
                    "claim_mentions": {"accepted": [40], "rejected": [41]},
                },
                response_only=True,
            )
        ],
        description="Accept, in one step, every statement and claim link on "
        "which all the document's annotators agree (editors): one of their "
        "identical rows accepted with `reviewed_by` the editor, the others "
        "rejected and kept.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="adjudication/accept-agreeing",
        filter_backends=[],
        pagination_class=None,
    )
    def accept_agreeing(self, request, pk=None):
        document = self._editor_document(request)
        outcome = services.document_accept_agreeing(
            document=document, adjudicated_by=request.user
        )
        return Response(outcome_answer(outcome))
