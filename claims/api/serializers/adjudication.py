"""Adjudication: what waits on a document, and an editor's decision."""

from rest_framework import serializers

from claims.api.serializers.attributions import (
    StatementAttributionSerializer,
    refuse_id_and_name,
    source_id_field,
    source_name_field,
)
from claims.api.serializers.fields import PlainChoiceField, SpanField
from claims.models import AttributionKind

EDIT_FIELDS = (
    "kind", "source", "source_name", "source_span", "cue", "content", "via",
    "via_name", "primary_source_url",
)  # fmt: skip


class AnnotatorWorkSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    attributions = StatementAttributionSerializer(many=True)


class ClaimBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class ClaimPairSerializer(serializers.Serializer):
    claim = ClaimBriefSerializer()
    linked_by = serializers.ListField(child=serializers.CharField())
    not_linked_by = serializers.ListField(child=serializers.CharField())


class DifferingStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="statement.pk")
    index = serializers.IntegerField(source="statement.index")
    start = serializers.IntegerField(source="statement.start")
    end = serializers.IntegerField(source="statement.end")
    text = serializers.CharField(source="statement.text")
    attributions_agree = serializers.BooleanField(
        help_text="Whether the annotators' attributions agree (only claim links "
        "differ), or none of them attributed it."
    )
    annotators = AnnotatorWorkSerializer(
        source="work",
        many=True,
        help_text="Each annotator's waiting attributions, in the order of "
        "`annotators`; an empty list: they left the statement alone.",
    )
    claims = ClaimPairSerializer(
        many=True, help_text="The claim links only some annotators made."
    )


class AgreeingCountSerializer(serializers.Serializer):
    statements = serializers.IntegerField()
    claims = serializers.IntegerField()


class AdjudicationSerializer(serializers.Serializer):
    """``selectors.Adjudication`` with its document's id."""

    document = serializers.IntegerField()
    annotators = serializers.ListField(child=serializers.CharField())
    waiting_for = serializers.ListField(
        child=serializers.CharField(),
        help_text="Annotators not done yet: adjudication waits for them.",
    )
    agreeing = AgreeingCountSerializer(
        help_text="What accept-agreeing would accept: statements and claim "
        "links on which every annotator agrees."
    )
    statements = DifferingStatementSerializer(many=True, source="differing")


class AdjudicateSerializer(serializers.Serializer):
    """One decision: an annotator's attribution (``attribution``), the final
    attribution's fields (``kind``, …), or a claim link (``claim``,
    ``linked``)."""

    statement = serializers.IntegerField()
    attribution = serializers.IntegerField(
        required=False, help_text="Take this annotator's attribution."
    )
    claim = serializers.IntegerField(
        required=False, help_text="Decide this claim link of the statement."
    )
    linked = serializers.BooleanField(
        required=False, help_text="With `claim`: whether the statement makes it."
    )
    kind = PlainChoiceField(choices=AttributionKind.choices, required=False)
    source_id = source_id_field("source")
    source_name = source_name_field("source")
    source_span = SpanField("source")
    cue = SpanField("cue")
    content = SpanField("content")
    via_id = source_id_field("via")
    via_name = source_name_field("via")
    primary_source_url = serializers.URLField(max_length=2000, required=False)

    def validate(self, data):
        edit = [name for name in EDIT_FIELDS if name in data]
        modes = [
            name
            for name, given in (
                ("attribution", "attribution" in data),
                ("claim", "claim" in data),
                ("kind", bool(edit)),
            )
            if given
        ]
        if len(modes) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Give one of: `attribution` (an annotator's, to take), "
                        "`claim` with `linked`, or the final attribution's "
                        "fields (`kind`, `source_id` or `source_name`, …)."
                    ]
                }
            )
        if "claim" in data and "linked" not in data:
            raise serializers.ValidationError(
                {"linked": ["Say whether the statement makes the claim."]}
            )
        if edit and "kind" not in data:
            raise serializers.ValidationError(
                {"kind": ["The final attribution needs its kind."]}
            )
        refuse_id_and_name(data)
        return data


class DecidedSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=serializers.IntegerField())
    rejected = serializers.ListField(child=serializers.IntegerField())


class AdjudicationOutcomeSerializer(serializers.Serializer):
    """The ids of the rows an adjudication accepted (or made) and rejected."""

    attributions = DecidedSerializer()
    claim_mentions = DecidedSerializer()
