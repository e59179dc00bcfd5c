"""Documents: the list with its counts, adding a text, and the workspace page
where reviewers attribute statements on the text itself."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims import roles, selectors, services
from claims.admin import adjudication, jobs, review
from claims.admin.base import (
    RoleAdmin,
    ServiceForm,
    SourceNameSearchMixin,
    VersionedServiceForm,
    annotated_count,
    names_field,
    split_names,
)
from claims.exports import SELECTABLE as EXPORT_FORMATS
from claims.models import (
    AttributionKind,
    Document,
    JobKind,
    ReviewState,
    Statement,
    review_state_of,
)


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


def published_at_field() -> forms.DateTimeField:
    """One box for the date, where a date alone is a date (the admin's own
    widget wants a time as well, and answered "Enter a valid time")."""
    return forms.DateTimeField(
        label="Published",
        required=False,
        widget=forms.DateTimeInput(
            attrs={"placeholder": "2024-06-01 or 2024-06-01 14:30"}
        ),
        help_text="A date, or a date and time (UTC).",
    )


class DocumentAddForm(ServiceForm):
    tag_names = names_field("Tags", "One a line.")
    published_at = published_at_field()

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


DETAILS = ["title", "url", "publisher", "authors", "published_at", "language"]


class DocumentDetailsForm(VersionedServiceForm):
    """A document's details, corrected; its text is not among them."""

    tag_names = names_field("Tags", "One a line.")
    published_at = published_at_field()

    class Meta(VersionedServiceForm.Meta):
        model = Document
        fields = DETAILS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = "\n".join(
                selectors.tag_names(self.instance)
            )

    def call_service(self, data):
        return services.document_update(
            document=self.instance,
            expected_version=self.expected_version,
            title=data["title"],
            url=data.get("url", ""),
            publisher=data.get("publisher"),
            authors=list(data.get("authors") or ()),
            published_at=data.get("published_at"),
            language=data.get("language", ""),
            tags=split_names(data.get("tag_names", "")),
        )


@admin.register(Document)
class DocumentAdmin(SourceNameSearchMixin, RoleAdmin):
    list_display = [
        "title", "publisher", "published_at", "statement_count", "attributed_count",
        "accepted_count", "waiting_count", "review_state",
    ]  # fmt: skip
    list_filter = ["publisher", "tags", "published_at", WaitingSuggestionsFilter]
    search_fields = ["title", "url"]
    # "Suleimani" finds the articles that quote or name Qassem Soleimani.
    search_by_source_names = selectors.documents_by_source_names
    date_hierarchy = "published_at"
    list_select_related = ["publisher"]
    form = DocumentAddForm
    autocomplete_fields = ["publisher", "authors"]
    actions = [
        "suggest_provenance",
        review.assign,
        review.mark_independent,
        review.unmark_independent,
    ]
    change_list_template = "admin/claims/document/change_list.html"

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = DocumentDetailsForm
        return super().get_form(request, obj, **kwargs)

    def details_view(self, request, object_id):
        """Django's change form, for the details: the change page is the
        workspace."""
        return super().change_view(
            request, object_id, extra_context={"title": "Correct the details"}
        )

    def response_change(self, request, obj):
        self.message_user(request, f"The details of “{obj}” were saved.")
        return HttpResponseRedirect(
            reverse("admin:claims_document_change", args=[obj.pk])
        )

    def get_queryset(self, request):
        return selectors.documents_for_review(request.user)

    statement_count = annotated_count("statement_count", "statements")
    attributed_count = annotated_count("attributed_count", "attributed")
    accepted_count = annotated_count("accepted_count", "accepted")
    waiting_count = annotated_count("waiting_count", "suggestions waiting")

    @admin.display(description="review")
    def review_state(self, document):
        """Its assignments' state, and whose they are."""
        assignments = document.assignments.all()
        state = review_state_of([a.state for a in assignments])
        if state is None:
            return "—"
        names = ", ".join(a.reviewer.get_username() for a in assignments)
        independently = ", independently" if document.independent_annotation else ""
        return f"{ReviewState(state).label} ({names}{independently})"

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
        for file_format in EXPORT_FORMATS:  # a backup is of everything
            action = jobs.export_action(file_format)
            actions[action.__name__] = (
                action, action.__name__, action.short_description,
            )  # fmt: skip
        if not roles.is_editor(request.user):
            for name in ("assign", "mark_independent", "unmark_independent"):
                actions.pop(name, None)
        return actions

    def get_urls(self):
        return [
            path(
                "<path:object_id>/details/",
                self.admin_site.admin_view(self.details_view),
                name="claims_document_details",
            ),
            path(
                "<path:object_id>/adjudication/",
                self.admin_site.admin_view(
                    lambda r, object_id: adjudication.adjudication_view(
                        self, r, object_id
                    )
                ),
                name="claims_document_adjudication",
            ),
            path(
                "queue/",
                self.admin_site.admin_view(lambda r: review.queue_view(self, r)),
                name="claims_document_queue",
            ),
            path(
                "agreement/",
                self.admin_site.admin_view(lambda r: review.agreement_view(self, r)),
                name="claims_document_agreement",
            ),
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
        # The details page changes the title, date and the like; the text
        # is frozen, and statements are worked on in the workspace, whose
        # writes the API checks one by one.
        if obj is None:
            return roles.is_reviewer(request.user)
        return roles.can_change(request.user, obj)

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
            "can_correct": roles.can_change(request.user, document),
            "can_adjudicate": document.independent_annotation
            and roles.is_editor(request.user),
            "api_document": reverse("document-detail", args=[document.pk]),
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/claims/document/workspace.html", context
        )


@admin.register(Statement)
class StatementAdmin(SourceNameSearchMixin, RoleAdmin):
    """Read-only: statements are made by segmentation; searched for autocomplete."""

    search_by_source_names = selectors.statements_by_source_names

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
