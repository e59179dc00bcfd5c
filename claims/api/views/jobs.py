"""Jobs: imports, suggestions and exports submitted to run on workers, and
the jobs themselves (their progress, their result, cancelling them).

Each submission answers 202 with ``Location: /api/jobs/{id}/`` and the job.
Reviewers import and suggest; anyone signed in exports; a job is seen,
cancelled and downloaded by whoever submitted it, or by an editor.
"""

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims import roles, selectors
from claims.api import filters
from claims.api.errors import Conflict
from claims.api.parsers import StrictJSONParser
from claims.api.serializers.jobs import (
    ExportRequestSerializer,
    ImportRequestSerializer,
    JobSerializer,
    SuggestionsRequestSerializer,
)
from claims.exports import ENDINGS, backup_refusal
from claims.models import JobKind, JobStatus
from claims.services.jobs import (
    BrokerUnavailable,
    JobConflict,
    job_cancel,
    job_submit,
)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"


JOB_EXAMPLE = OpenApiExample(
    "An import under way",
    value={
        "id": 7,
        "kind": "import",
        "status": "running",
        "progress": {"done": 400, "total": 1000},
        "options": {"filename": "articles.jsonl", "format": "jsonl", "suggest": True},
        "summary": {
            "imported": 399,
            "present": 0,
            "failed": 1,
            "not_taken": 0,
            "errors": ["articles.jsonl:17: text: This field is required."],
            "documents": [12, 13],
        },
        "cancel_requested": False,
        "created_by": "reviewer",
        "created_at": "2026-01-05T10:00:00Z",
        "started_at": "2026-01-05T10:00:01Z",
        "finished_at": None,
        "result": None,
    },
    response_only=True,
)
BROKER_DOWN = OpenApiResponse(
    description="The job queue's broker does not answer; nothing was stored.",
    examples=[
        OpenApiExample(
            "Broker down",
            value={
                "status": 503,
                "code": "unavailable",
                "message": "the job queue's broker (redis://127.0.0.1:6379/0) does "
                "not answer: Error 111 connecting to 127.0.0.1:6379. Connection "
                "refused.; nothing was stored, try again later",
                "errors": {},
            },
        )
    ],
)
ACCEPTED = OpenApiResponse(
    JobSerializer,
    description="Queued (or, without a broker, already run); "
    "Location: /api/jobs/{id}/.",
    examples=[JOB_EXAMPLE],
)


class _SubmitViewSet(viewsets.GenericViewSet):
    serializer_class = JobSerializer
    kind: str

    def submit(self, options: dict, upload=None, kind=None) -> Response:
        try:
            job = job_submit(
                kind=kind or self.kind,
                options=options,
                created_by=self.request.user,
                upload=upload,
            )
        except BrokerUnavailable as error:
            raise ServiceUnavailable(str(error)) from None
        location = reverse("job-detail", args=[job.pk])
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


