"""DESIGN.md's roles, applied to every API request."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import roles


class RolePermission(BasePermission):
    """Readers read; reviewers write and change their own work; editors all.

    A view lists in ``editor_actions`` what only editors may do (merge
    sources, publish reviews, delete documents), and in ``shared_actions``
    what any reviewer may do to anyone's object (link a statement to a claim).
    Otherwise changing someone else's work needs an editor (``roles``).
    """

    def has_permission(self, request, view):
        user = request.user
        if request.method in SAFE_METHODS:
            return user.is_authenticated or getattr(view, "public_read", False)
        if view.action in getattr(view, "editor_actions", ()):
            return roles.is_editor(user)
        return roles.is_reviewer(user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if view.action in getattr(view, "editor_actions", ()):
            return roles.is_editor(request.user)
        if view.action in getattr(view, "shared_actions", ()):
            return roles.is_reviewer(request.user)
        return roles.can_change(request.user, obj)
