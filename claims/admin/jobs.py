"""Jobs in the admin: the list with its filters, each job's page with a live
progress bar (it polls the job's API), and the pages that submit them
(Documents → *Import a file*, *Export everything*); the document list's
actions submit exports and suggestions of the selected documents.

Everything goes through ``claims.services.jobs``, as the API's submissions do,
under the same roles (``claims.roles``).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import roles, selectors
from claims.admin.base import RoleAdmin
from claims.api.serializers.jobs import (
    CLAIMS_FORMATS,
    IMPORTS,
    MAX_DOCUMENTS,
    safe_filename,
)
from claims.exports import FORMATS as EXPORT_FORMATS
from claims.exports import backup_refusal
from claims.formats.spans import parse_labels
from claims.management.commands.import_documents import CHOICES as IMPORT_FORMATS
from claims.models import Document, Job, JobKind
from claims.services.jobs import (
    BrokerUnavailable,
    JobConflict,
    job_cancel,
    job_submit,
)

FORMAT_NAMES = {
    "claimreview": "schema.org ClaimReview JSON-LD",
    "jsonl": "JSON Lines (interchange)",
    "txt": "Plain text (one document)",
    "w3c": "W3C Web Annotation JSON-LD",
    "doccano": "doccano JSONL",
    "labelstudio": "Label Studio JSON",
    "backup": "Backup (JSON Lines: every source, claim and document)",
}

# The documents a job's page links to; it counts the rest.
DOCUMENTS_SHOWN = 500


def _limit() -> str:
    return f"{settings.JOB_UPLOAD_LIMIT / 1024 / 1024:g} MB"


def _labels(value: str) -> None:
    try:
        parse_labels(value or None)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


class ImportForm(forms.Form):
    file = forms.FileField()
    kind = forms.ChoiceField(
        label="The file holds",
        choices=[
            (JobKind.IMPORT, "Documents"),
            (JobKind.CLAIMS_IMPORT, "Checked claims with their reviews (editors)"),
        ],
        initial=JobKind.IMPORT,
        required=False,
    )
    format = forms.ChoiceField(
        choices=[
            ("", "From the file's ending"),
            *((f, FORMAT_NAMES[f]) for f in sorted({*IMPORT_FORMATS, *CLAIMS_FORMATS})),
        ],
        required=False,
    )
    labels = forms.CharField(
        required=False,
        validators=[_labels],
        help_text="doccano and Label Studio: LABEL=ROLE,... "
        "(e.g. QUOTE=direct,SPEAKER=source).",
    )
    suggest = forms.BooleanField(
        required=False, help_text="Suggest provenance for each document imported."
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > settings.JOB_UPLOAD_LIMIT:
            raise forms.ValidationError(f"The file is over its limit of {_limit()}.")
        formats, endings = IMPORTS[data.get("kind") or JobKind.IMPORT]
        ending = "." + upload.name.rpartition(".")[2].lower() if upload else ""
        if data.get("format") and data["format"] not in formats:
            self.add_error("format", f"This kind of file is in {', '.join(formats)}.")
        elif upload is not None and not data.get("format") and ending not in endings:
            self.add_error(
                "format", f"{upload.name!r} does not say its format by its ending."
            )
        if data.get("kind") == JobKind.CLAIMS_IMPORT and not roles.is_editor(self.user):
            self.add_error("kind", "Only editors import checked claims.")
        return data


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, FORMAT_NAMES[f]) for f in EXPORT_FORMATS])


def submit(admin_view, request, kind: str, options: dict, upload=None):
    """Submit a job and go to its page; None (after saying why) if the broker
    did not take it, or it names too many documents."""
    if len(options.get("documents") or ()) > MAX_DOCUMENTS:
        admin_view.message_user(
            request,
            f"Not started: a job takes at most {MAX_DOCUMENTS:,} documents "
            "selected; select fewer (or use Export everything).",
            messages.ERROR,
        )
        return None
    refusal = (
        kind == JobKind.EXPORT
        and options.get("format") == "backup"
        and backup_refusal(request.user)
    )
    if refusal:
        admin_view.message_user(request, f"Not started: {refusal}", messages.ERROR)
        return None
    try:
        job = job_submit(
            kind=kind, options=options, created_by=request.user, upload=upload
        )
    except BrokerUnavailable as error:
        admin_view.message_user(request, f"Not started: {error}.", messages.ERROR)
        return None
    return HttpResponseRedirect(reverse("admin:claims_job_change", args=[job.pk]))


def import_view(admin_view, request):
    """Documents → Import a file."""
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    form = ImportForm()
    if request.method == "POST":
        # Refused before the body is read: nothing of it is kept.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.JOB_UPLOAD_LIMIT:
            form.errors["file"] = form.error_class(
                [f"The file is over its limit of {_limit()}."]
            )
        else:
            form = ImportForm(request.POST, request.FILES)
            form.user = request.user
            if form.is_valid():
                data = form.cleaned_data
                options = {
                    "filename": safe_filename(data["file"].name),
                    "format": data["format"] or None,
                    "labels": data["labels"],
                    "suggest": data["suggest"],
                }
                kind = data["kind"] or JobKind.IMPORT
                response = submit(admin_view, request, kind, options, data["file"])
                if response is not None:
                    return response
    context = {
        **admin_view.admin_site.each_context(request),
        "opts": Document._meta,
        "title": "Import a file",
        "form": form,
        "limit": _limit(),
    }
    return TemplateResponse(request, "admin/claims/job/import.html", context)


def export_view(admin_view, request):
    """Documents → Export everything."""
    if not admin_view.has_view_permission(request):
        raise PermissionDenied
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        options = {"format": form.cleaned_data["format"], "documents": None}
        response = submit(admin_view, request, JobKind.EXPORT, options)
        if response is not None:
            return response
    context = {
        **admin_view.admin_site.each_context(request),
        "opts": Document._meta,
        "title": "Export every document",
        "form": form,
    }
    return TemplateResponse(request, "admin/claims/job/export.html", context)


def export_action(file_format: str):
    """An action of the document list: export the selected documents."""

    def export_selected(admin_view, request, queryset):
        ids = selectors.ids_oldest_first(queryset)
        options = {"format": file_format, "documents": ids}
        return submit(admin_view, request, JobKind.EXPORT, options)

    export_selected.__name__ = f"export_{file_format}"
    return admin.action(
        description=f"Export the selected as {FORMAT_NAMES[file_format]}"
    )(export_selected)


class CreatedByFilter(admin.SimpleListFilter):
    title = "submitted by"
    parameter_name = "created_by"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in selectors.job_submitters()]

    def queryset(self, request, queryset):
        if self.value():
            return selectors.jobs_submitted_by(queryset, self.value())
        return queryset


@admin.register(Job)
class JobAdmin(RoleAdmin):
    """Read-only rows: jobs change only by running (and by Cancel)."""

    list_display = [
        "__str__", "kind", "status", "progress_shown", "created_by", "created_at",
        "finished_at",
    ]  # fmt: skip
    list_filter = ["status", "kind", CreatedByFilter, "created_at"]
    list_select_related = ["created_by"]

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        if roles.is_editor(request.user):
            return jobs
        return selectors.jobs_submitted_by(jobs, request.user)

    def get_list_filter(self, request):
        if roles.is_editor(request.user):
            return self.list_filter
        return [f for f in self.list_filter if f is not CreatedByFilter]

    @admin.display(description="progress")
    def progress_shown(self, job):
        done, total = job.progress.get("done", 0), job.progress.get("total")
        return f"{done:,} of {total:,}" if total is not None else f"{done:,}"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: a live progress bar, its errors, what it made."""
        job = selectors.job_for_page(object_id)
        if job is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not roles.can_manage_job(request.user, job):
            raise PermissionDenied
        if request.method == "POST" and "cancel" in request.POST:
            try:
                job_cancel(job=job)
            except JobConflict as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, "Asked to stop after the batch under way.")
            return HttpResponseRedirect(request.path)
        documents = selectors.documents_a_job_made(job, limit=DOCUMENTS_SHOWN)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "api_job": reverse("job-detail", args=[job.pk]),
            "result": reverse("job-result", args=[job.pk])
            if job.kind == JobKind.EXPORT and job.status == "done" and job.output
            else None,
            "documents": documents,
            "more_documents": max(
                0, len(job.summary.get("documents") or []) - DOCUMENTS_SHOWN
            ),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/claims/job/job.html", context)
