"""A desk's review in the admin: editors assign documents, each reviewer works
through their queue and says how far they got.

The pages hang off the document list (``DocumentAdmin.get_urls``) and write
through ``claims.services.assignments``, as the API does.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import roles, selectors, services
from claims.api.filters import AgreementFilter
from claims.api.views.agreement import agreement_answer
from claims.models import ReviewState


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=selectors.users_in_groups([roles.REVIEWER, roles.EDITOR]),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each selected document is assigned to each of them; "
        "assignments they already have are kept as they are.",
    )


@admin.action(description="Assign the selected documents to reviewers (editors)")
def assign(model_admin, request, queryset):
    """Ask whom to assign the selected documents to, then assign them all."""
    if not roles.is_editor(request.user):
        raise PermissionDenied
    documents = list(queryset)
    form = AssignForm(request.POST if "reviewers" in request.POST else None)
    if form.is_bound and form.is_valid():
        reviewers = list(form.cleaned_data["reviewers"])
        try:
            made = services.documents_assign(
                documents=documents, reviewers=reviewers, assigned_by=request.user
            )
        except ValidationError as error:
            model_admin.refuse(request, error)
            return None
        model_admin.message_user(
            request,
            f"{len(made)} new assignments: {len(documents)} documents to "
            f"{', '.join(r.get_username() for r in reviewers)}.",
        )
        return None
    return TemplateResponse(
        request,
        "admin/claims/document/assign.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": "Assign documents to reviewers",
            "documents": documents,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _set_independent(model_admin, request, queryset, independent: bool) -> None:
    if not roles.is_editor(request.user):
        raise PermissionDenied
    changed = 0
    for document in queryset:
        try:
            services.document_independent_annotation_set(
                document=document,
                independent_annotation=independent,
                changed_by=request.user,
            )
        except ValidationError as error:
            # Each document is its own transaction: the others stand.
            reason = "; ".join(error.messages)
            model_admin.refuse(request, ValidationError(f"“{document}”: {reason}"))
        else:
            changed += 1
    word = "marked for" if independent else "taken out of"
    model_admin.message_user(
        request, f"{changed} documents {word} independent annotation."
    )


@admin.action(
    description="Mark the selected documents for independent annotation (editors)"
)
def mark_independent(model_admin, request, queryset):
    """Each assignee annotates their own copy, unseen by the others until all
    are done; a document with fewer than two assignees is refused."""
    _set_independent(model_admin, request, queryset, True)


@admin.action(description="End independent annotation of the selected documents")
def unmark_independent(model_admin, request, queryset):
    _set_independent(model_admin, request, queryset, False)


def queue_view(model_admin, request):
    """My queue: the documents assigned to me, oldest first, with what waits
    on each; a form on each row sets my state."""
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        assignment = selectors.assignment_of(
            int(request.POST.get("document") or 0), request.user
        )
        if assignment is None:
            model_admin.message_user(
                request, "That document is not assigned to you.", messages.ERROR
            )
        else:
            try:
                services.assignment_set_state(
                    assignment=assignment,
                    state=request.POST.get("state", ""),
                    expected_version=int(request.POST.get("version") or 0) or None,
                )
            except (ValidationError, services.VersionConflict) as error:
                model_admin.refuse(request, error)
        return HttpResponseRedirect(reverse("admin:claims_document_queue"))
    queue = list(selectors.reviewer_queue(request.user))
    return TemplateResponse(
        request,
        "admin/claims/document/queue.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": "My queue",
            "queue": queue,
            "states": ReviewState.choices,
        },
    )


def agreement_view(model_admin, request):
    """The annotators' agreement per attribute, for one document (``document``)
    or a set chosen with the API's document filters (``tag``,
    ``assigned_to``, ``published_after``, ...), as ``GET /api/agreement/``."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    chosen = AgreementFilter(request.GET, queryset=selectors.documents_unjoined())
    answer = agreement_answer(chosen.qs, request.user) if chosen.is_valid() else None
    return TemplateResponse(
        request,
        "admin/claims/document/agreement.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": "Agreement",
            "answer": answer,
            "errors": chosen.errors,
            "query": request.GET.urlencode(),
        },
    )