def _limit() -> str:
    return f"{settings.JOB_UPLOAD_LIMIT / 1024 / 1024:g} MB"


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            202: ACCEPTED,
            413: OpenApiResponse(
                description="The file is over the upload limit (JOB_UPLOAD_LIMIT_MB, "
                "200 MB by default); nothing was stored."
            ),
            503: BROKER_DOWN,
        },
        description="Import a file as a job, exactly as import_documents reads "
        "it (one document a line of JSON Lines, a .txt text, doccano, Label "
        "Studio, or W3C annotations onto stored documents), each document "
        "whole or not at all; bad records are listed in the job's summary as "
        "FILE:LINE: reason and the others still load. Reviewers only. With "
        "kind claims_import, a file of checked claims as import_claims reads "
        "it (editors only).",
    )
)
class ImportViewSet(_SubmitViewSet):
    kind = JobKind.IMPORT
    parser_classes = [MultiPartParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before the body is read: nothing of an upload over the limit is kept.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.JOB_UPLOAD_LIMIT:
            raise PayloadTooLarge(self._too_large())

    def _too_large(self) -> str:
        return f"file: the upload is over its limit of {_limit()} (JOB_UPLOAD_LIMIT_MB)"

    def create(self, request, *args, **kwargs):
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        if upload.size > settings.JOB_UPLOAD_LIMIT:
            raise PayloadTooLarge(self._too_large())
        if data["kind"] == JobKind.CLAIMS_IMPORT and not roles.is_editor(request.user):
            raise exceptions.PermissionDenied(
                "kind: only editors import checked claims, whose reviews are "
                "published as they are imported"
            )
        options = {
            "filename": data["filename"],
            "format": data.get("format"),
            "labels": data.get("labels", ""),
            "suggest": data["suggest"],
            "title": data.get("title"),
        }
        return self.submit(options, upload, kind=data["kind"])


@extend_schema_view(
    create=extend_schema(
        request=ExportRequestSerializer,
        responses={202: ACCEPTED, 503: BROKER_DOWN},
        examples=[
            OpenApiExample(
                "Two documents as W3C annotations",
                value={"format": "w3c", "documents": [1, 2]},
                request_only=True,
            ),
            OpenApiExample(
                "Everything as JSON Lines", value={"format": "jsonl"}, request_only=True
            ),
        ],
        description="Export documents (all of them when none are given) as a "
        "job; once it is done, GET /api/jobs/{id}/result/ is the file. Anyone "
        "signed in.",
    )
)
class ExportViewSet(_SubmitViewSet):
    kind = JobKind.EXPORT
    parser_classes = [StrictJSONParser]
    permission_classes = [IsAuthenticated]

    def create(self, request, *args, **kwargs):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refusal = data["format"] == "backup" and backup_refusal(request.user)
        if refusal:
            # Before a job is made; the job asks again when it runs.
            raise exceptions.ValidationError({"format": refusal})
        return self.submit(
            {
                "format": data["format"],
                "documents": data.get("documents") or None,
                "labels": data.get("labels", ""),
            }
        )


@extend_schema_view(
    create=extend_schema(
        request=SuggestionsRequestSerializer,
        responses={202: ACCEPTED, 503: BROKER_DOWN},
        examples=[
            OpenApiExample(
                "Three documents", value={"documents": [4, 5, 6]}, request_only=True
            )
        ],
        description="Suggest provenance and claims for many documents as one "
        "job, each document in its own transaction (POST "
        "/api/documents/{id}/suggest/ does one at once). Reviewers only.",
    )
)
class SuggestionsViewSet(_SubmitViewSet):
    kind = JobKind.SUGGEST
    parser_classes = [StrictJSONParser]

    def create(self, request, *args, **kwargs):
        serializer = SuggestionsRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.submit({"documents": serializer.validated_data["documents"]})


@extend_schema_view(
    list=extend_schema(
        description="Your jobs (an editor's: everyone's), newest first.",
    ),
    retrieve=extend_schema(responses={200: ACCEPTED}),
)
class JobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = filters.JobFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at", "finished_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        jobs = selectors.jobs_listed()
        if getattr(self, "swagger_fake_view", False):
            return jobs
        if self.action == "list" and not roles.is_editor(self.request.user):
            return selectors.jobs_submitted_by(jobs, self.request.user)
        return jobs

    def get_object(self):
        job = super().get_object()
        if not roles.can_manage_job(self.request.user, job):
            owner = job.created_by.get_username() if job.created_by else "nobody"
            raise exceptions.PermissionDenied(
                f"job {job.pk} is {owner}'s: only they or an editor may see, "
                "cancel or download it"
            )
        return job

    @extend_schema(
        request=None,
        responses={
            202: ACCEPTED,
            409: OpenApiResponse(
                description="The job is over, or was already asked to stop."
            ),
        },
        description="Stop a job: a queued one at once, a running one after the "
        "batch under way, keeping what was committed.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        try:
            job = job_cancel(job=self.get_object())
        except JobConflict as error:
            raise Conflict(str(error)) from None
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The export's file."
            ),
            409: OpenApiResponse(description="The export is not done (yet)."),
            410: OpenApiResponse(
                description="The file was removed after JOB_RETENTION_DAYS."
            ),
        },
        description="An export's file, once the job is done.",
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        job = self.get_object()
        if job.kind != JobKind.EXPORT:
            raise exceptions.NotFound(
                f"job {job.pk} is an {job.kind}: only exports have a result"
            )
        if job.status != JobStatus.DONE:
            raise Conflict(
                f"job {job.pk} is {job.status}: its file is ready once it is done"
            )
        if not job.output:
            raise Gone(
                f"job {job.pk}'s file was removed after "
                f"{settings.JOB_RETENTION_DAYS} days (JOB_RETENTION_DAYS)"
            )
        ending, media_type = ENDINGS[job.options["format"]]
        return FileResponse(
            job.output.open("rb"),
            as_attachment=True,
            filename=f"export-{job.pk}.{ending}",
            content_type=media_type,
        )
