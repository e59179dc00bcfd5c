"""The reviewers' workspace: every page follows DESIGN.md's roles and writes
through ``claims.services`` (see ``claims.admin.base``)."""

from django.contrib import admin

from claims.admin import claims, documents, jobs, sources  # noqa: F401  (registers)
from claims.admin.base import RoleAdmin
from claims.models import Tag


@admin.register(Tag)
class TagAdmin(RoleAdmin):
    """Tags come and go with the documents, claims and notes that carry them."""

    search_fields = ["name"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = "Claim tracking"
admin.site.site_title = "Claim tracking"
# "View site": the public index of published claim reviews (/ has no page).
admin.site.site_url = "/claims/"
