"""Attributions: the provenance of a statement."""

from rest_framework import serializers

from claims.api.serializers.fields import OwnerField, SourceBriefSerializer, SpanField
from claims.models import Attribution, Source


class AttributionSerializer(serializers.ModelSerializer):
    """An attribution; writes name sources by id (``source_id``, ``via_id``)."""

    source = SourceBriefSerializer(read_only=True, allow_null=True)
    source_id = serializers.PrimaryKeyRelatedField(
        source="source",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
    )
    via = SourceBriefSerializer(read_only=True, allow_null=True)
    via_id = serializers.PrimaryKeyRelatedField(
        source="via",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
    )
    # By name, for a reviewer who types one: found by name or alias, else
    # created, in the write's own transaction (a refused write creates none).
    source_name = serializers.CharField(
        write_only=True,
        required=False,
        max_length=300,
        help_text="The source by name or alias instead of source_id; created "
        "if nobody has named it yet, only if the write succeeds.",
    )
    via_name = serializers.CharField(
        write_only=True,
        required=False,
        max_length=300,
        help_text="The conduit by name or alias instead of via_id, as source_name.",
    )
    source_span = SpanField("source")
    cue = SpanField("cue")
    content = SpanField("content")
    created_by = OwnerField()
    document = serializers.IntegerField(source="statement.document_id", read_only=True)

    class Meta:
        model = Attribution
        fields = [
            "id", "statement", "document", "kind", "source", "source_id",
            "source_name", "source_span", "cue", "content", "via", "via_id",
            "via_name", "primary_source_url",
            "origin", "status", "confidence", "created_by", "created_at",
            "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = [
            "origin", "status", "created_at", "updated_at", "version",
        ]  # fmt: skip

    def validate(self, data):
        for field in ("source", "via"):
            if f"{field}_name" in data and field in data:
                raise serializers.ValidationError(
                    {f"{field}_name": [f"Give {field}_id or {field}_name, not both."]}
                )
        return data


class AttributionUpdateSerializer(AttributionSerializer):
    statement = serializers.PrimaryKeyRelatedField(read_only=True)


class AttributionBulkSerializer(serializers.Serializer):
    attributions = AttributionSerializer(many=True, allow_empty=False)


class StatementAttributionSerializer(AttributionSerializer):
    """An attribution inside its statement: no need to repeat where it is."""

    class Meta(AttributionSerializer.Meta):
        fields = [
            "id", "kind", "source", "source_span", "cue", "content", "via",
            "primary_source_url", "origin", "status", "confidence", "created_by",
            "version",
        ]  # fmt: skip
