"""Documents: the list with its counts, adding a text, and the workspace page
where reviewers attribute statements on the text itself."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import roles, selectors, services
from claims.admin.base import (
    RoleAdmin,
    ServiceForm,
    annotated_count,
    names_field,
    split_names,
)
from claims.models import AttributionKind, Document, Statement


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

    def get_queryset(self, request):
        return selectors.documents_for_review()

    statement_count = annotated_count("statement_count", "statements")
    attributed_count = annotated_count("attributed_count", "attributed")
    accepted_count = annotated_count("accepted_count", "accepted")
    waiting_count = annotated_count("waiting_count", "suggestions waiting")

    @admin.action(description="Suggest provenance for the selected documents")
    def suggest_provenance(self, request, queryset):
        """Run the suggestion service on each document, each in its own
        transaction; a failure is reported and the others still run."""
        if not roles.is_reviewer(request.user):
            raise PermissionDenied
        done = 0
        for document in queryset.order_by("pk"):
            try:
                services.document_suggest(document=document, created_by=request.user)
            except Exception as error:  # report it, go on with the others
                self.refuse(request, error)
            else:
                done += 1
        self.message_user(
            request,
            f"Suggestions refreshed for {done} document{'s' * (done != 1)}; "
            "earlier ones that nobody had reviewed were replaced.",
        )

    def has_change_permission(self, request, obj=None):
        # A document's text is frozen; its statements are worked on in the
        # workspace, whose writes the API checks one by one.
        return obj is None and roles.is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_editor(request.user)

    def delete_object(self, obj):
        services.document_delete(document=obj)

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
