"""Attributions: the provenance of a statement."""

from rest_framework import serializers

from claims import selectors
from claims.api.serializers.fields import (
    OwnerField,
    PlainChoiceField,
    SourceBriefSerializer,
    SpanField,
    VisibleRelatedField,
)
from claims.models import Attribution


def source_id_field(role: str) -> serializers.PrimaryKeyRelatedField:
    """``source_id`` or ``via_id``: a stored source (one the requester may
    see), by its id."""
    return VisibleRelatedField(
        source=role,
        queryset=selectors.source_choices(),
        allow_null=True,
        required=False,
        write_only=True,
    )


def source_name_field(role: str) -> serializers.CharField:
    """``source_name`` or ``via_name``: a source by its name, instead of its id."""
    return serializers.CharField(
        max_length=300,
        allow_blank=True,
        allow_null=True,
        required=False,
        write_only=True,
        help_text=f"Instead of {role}_id: a source's name or one of its aliases, "
        "matched as the service normalises names (case, accents, punctuation and "
        "spacing aside); a name nobody has used yet creates the source, in the "
        "same transaction. Empty or null: no source.",
    )


class AttributionSerializer(serializers.ModelSerializer):
    """An attribution; writes name sources by id (``source_id``, ``via_id``)
    or by name (``source_name``, ``via_name``)."""

    serializer_choice_field = PlainChoiceField

    source = SourceBriefSerializer(read_only=True, allow_null=True)
    source_id = source_id_field("source")
    via = SourceBriefSerializer(read_only=True, allow_null=True)
    via_id = source_id_field("via")
    source_name = source_name_field("source")
    via_name = source_name_field("via")
    source_span = SpanField("source")
    cue = SpanField("cue")
    content = SpanField("content")
    created_by = OwnerField()
    reviewed_by = OwnerField()
    document = serializers.IntegerField(source="statement.document_id", read_only=True)

    class Meta:
        model = Attribution
        fields = [
            "id", "statement", "document", "kind", "source", "source_id",
            "source_name", "source_span", "cue", "content", "via", "via_id",
            "via_name", "primary_source_url", "origin", "status", "confidence",
            "created_by", "reviewed_by", "reviewed_at", "created_at", "updated_at",
            "version",
        ]  # fmt: skip
        read_only_fields = [
            "origin", "status", "reviewed_at", "created_at", "updated_at", "version",
        ]  # fmt: skip

    def validate(self, data):
        refuse_id_and_name(data)
        return data


def refuse_id_and_name(data: dict) -> None:
    """A source is named by id or by name, not both."""
    for role in ("source", "via"):
        if role in data and f"{role}_name" in data:
            raise serializers.ValidationError(
                {f"{role}_name": [f"Give {role}_id or {role}_name, not both."]}
            )


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
            "reviewed_by", "reviewed_at", "version",
        ]  # fmt: skip
