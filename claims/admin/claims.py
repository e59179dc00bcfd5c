"""Attributions, claims with their timeline and reviews, claim reviews, and
annotations: each edited through its service, with its history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join

from claims import embeddings, roles, search, selectors, services
from claims.admin.base import (
    HistoryRoleAdmin,
    SourceNameSearchMixin,
    VersionedServiceForm,
    admin_viewer,
    names_field,
    split_names,
)
from claims.api.serializers.similar import MAX_TEXT
from claims.models import Annotation, Attribution, Claim, ClaimMention, ClaimReview


def _span(data, prefix):
    start, end = data.get(f"{prefix}_start"), data.get(f"{prefix}_end")
    return None if start is None and end is None else (start, end)


class AttributionForm(VersionedServiceForm):
    class Meta(VersionedServiceForm.Meta):
        model = Attribution
        fields = [
            "statement", "kind", "source", "source_start", "source_end", "cue_start",
            "cue_end", "content_start", "content_end", "via", "primary_source_url",
            "confidence",
        ]  # fmt: skip

    def call_service(self, data):
        fields = {
            "kind": data["kind"],
            "source": data.get("source"),
            "source_span": _span(data, "source"),
            "cue": _span(data, "cue"),
            "content": _span(data, "content"),
            "via": data.get("via"),
            "primary_source_url": data.get("primary_source_url", ""),
            "confidence": data.get("confidence"),
        }
        for name in ("source_span", "cue", "content"):
            if fields[name] and None in fields[name]:
                raise forms.ValidationError(f"Give both ends of the {name} span.")
        if self.instance.pk:
            return services.attribution_update(
                attribution=self.instance,
                expected_version=self.expected_version,
                changed_by=self.request.user,
                **fields,
            )
        return services.attribution_create(
            statement=data["statement"], created_by=self.request.user, **fields
        )


@admin.register(Attribution)
class AttributionAdmin(HistoryRoleAdmin):
    form = AttributionForm
    list_display = [
        "statement", "kind", "source", "origin", "status", "created_by",
        "reviewed_by", "reviewed_at",
    ]  # fmt: skip
    list_filter = ["kind", "origin", "status"]
    search_fields = ["statement__text", "source__name"]
    list_select_related = ["statement", "source", "created_by", "reviewed_by"]
    autocomplete_fields = ["statement", "source", "via"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        # Another annotator's independent work stays out of sight (and out
        # of reach: its page answers "does not exist").
        return selectors.work_visible_to(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["statement"] if obj else []

    def delete_object(self, obj):
        services.attribution_delete(attribution=obj)

    @admin.action(description="Accept the selected attributions")
    def accept(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            lambda a: services.attribution_accept(
                attribution=a, reviewed_by=request.user
            ),
        )

    @admin.action(description="Reject the selected attributions")
    def reject(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            lambda a: services.attribution_reject(
                attribution=a, reviewed_by=request.user
            ),
        )


class ClaimForm(VersionedServiceForm):
    tag_names = names_field("Tags", "One a line.")

    class Meta(VersionedServiceForm.Meta):
        model = Claim
        fields = ["text", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = "\n".join(
                selectors.tag_names(self.instance)
            )

    def call_service(self, data):
        tags = split_names(data.get("tag_names", ""))
        if self.instance.pk:
            return services.claim_update(
                claim=self.instance,
                expected_version=self.expected_version,
                text=data["text"],
                status=data["status"],
                tags=tags,
                changed_by=self.request.user,
            )
        return services.claim_create(
            text=data["text"], status=data["status"], tags=tags,
            created_by=self.request.user,
        )  # fmt: skip


class ProposedFilter(admin.SimpleListFilter):
    """Proposed claims (only suggestions name them) are left out unless asked."""

    title = "proposed"
    parameter_name = "proposed"

    def lookups(self, request, model_admin):
        return [("no", "Confirmed"), ("yes", "Proposed, waiting for a reviewer")]

    def queryset(self, request, queryset):
        return selectors.claims_by_proposed(queryset, proposed=self.value() == "yes")

    def choices(self, changelist):
        # No "All": the default is "Confirmed", as in the API's list.
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "no") == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}
                ),
                "display": label,
            }


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their claim's page, changed on their own pages."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MentionInline(ReadOnlyInline):
    """Where the claim appears, each link with its review (decided in the
    workspace or the claim mentions' page)."""

    model = ClaimMention
    fields = ["statement", "status", "origin", "reviewed_by", "reviewed_at"]

    def get_queryset(self, request):
        return selectors.mentions_on_claim_page(
            selectors.work_visible_to(super().get_queryset(request), request.user)
        )


class ReviewInline(ReadOnlyInline):
    model = ClaimReview
    fields = ["rating", "status", "published_at", "reviewer", "summary"]


@admin.register(Claim)
class ClaimAdmin(SourceNameSearchMixin, HistoryRoleAdmin):
    form = ClaimForm
    search_by_source_names = selectors.claims_by_source_names
    list_display = [
        "text", "status", "proposed", "mention_count", "created_by", "created_at",
    ]  # fmt: skip
    list_filter = [ProposedFilter, "status", "tags"]
    search_fields = ["text"]
    readonly_fields = ["proposed", "timeline"]
    inlines = [MentionInline, ReviewInline]

    def get_queryset(self, request):
        # A claim that only another annotator's hidden work brought in is
        # not found, and the counts are of the mentions one may see.
        user = request.user
        return selectors.claims_visible_to(selectors.claims_listed(user), user)

    def get_urls(self):
        similar = path(
            "similar/",
            self.admin_site.admin_view(self.similar_view),
            name="claims_claim_similar",
        )
        return [similar, *super().get_urls()]

    def similar_view(self, request):
        """Has this been checked? A pasted text's similar claims and verdicts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        text = request.GET.get("text", "")
        found = error = None
        if len(text) > MAX_TEXT:
            error = f"The text is longer than {MAX_TEXT:,} characters."
        elif text.strip():
            found = search.similar_claims(text, limit=20, viewer=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Has this been checked?",
            "text": text,
            "found": found,
            "error": error,
            "max_text": MAX_TEXT,
            "lexical_only": embeddings.unavailable_reason(),
        }
        return TemplateResponse(request, "admin/claims/claim/similar.html", context)

    @admin.display(description="mentions", ordering="mention_count")
    def mention_count(self, claim):
        return claim.mention_count

    @admin.display(description="Timeline: where and when the claim appears")
    def timeline(self, claim):
        """Each appearance by date, as people write dates, linked to its
        statement in the document's workspace."""
        if claim.pk is None:
            return "—"
        rows = []
        for mention in selectors.claim_timeline(claim, admin_viewer(claim)):
            statement = mention.statement
            document = statement.document
            rows.append(
                (
                    reverse("admin:claims_document_change", args=[document.pk])
                    + f"#statement-{statement.pk}",
                    date_format(document.published_at, "j F Y")
                    if document.published_at
                    else "undated",
                    document.title,
                    document.publisher or "—",
                    ", ".join(
                        f"{a.get_kind_display()} ({a.source or 'the document'})"
                        for a in statement.attributions.all()
                    )
                    or "unattributed",
                    statement.text,
                )
            )
        return (
            format_html_join(
                "\n",
                '<p><a href="{}"><b>{}</b> · {}</a> · {} · {}<br>“{}”</p>',
                rows,
            )
            or "No mentions yet."
        )

    def delete_object(self, obj):
        services.claim_delete(claim=obj)


@admin.register(ClaimMention)
class ClaimMentionAdmin(HistoryRoleAdmin):
    """Links are made in the workspace (or the API); here they are reviewed,
    unlinked, and their history read."""

    list_display = ["claim", "statement", "status", "origin", "reviewed_by"]
    list_filter = ["status", "origin"]
    search_fields = ["claim__text", "statement__text"]
    list_select_related = ["claim", "statement", "reviewed_by"]
    readonly_fields = [
        "claim", "statement", "status", "origin", "created_by", "reviewed_by",
        "reviewed_at", "version",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["accept", "reject"]

    def has_add_permission(self, request, *args):
        return False

    def get_queryset(self, request):
        return selectors.work_visible_to(super().get_queryset(request), request.user)

    def delete_object(self, obj):
        services.claim_mention_delete(mention=obj)

    @admin.action(description="Accept the selected mentions")
    def accept(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            lambda m: services.claim_mention_accept(
                mention=m, reviewed_by=request.user
            ),
        )

    @admin.action(description="Reject the selected mentions")
    def reject(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            lambda m: services.claim_mention_reject(
                mention=m, reviewed_by=request.user
            ),
        )


class EvidenceLinksField(forms.CharField):
    """Evidence links one a line: a URL, then optionally the URL of an
    archived copy, then optionally a title — what a reviewer pastes, stored
    as ``[{"url", "title", "archive_url"}]``."""

    widget = forms.Textarea(
        attrs={"rows": 4, "placeholder": "https://… [https://archive…] Title"}
    )
    _url = URLValidator(schemes=["http", "https"])

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " ".join(
                    filter(
                        None,
                        [
                            link.get("url", ""),
                            link.get("archive_url", ""),
                            link.get("title", ""),
                        ],
                    )
                )
                for link in value
                if isinstance(link, dict)
            )
        return value

    def to_python(self, value):
        links = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            url, _, rest = line.strip().partition(" ")
            archive_url = ""
            second, _, after = rest.strip().partition(" ")
            # A second word that starts as an address is the archived copy's,
            # checked as one (a title rarely opens with "http:").
            if second.lower().startswith(("http:", "https:")):
                archive_url, rest = second, after
            for address in filter(None, [url, archive_url]):
                try:
                    self._url(address)
                except ValidationError:
                    raise ValidationError(
                        "Line %(n)s: “%(url)s” is not an http(s) URL.",
                        params={"n": number, "url": address[:100]},
                        code="invalid_url",
                    ) from None
            link = {"url": url, "title": rest.strip()}
            if archive_url:
                link["archive_url"] = archive_url
            links.append(link)
        return links


class ClaimReviewForm(VersionedServiceForm):
    evidence = EvidenceLinksField(
        required=False,
        help_text="Records that settle the claim: one a line, its URL, then "
        "the URL of an archived copy (optional), then its title (optional).",
    )

    class Meta(VersionedServiceForm.Meta):
        model = ClaimReview
        fields = ["claim", "rating", "summary", "evidence"]

    def call_service(self, data):
        evidence = data.get("evidence") or []
        if self.instance.pk:
            return services.claim_review_update(
                review=self.instance,
                expected_version=self.expected_version,
                rating=data["rating"],
                summary=data["summary"],
                evidence=evidence,
            )
        return services.claim_review_create(
            claim=data["claim"],
            reviewer=self.request.user,
            rating=data["rating"],
            summary=data["summary"],
            evidence=evidence,
        )


@admin.register(ClaimReview)
class ClaimReviewAdmin(HistoryRoleAdmin):
    form = ClaimReviewForm
    list_display = ["claim", "rating", "status", "published_at", "reviewer"]
    list_filter = ["rating", "status"]
    search_fields = ["claim__text", "summary"]
    list_select_related = ["claim", "reviewer"]
    autocomplete_fields = ["claim"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        return ["claim", "status", "published_at"] if obj else []

    def delete_object(self, obj):
        services.claim_review_delete(review=obj)

    @admin.action(description="Publish the selected reviews (editors)")
    def publish(self, request, queryset):
        for review in selectors.reviews_in_draft(queryset):
            services.claim_review_publish(review=review)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles.is_editor(request.user):
            actions.pop("publish", None)
        return actions


class AnnotationForm(VersionedServiceForm):
    tag_names = names_field("Tags", "One a line.")

    class Meta(VersionedServiceForm.Meta):
        model = Annotation
        fields = ["statement", "claim", "motivation", "body"]

    def call_service(self, data):
        tags = split_names(data.get("tag_names", ""))
        if self.instance.pk:
            return services.annotation_update(
                annotation=self.instance,
                expected_version=self.expected_version,
                motivation=data["motivation"],
                body=data["body"],
                tags=tags,
            )
        return services.annotation_create(
            target=services.annotation_target(
                statement=data.get("statement"), claim=data.get("claim")
            ),
            reviewer=self.request.user,
            motivation=data["motivation"],
            body=data["body"],
            tags=tags,
        )


@admin.register(Annotation)
class AnnotationAdmin(HistoryRoleAdmin):
    form = AnnotationForm
    list_display = ["__str__", "motivation", "reviewer", "created_at"]
    list_filter = ["motivation"]
    search_fields = ["body"]
    autocomplete_fields = ["statement", "claim"]

    def get_readonly_fields(self, request, obj=None):
        return ["statement", "claim"] if obj else []

    def delete_object(self, obj):
        services.annotation_delete(annotation=obj)
