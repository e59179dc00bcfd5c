"""Jobs as the API shows them, and the requests that submit them."""

from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.urls import reverse
from django.utils.text import get_valid_filename
from rest_framework import serializers

from claims import selectors
from claims.exports import FORMATS as EXPORT_FORMATS
from claims.formats.spans import parse_labels
from claims.management.commands import import_claims, import_documents
from claims.models import Job, JobKind


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField(
        allow_null=True, help_text="Null until the job knows how much there is."
    )


class SummarySerializer(serializers.Serializer):
    """What the job did so far; the keys its kind has."""

    imported = serializers.IntegerField(required=False, help_text="Imports.")
    present = serializers.IntegerField(
        required=False,
        help_text="Imports: texts (or claims) already stored, left as they were.",
    )
    reviews_imported = serializers.IntegerField(required=False, help_text="Claims.")
    reviews_present = serializers.IntegerField(required=False, help_text="Claims.")
    suggested = serializers.IntegerField(required=False, help_text="Suggestions.")
    exported = serializers.IntegerField(required=False, help_text="Exports.")
    unit = serializers.CharField(
        required=False, help_text="Exports: documents, annotations or reviews."
    )
    failed = serializers.IntegerField(required=False)
    errors = serializers.ListField(  # type: ignore[assignment]  # a key, not .errors
        child=serializers.CharField(),
        required=False,
        help_text="FILE:LINE: reason for each record that failed (the first 1,000).",
    )
    documents = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Imports: the ids of the documents imported or already present.",
    )


class JobSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    progress = ProgressSerializer(read_only=True)
    summary = SummarySerializer(read_only=True)
    options = serializers.DictField(read_only=True)
    result = serializers.SerializerMethodField(
        help_text="Exports: where to download the file once the job is done."
    )

    class Meta:
        model = Job
        fields = [
            "id", "kind", "status", "progress", "options", "summary",
            "cancel_requested", "created_by", "created_at", "started_at",
            "finished_at", "result",
        ]  # fmt: skip
        read_only_fields = fields

    def get_result(self, job) -> str | None:
        if job.kind != JobKind.EXPORT:
            return None
        return reverse("job-result", args=[job.pk])


def safe_filename(name: str) -> str:
    """An uploaded file's name as it can be stored and reported: no folders,
    spaces or characters a file system may refuse, at most 100 characters
    (its ending kept)."""
    try:
        name = get_valid_filename(Path(name.replace("\0", "")).name)
    except SuspiciousFileOperation:
        return "upload"
    if len(name) > 100:
        path = Path(name)
        suffix = path.suffix[:20]
        name = path.stem[: 100 - len(suffix)] + suffix
    return name


def _labels(value: str) -> None:
    try:
        parse_labels(value or None)
    except ValueError as error:
        raise serializers.ValidationError(str(error)) from None


CLAIMS_FORMATS = sorted(set(import_claims.FORMATS.values()))
# What each kind of import reads, and the formats that file endings imply.
IMPORTS = {
    JobKind.IMPORT: (import_documents.CHOICES, import_documents.FORMATS),
    JobKind.CLAIMS_IMPORT: (CLAIMS_FORMATS, import_claims.FORMATS),
}


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The file, in a format import_documents (or, for checked "
        "claims, import_claims) reads."
    )
    kind = serializers.ChoiceField(
        choices=[JobKind.IMPORT, JobKind.CLAIMS_IMPORT],
        default=JobKind.IMPORT,
        help_text="import: documents; claims_import: checked claims with their "
        "reviews, published (editors only).",
    )
    format = serializers.ChoiceField(
        choices=sorted({*import_documents.CHOICES, *CLAIMS_FORMATS}),
        required=False,
        help_text="Default: from the file's ending. Documents: jsonl, txt, w3c "
        "(.jsonld), labelstudio (.json), doccano; claims: jsonl, claimreview "
        "(.json, .jsonld).",
    )
    labels = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[_labels],
        help_text="doccano and Label Studio: LABEL=ROLE,... over the defaults.",
    )
    suggest = serializers.BooleanField(
        default=False, help_text="Suggest provenance for each document imported."
    )
    title = serializers.CharField(
        required=False, help_text="A .txt document's title (else its first line)."
    )

    def validate(self, data):
        name = data["filename"] = safe_filename(data["file"].name)
        formats, endings = IMPORTS[data["kind"]]
        if data.get("format") and data["format"] not in formats:
            raise serializers.ValidationError(
                {"format": [f"a {data['kind']} reads {', '.join(formats)}"]}
            )
        if not data.get("format") and Path(name).suffix.lower() not in endings:
            raise serializers.ValidationError(
                {
                    "format": [
                        f"{name!r} does not say its format by its ending; "
                        f"give format ({', '.join(formats)})"
                    ]
                }
            )
        return data


# Documents a job takes by id (more: all of them, or several jobs); below
# SQLite's limit of variables in one query.
MAX_DOCUMENTS = 10_000


class _DocumentIds(serializers.ListField):
    child = serializers.IntegerField(min_value=1, max_value=2**63 - 1)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > MAX_DOCUMENTS:
            raise serializers.ValidationError(
                f"at most {MAX_DOCUMENTS:,} documents a job; this names {len(data):,}"
            )
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        stored = selectors.stored_document_ids(ids)
        missing = [str(pk) for pk in ids if pk not in stored]
        if missing:
            raise serializers.ValidationError(
                f"no document with id {', '.join(missing[:20])}"
            )
        return ids


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(EXPORT_FORMATS), default="jsonl")
    documents = _DocumentIds(
        required=False,
        allow_null=True,
        help_text="The documents' ids; none (or an empty list) exports them all.",
    )
    labels = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[_labels],
        help_text="doccano and Label Studio: the labels to write (e.g. QUOTE=direct).",
    )

    def validate(self, attrs):
        if attrs.get("format") == "backup" and attrs.get("documents"):
            raise serializers.ValidationError(
                {"documents": "A backup is of the whole database: name no documents."}
            )
        return attrs


class SuggestionsRequestSerializer(serializers.Serializer):
    documents = _DocumentIds(allow_empty=False, help_text="The documents' ids.")
