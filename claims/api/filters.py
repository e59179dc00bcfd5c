"""Query parameters of the list endpoints (DESIGN.md's names)."""

import django_filters as filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter

from claims import selectors
from claims.models import (
    Annotation,
    Attribution,
    AttributionKind,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Job,
    JobKind,
    JobStatus,
    Origin,
    ReviewState,
    ReviewStatus,
    Source,
    Statement,
)


class IdFilter(filters.NumberFilter):
    """A row id: a whole number in the database's range (not any decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def _source_ids(value: str) -> list[int]:
    """A source given by id, name or alias (an unknown one matches nothing)."""
    # isdigit() is true of "²" too: only ASCII digits, in the id's range.
    if value.isascii() and value.isdigit():
        return [int(value)] if int(value) < 2**63 else []
    source = selectors.source_by_name(value)
    return [source.pk] if source else []


class StatementFilter(filters.FilterSet):
    """Corpus-wide statement queries: "every direct quote attributed to X since June".

    ``source``, ``kind`` and ``status`` describe one and the same attribution
    of the statement; without ``status``, rejected attributions do not count.
    """

    document = IdFilter(field_name="document_id")
    source = filters.CharFilter(
        method="filter_attribution", help_text="Source id, name or alias."
    )
    kind = filters.ChoiceFilter(
        choices=AttributionKind.choices, method="filter_attribution"
    )
    status = filters.ChoiceFilter(
        choices=ReviewStatus.choices, method="filter_attribution"
    )
    claim = IdFilter(
        method="filter_claim",
        help_text="Claim id: the statements that make it (rejected mentions aside).",
    )
    unattributed = filters.BooleanFilter(
        method="filter_unattributed",
        help_text="true: statements with no accepted attribution; false: with one.",
    )
    published_after = filters.IsoDateTimeFilter(
        field_name="document__published_at", lookup_expr="gte"
    )
    published_before = filters.IsoDateTimeFilter(
        field_name="document__published_at", lookup_expr="lte"
    )

    class Meta:
        model = Statement
        fields = []

    def filter_attribution(self, queryset, name, value):
        # Applied once for all three parameters, in filter_queryset below.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return selectors.statements_attributed(
            queryset,
            source_ids=_source_ids(data["source"]) if data.get("source") else None,
            kind=data.get("kind") or None,
            status=data.get("status") or None,
            viewer=self._viewer,
        )

    def filter_claim(self, queryset, name, value):
        return selectors.statements_making_claim(queryset, value, viewer=self._viewer)

    @property
    def _viewer(self):
        return getattr(self.request, "user", None)

    def filter_unattributed(self, queryset, name, value):
        return selectors.statements_by_attribution(queryset, unattributed=value)


class DocumentFilter(filters.FilterSet):
    publisher = IdFilter(field_name="publisher_id")
    tag = filters.CharFilter(field_name="tags__name", distinct=True)
    language = filters.CharFilter()
    published_after = filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte"
    )
    published_before = filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lte"
    )
    has_suggestions = filters.BooleanFilter(
        method="filter_has_suggestions",
        help_text="Documents with suggestions that no reviewer has decided on.",
    )
    assigned_to = filters.CharFilter(
        method="filter_assigned_to", help_text="A reviewer's username."
    )
    review_state = filters.ChoiceFilter(
        choices=ReviewState.choices, method="filter_review_state"
    )

    class Meta:
        model = Document
        fields = []

    def filter_has_suggestions(self, queryset, name, value):
        return selectors.documents_by_waiting_suggestions(queryset, waiting=value)

    def filter_assigned_to(self, queryset, name, value):
        return selectors.documents_assigned_to(queryset, value)

    def filter_review_state(self, queryset, name, value):
        return selectors.documents_in_review_state(queryset, value)


class AgreementFilter(DocumentFilter):
    """The documents' filters, and one document by its id."""

    document = IdFilter(field_name="id")


class SourceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    proposed = filters.BooleanFilter()

    class Meta:
        model = Source
        fields = []


class AttributionFilter(filters.FilterSet):
    statement = IdFilter(field_name="statement_id")
    document = IdFilter(field_name="statement__document_id")
    source = filters.CharFilter(method="filter_source", help_text="Id, name or alias.")
    kind = filters.ChoiceFilter(choices=AttributionKind.choices)
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)

    class Meta:
        model = Attribution
        fields = []

    def filter_source(self, queryset, name, value):
        return selectors.attributions_naming(queryset, _source_ids(value))


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Claim.Status.choices)
    tag = filters.CharFilter(field_name="tags__name", distinct=True)
    document = IdFilter(
        method="filter_document",
        help_text="Document id: the claims its statements make (by the mentions "
        "you may see).",
    )
    # Not a BooleanFilter: its widget takes "maybe" for "not given", and a
    # typo would quietly list the default; here it is a 400 naming the value.
    proposed = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        method="filter_proposed",
        help_text="true: claims only suggestions name, waiting for a reviewer; "
        "false (the default): the others.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("proposed") in (None, "") and not self.by_id:
            # Unless asked, a list leaves proposed claims out (as the admin's).
            queryset = selectors.claims_by_proposed(queryset, proposed=False)
        return queryset

    @property
    def by_id(self) -> bool:
        """A detail view finds any claim by its id, proposed or not."""
        view = self.request.parser_context.get("view") if self.request else None
        return view is not None and view.detail

    def filter_proposed(self, queryset, name, value):
        return selectors.claims_by_proposed(queryset, proposed=value)

    def filter_document(self, queryset, name, value):
        return selectors.claims_mentioned_in(
            queryset, value, viewer=getattr(self.request, "user", None)
        )


class ClaimMentionFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    statement = IdFilter(field_name="statement_id")
    document = IdFilter(field_name="statement__document_id")
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)

    class Meta:
        model = ClaimMention
        fields = []


class ClaimReviewFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    status = filters.ChoiceFilter(choices=ClaimReview.Status.choices)
    rating = filters.ChoiceFilter(choices=ClaimReview.Rating.choices)

    class Meta:
        model = ClaimReview
        fields = []


class AnnotationFilter(filters.FilterSet):
    statement = IdFilter(field_name="statement_id")
    claim = IdFilter(field_name="claim_id")
    motivation = filters.ChoiceFilter(choices=Annotation.Motivation.choices)

    class Meta:
        model = Annotation
        fields = []


class JobFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=JobStatus.choices)
    kind = filters.ChoiceFilter(choices=JobKind.choices)
    created_by = filters.CharFilter(
        field_name="created_by__username", help_text="The username who submitted it."
    )

    class Meta:
        model = Job
        fields = ["status", "kind", "created_by"]


class SourceNameSearchFilter(SearchFilter):
    """DRF's ``search``, which also finds what a source is called by any of
    its names: a view's ``search_by_source_names(queryset, term, viewer)``
    (a selector) adds its rows to those the search fields match, by the
    work the requester may see."""

    def filter_queryset(self, request, queryset, view):
        found = super().filter_queryset(request, queryset, view)
        widen = getattr(type(view), "search_by_source_names", None)
        terms = self.get_search_terms(request)
        if widen is None or not terms:
            return found
        by_names = widen(queryset, " ".join(terms), viewer=request.user)
        return selectors.in_either(queryset, found, by_names)


# What the list views filter with: DRF's search widened by source names.
BACKENDS = [DjangoFilterBackend, SourceNameSearchFilter, OrderingFilter]
