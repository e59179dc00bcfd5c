"""Agreement between a document's annotators, per attribute (claims.agreement)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from claims import agreement, selectors
from claims.api import filters


def agreement_answer(documents) -> dict:
    """``{"documents", "annotators", "attributes": {name: {"alpha", "percent",
    "units"[, "reason"]}}}`` for a queryset of documents."""
    ids, annotators, units = selectors.agreement_units(documents)
    return {
        "documents": ids,
        "annotators": annotators,
        "attributes": {
            name: agreement.agreement(units[name], annotators).as_dict()
            for name in selectors.AGREEMENT_ATTRIBUTES
        },
    }


AGREEMENT_SCHEMA = {
    "type": "object",
    "properties": {
        "documents": {"type": "array", "items": {"type": "integer"}},
        "annotators": {"type": "array", "items": {"type": "string"}},
        "attributes": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "alpha": {"type": "number", "nullable": True},
                    "percent": {"type": "number", "nullable": True},
                    "units": {"type": "integer"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}


class AgreementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = filters.AgreementFilter
    pagination_class = None
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.documents_unjoined()

    @extend_schema(
        responses={200: AGREEMENT_SCHEMA},
        description="How far the annotators of the documents chosen (`document`, "
        "or the documents' filters) agree, per attribute: Krippendorff's α "
        "(nominal) and percent agreement over the units coded by two or more "
        "annotators. Kind and source: a unit per statement; source span and "
        "cue: the exact span or none; claims: a yes/no unit per (statement, "
        "claim) any annotator linked. `alpha` is null where it is undefined "
        "(one annotator, one category only), with the `reason`.",
    )
    def list(self, request, *args, **kwargs):
        documents = self.filter_queryset(self.get_queryset())
        return Response(agreement_answer(documents))
