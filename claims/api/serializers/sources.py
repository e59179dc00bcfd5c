"""Sources: who statements are attributed to."""

from rest_framework import serializers

from claims import selectors
from claims.api.serializers.fields import NamesField, OwnerField, PlainChoiceField
from claims.models import Source


class SourceSerializer(serializers.ModelSerializer):
    serializer_choice_field = PlainChoiceField
    aliases = NamesField(max_length=300)
    created_by = OwnerField()

    class Meta:
        model = Source
        fields = [
            "id", "name", "kind", "aliases", "description", "url", "wikidata_id",
            "proposed", "created_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "version"]

    def get_fields(self):
        fields = super().get_fields()
        # Names are unique after normalisation, which the service checks with
        # a clear message; the model's plain unique check would not see it.
        fields["name"].validators = []
        return fields


class SourceMergeSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(
        queryset=selectors.source_choices(),
        help_text="The source to fold into this one; it is deleted.",
    )
