"""Sources: aliases, proposed sources to confirm, counts by kind, merging."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from claims import roles, selectors, services
from claims.admin.base import (
    HistoryRoleAdmin,
    VersionedServiceForm,
    admin_viewer,
    annotated_count,
    names_field,
    split_names,
)
from claims.models import AttributionKind, Rating, Source

FIELDS = ["name", "kind", "description", "url", "wikidata_id", "proposed"]


class SourceForm(VersionedServiceForm):
    alias_names = names_field(
        "Aliases", "Other names and spellings, one a line (not “he” or “it”)."
    )

    class Meta(VersionedServiceForm.Meta):
        model = Source
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["alias_names"].initial = "\n".join(
                selectors.alias_names(self.instance)
            )

    def call_service(self, data):
        fields = {name: data[name] for name in FIELDS}
        aliases = split_names(data.get("alias_names", ""))
        if self.instance.pk:
            return services.source_update(
                source=self.instance,
                expected_version=self.expected_version,
                aliases=aliases,
                **fields,
            )
        return services.source_create(
            **fields, aliases=aliases, created_by=self.request.user
        )


@admin.register(Source)
class SourceAdmin(HistoryRoleAdmin):
    form = SourceForm
    list_display = [
        "name", "kind", "proposed", *(f"{k}_count" for k in AttributionKind.values),
        "record_summary",
    ]  # fmt: skip
    list_filter = ["proposed", "kind"]
    search_fields = ["name", "aliases__name"]
    actions = ["confirm", "merge"]
    readonly_fields = ["record", "said"]

    @admin.display(description="Track record", ordering="record_claims")
    def record_summary(self, source):
        """How many claims its statements carry, and their latest published
        verdicts by rating (annotated by the list's selector)."""
        if not source.record_claims:
            return "—"
        verdicts = ", ".join(
            f"{count} {rating.label}"
            for rating in Rating
            if (count := getattr(source, selectors.record_field(rating)))
        )
        claims = f"{source.record_claims} claim{pluralize(source.record_claims)}"
        return f"{claims}: {verdicts}" if verdicts else f"{claims}, none checked"

    @admin.display(description="Track record")
    def record(self, source):
        """The published verdicts of the claims its statements carry: counts
        by rating, then each verdict with its claim and those statements."""
        if source.pk is None:
            return "—"
        record = selectors.source_record(source, admin_viewer(source))
        return render_to_string(
            "admin/claims/source/record.html",
            {
                "record": record,
                "by_rating": [
                    (rating.label, record.by_rating[rating]) for rating in Rating
                ],
            },
        )

    @admin.display(description="What the source said")
    def said(self, source):
        """Its statements by kind, each with the claims it carries and their
        latest published verdict."""
        if source.pk is None:
            return "—"
        kinds = dict(AttributionKind.choices)
        groups: dict[str, list] = {}
        for attribution in selectors.source_statements(source, admin_viewer(source)):
            groups.setdefault(kinds[attribution.kind], []).append(attribution)
        return render_to_string(
            "admin/claims/source/said.html", {"groups": groups.items()}
        )

    def get_queryset(self, request):
        # A source that only another annotator's hidden work names is not
        # found, and the counts are of the attributions one may see.
        user = request.user
        return selectors.sources_visible_to(
            selectors.sources_with_records(selectors.sources_for_review(user), user),
            user,
        )

    direct_count = annotated_count("direct_count", "direct")
    indirect_count = annotated_count("indirect_count", "indirect")
    mixed_count = annotated_count("mixed_count", "mixed")
    author_count = annotated_count("author_count", "author")

    def delete_object(self, obj):
        services.source_delete(source=obj)

    @admin.action(description="Confirm the selected proposed sources")
    def confirm(self, request, queryset):
        for source in selectors.sources_proposed(queryset):
            if roles.can_change(request.user, source):
                services.source_update(source=source, proposed=False)

    @admin.action(description="Merge the selected sources into one (editors)")
    def merge(self, request, queryset):
        """Ask which source to keep, then fold the others into it."""
        if not roles.is_editor(request.user):
            raise PermissionDenied
        sources = list(queryset)
        if len(sources) < 2:
            self.message_user(request, "Select two or more sources.", messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        if keep_id:
            keep = next((s for s in sources if str(s.pk) == keep_id), None)
            if keep is None:
                self.message_user(
                    request, "Keep one of the selected sources.", messages.WARNING
                )
                return None
            try:
                with transaction.atomic():  # all the merges, or none
                    for other in sources:
                        if other.pk != keep.pk:
                            services.source_merge(keep=keep, merge=other)
            except ValidationError as error:
                self.refuse(request, error)
                return None
            self.message_user(request, f"Merged {len(sources) - 1} into “{keep}”.")
            return None
        return TemplateResponse(
            request,
            "admin/claims/source/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Merge sources",
                "sources": sources,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles.is_editor(request.user):
            actions.pop("merge", None)
        if not roles.is_reviewer(request.user):
            actions.pop("confirm", None)
        return actions
