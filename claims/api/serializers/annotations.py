"""Annotations: reviewers' notes on statements and claims."""

from rest_framework import serializers

from claims.api.serializers.fields import (
    NamesField,
    OwnerField,
    PlainChoiceField,
    VisibleRelatedField,
)
from claims.models import Annotation


class AnnotationSerializer(serializers.ModelSerializer):
    serializer_choice_field = PlainChoiceField
    # The statement or claim, by id, among those the reviewer may see.
    serializer_related_field = VisibleRelatedField
    reviewer = OwnerField()
    tags = NamesField(max_length=100)

    class Meta:
        model = Annotation
        fields = [
            "id", "statement", "claim", "reviewer", "motivation", "body", "tags",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "version"]


class AnnotationUpdateSerializer(AnnotationSerializer):
    statement = serializers.PrimaryKeyRelatedField(read_only=True)
    claim = serializers.PrimaryKeyRelatedField(read_only=True)
