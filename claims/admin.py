"""The admin, read-only for now: every model can be browsed and searched.

Writes have rules that live in ``claims.services``; the reviewer's workspace
(issue 4) will edit through them. Until then the admin changes nothing, so no
write can bypass those rules.
"""

from django.contrib import admin

from claims import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatementInline(ReadOnlyInline):
    model = models.Statement
    fields = ["index", "start", "end", "text"]


class AliasInline(ReadOnlyInline):
    model = models.SourceAlias
    fields = ["name"]


class AttributionInline(ReadOnlyInline):
    model = models.Attribution
    fields = ["kind", "source", "via", "origin", "status", "created_by"]


class MentionInline(ReadOnlyInline):
    model = models.ClaimMention
    fields = ["statement", "origin", "status"]


class ReviewInline(ReadOnlyInline):
    model = models.ClaimReview
    fields = ["rating", "status", "published_at", "reviewer"]


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "publisher", "published_at", "language", "created_at"]
    list_filter = ["language", "tags"]
    search_fields = ["title", "url"]
    date_hierarchy = "published_at"
    inlines = [StatementInline]


@admin.register(models.Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "document", "index", "start", "end"]
    search_fields = ["text"]
    list_select_related = ["document"]
    inlines = [AttributionInline]


@admin.register(models.Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "proposed"]
    list_filter = ["kind", "proposed"]
    search_fields = ["name", "aliases__name"]
    inlines = [AliasInline]


@admin.register(models.Attribution)
class AttributionAdmin(ReadOnlyAdmin):
    list_display = ["statement", "kind", "source", "origin", "status", "created_by"]
    list_filter = ["kind", "origin", "status"]
    search_fields = ["statement__text", "source__name"]
    list_select_related = ["statement", "source", "created_by"]


@admin.register(models.Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["text", "status", "created_at"]
    list_filter = ["status", "tags"]
    search_fields = ["text"]
    inlines = [MentionInline, ReviewInline]


@admin.register(models.ClaimReview)
class ClaimReviewAdmin(ReadOnlyAdmin):
    list_display = ["claim", "rating", "status", "published_at", "reviewer"]
    list_filter = ["rating", "status"]
    search_fields = ["claim__text", "summary"]


@admin.register(models.Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "motivation", "reviewer", "created_at"]
    list_filter = ["motivation"]
    search_fields = ["body"]


admin.site.register(models.Tag, ReadOnlyAdmin)
admin.site.site_header = "Claim tracking"
admin.site.site_title = "Claim tracking"
