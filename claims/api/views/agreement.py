"""Agreement between a document's annotators, per attribute (claims.agreement)."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from claims import agreement, selectors
from claims.api import filters


def agreement_answer(documents, viewer=None) -> dict:
    """``{"documents", "withheld", "annotators", "attributes": {name:
    {"alpha", "percent", "units"[, "reason"]}}}`` for a queryset of
    documents, as ``viewer`` may see them: a document whose annotators' work
    is hidden from them is withheld, named but not counted."""
    ids, annotators, units, withheld = selectors.agreement_units(documents, viewer)
    return {
        "documents": ids,
        "withheld": withheld,
        "annotators": annotators,
        "attributes": {
            name: agreement.agreement(units[name], annotators).as_dict()
            for name in selectors.AGREEMENT_ATTRIBUTES
        },
    }


class AttributeAgreement(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    units = serializers.IntegerField()
    reason = serializers.CharField(
        required=False, help_text="Why alpha is null, where it is."
    )


# The answer's shape, for OpenAPI only: one object, though the route is a
# viewset's list (many=False keeps drf-spectacular from making it an array).
@extend_schema_serializer(many=False)
class AgreementAnswer(serializers.Serializer):
    documents = serializers.ListField(child=serializers.IntegerField())
    withheld = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Documents left out: in independent annotation, assigned to "
        "you, and their annotators not all done, so that their figures would "
        "tell the others' work.",
    )
    annotators = serializers.ListField(child=serializers.CharField())
    attributes = serializers.DictField(child=AttributeAgreement())


class AgreementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = filters.AgreementFilter
    pagination_class = None
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.documents_unjoined()

    @extend_schema(
        responses={200: AgreementAnswer},
        description="How far the annotators of the documents chosen (`document`, "
        "or the documents' filters) agree, per attribute: Krippendorff's α "
        "(nominal) and percent agreement over the units coded by two or more "
        "annotators. Kind and source: a unit per statement; source span and "
        "cue: the exact span or none; claims: a yes/no unit per (statement, "
        "claim) any annotator linked. `alpha` is null where it is undefined "
        "(one annotator, one category only), with the `reason`. An annotator "
        "asking while a document's independent annotation is under way gets "
        "it in `withheld`, out of the figures, until every annotator is done.",
    )
    def list(self, request, *args, **kwargs):
        documents = self.filter_queryset(self.get_queryset())
        return Response(agreement_answer(documents, request.user))
