"""Fields the resources share: spans, names, owners, brief sources.

Offsets are code-point spans ``{"start", "end"}`` into the document's text.
"""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from claims import selectors
from claims.models import Source

_SPAN = inline_serializer(
    "Span",
    fields={
        "start": serializers.IntegerField(min_value=0),
        "end": serializers.IntegerField(min_value=1),
    },
    allow_null=True,
)


@extend_schema_field(_SPAN)
class SpanField(serializers.Field):
    """A span stored as ``<prefix>_start`` and ``<prefix>_end``, or null."""

    default_error_messages = {
        # Doubled braces: DRF formats these messages with str.format.
        "invalid": 'Expected {{"start": int, "end": int}} with 0 <= start < end, '
        "or null."
    }

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        super().__init__(source="*", allow_null=True, required=False, **kwargs)

    def to_representation(self, instance):
        start = getattr(instance, f"{self.prefix}_start")
        if start is None:
            return None
        return {"start": start, "end": getattr(instance, f"{self.prefix}_end")}

    def validate_empty_values(self, data):
        # source="*" fields skip null handling; a null span means "none".
        if data is None:
            return True, {self.field_name: None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) != {"start", "end"}:
            self.fail("invalid")
        start, end = data["start"], data["end"]
        valid = all(type(n) is int for n in (start, end)) and 0 <= start < end
        if not valid:
            self.fail("invalid")
        return {self.field_name: (start, end)}


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind"]


class NamesField(serializers.ListField):
    """Related names (aliases, tags): written and read as a list of strings."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(
            child=serializers.CharField(max_length=max_length), required=False, **kwargs
        )

    def to_representation(self, related):
        return [item.name for item in related.all()]


@extend_schema_field({"type": "string", "nullable": True})
class OwnerField(serializers.ReadOnlyField):
    """Whose work it is, by username."""

    def to_representation(self, value):
        return value.get_username() if value else None


class PlainChoiceField(serializers.ChoiceField):
    """A refused choice says what the field is and what it takes:
    ``"nope" is not a kind (direct, indirect, mixed, author)``."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            label = (self.field_name or "value").replace("_", " ")
            choices = ", ".join(str(choice) for choice in self.choices)
            raise serializers.ValidationError(
                f'"{data}" is not a {label} ({choices}).', code="invalid_choice"
            ) from None


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A row by its id, among those the requester may see
    (``selectors.visible_to``): an id hidden from them (another annotator's
    claim, in independent annotation) is refused as one that names nothing.
    The request is the serializer's context's, which every view gives."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.visible_to(
            super().get_queryset(), getattr(request, "user", None)
        )
