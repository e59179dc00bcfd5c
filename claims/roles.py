"""The roles of DESIGN.md, as predicates the API and the admin both ask.

Anonymous users read published reviews only; any signed-in user reads
everything; a reviewer writes and edits their own work; an editor edits
everyone's, merges sources, publishes reviews and assigns documents to
reviewers, who set the state of their own assignments (the assignment
services refuse an assignee who is not a reviewer). Roles are the groups
``reviewer`` and ``editor`` (fixtures/demo_users.json); superusers hold both.
"""

from claims import selectors

REVIEWER = "reviewer"
EDITOR = "editor"


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cache per request-bound user object: permission checks ask often.
    if not hasattr(user, "_claims_groups"):
        user._claims_groups = selectors.group_names(user)
    return name in user._claims_groups


def is_editor(user) -> bool:
    return _in_group(user, EDITOR)


def is_reviewer(user) -> bool:
    """Reviewers and editors may write; editors do all that reviewers do."""
    return is_editor(user) or _in_group(user, REVIEWER)


def owner_of(obj):
    """Whose work an object is: its reviewer, or whoever created it.

    A suggestion nobody made becomes the work of whoever reviewed it (a claim
    mention's ``reviewed_by``): another reviewer cannot undo that decision.
    """
    if hasattr(obj, "reviewer_id"):
        return obj.reviewer_id
    return getattr(obj, "created_by_id", None) or getattr(obj, "reviewed_by_id", None)


def can_change(user, obj) -> bool:
    """Whether ``user`` may change or delete ``obj``.

    Editors change anything. Reviewers change their own work, and suggestions
    and imports that nobody owns (so that they can accept or correct them),
    but never another reviewer's work, and not a published review.
    """
    if is_editor(user):
        return True
    if not is_reviewer(user) or getattr(obj, "status", None) == "published":
        return False
    owner = owner_of(obj)
    return owner is None or owner == user.pk


def can_manage_job(user, job) -> bool:
    """Whether ``user`` may see, cancel and download ``job``: its owner (who
    was allowed to start it) or an editor."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_editor(user) or job.created_by_id == user.pk
