"""Documents: the list with its counts, adding a text, and the workspace page
where reviewers attribute statements on the text itself."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims import roles, selectors, services
from claims.admin import jobs
from claims.admin.base import (
    RoleAdmin,
    ServiceForm,
    annotated_count,
    names_field,
    split_names,
)
from claims.exports import FORMATS as EXPORT_FORMATS
from claims.models import AttributionKind, Document, JobKind, Statement


class WaitingSuggestionsFilter(admin.SimpleListFilter):
    title = "suggestions waiting"
    parameter_name = "suggestions"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return selectors.documents_by_waiting_suggestions(
                queryset, waiting=self.value() == "yes"
            )
        return queryset


class DocumentAddForm(ServiceForm):
    tag_names = names_field("Tags", "One a line.")

    class Meta(ServiceForm.Meta):
        model = Document
        fields = ["title", "text", "url", "publisher", "published_at", "language"]

    def call_service(self, data):
        return services.document_ingest(
            title=data["title"],
            text=data["text"],
            url=data.get("url", ""),
            publisher=data.get("publisher"),
            published_at=data.get("published_at"),
            language=data.get("language", ""),
            tags=split_names(data.get("tag_names", "")),
            created_by=self.request.user,
        )


@admin.register(Document)
class DocumentAdmin(RoleAdmin):
    list_display = [
        "title", "publisher", "published_at", "statement_count", "attributed_count",
        "accepted_count", "waiting_count",
    ]  # fmt: skip
    list_filter = ["publisher", "tags", "published_at", WaitingSuggestionsFilter]
    search_fields = ["title", "url"]
    date_hierarchy = "published_at"
    list_select_related = ["publisher"]
    form = DocumentAddForm
    autocomplete_fields = ["publisher"]
    actions = ["suggest_provenance"]
    change_list_template = "admin/claims/document/change_list.html"

    def get_queryset(self, request):
        return selectors.documents_for_review()

    statement_count = annotated_count("statement_count", "statements")
    attributed_count = annotated_count("attributed_count", "attributed")
    accepted_count = annotated_count("accepted_count", "accepted")
    waiting_count = annotated_count("waiting_count", "suggestions waiting")

    @admin.action(description="Suggest provenance for the selected documents")
    def suggest_provenance(self, request, queryset):
        """One job for all the selected documents, each in its own
        transaction; a failure is reported on the job's page."""
        if not roles.is_reviewer(request.user):
            raise PermissionDenied
        ids = selectors.ids_oldest_first(queryset)
        return jobs.submit(self, request, JobKind.SUGGEST, {"documents": ids})

    def get_actions(self, request):
        actions = super().get_actions(request)
        for file_format in EXPORT_FORMATS:
            action = jobs.export_action(file_format)
            actions[action.__name__] = (
                action, action.__name__, action.short_description,
            )  # fmt: skip
        return actions

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(lambda r: jobs.import_view(self, r)),
                name="claims_document_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(lambda r: jobs.export_view(self, r)),
                name="claims_document_export",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        # A document's text is frozen; its statements are worked on in the
        # workspace, whose writes the API checks one by one.
        return obj is None and roles.is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_editor(request.user)

    def delete_model(self, request, obj):
        try:
            services.document_delete(document=obj)
        except (ProtectedError, ValidationError) as error:
            self.refuse(request, error)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The workspace: the text as it reads, each statement by its kind."""
        document = self.get_object(request, object_id)
        if document is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": document.title,
            "document": document,
            "kinds": AttributionKind.choices,
            "can_review": roles.is_reviewer(request.user),
            "api_document": reverse("document-detail", args=[document.pk]),
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/claims/document/workspace.html", context
        )


@admin.register(Statement)
class StatementAdmin(RoleAdmin):
    """Read-only: statements are made by segmentation; searched for autocomplete."""

    list_display = ["__str__", "document", "index", "start", "end"]
    search_fields = ["text"]
    list_select_related = ["document"]
    readonly_fields = ["document", "index", "start", "end", "text"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
