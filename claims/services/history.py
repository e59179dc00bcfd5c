"""History from the start: a first record for rows written without one.

``loaddata`` saves raw, and django-simple-history records nothing for raw
saves, so the seed's rows had no history until their first change, which
then could not be reverted. The services write history as they save (and
``bulk_history.create_with_history`` where they write in bulk); this fills in the
rest, with simple-history's own bulk creation.
"""

from django.contrib.auth.models import User
from django.db import transaction

from claims.models import (
    Annotation,
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    Source,
)

WITH_HISTORY = [Source, Claim, ClaimMention, Attribution, ClaimReview, Annotation]


@transaction.atomic
def history_start(*, reason: str = "Loaded", user: User | None = None) -> int:
    """Give every row of a model with history that has no record yet its
    first ("created") record, as it is now; return how many were made."""
    made = 0
    for model in WITH_HISTORY:
        recorded = model.history.values("id")  # type: ignore[attr-defined]
        missing = list(model._default_manager.exclude(pk__in=recorded).order_by("pk"))
        if missing:
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                missing, default_change_reason=reason, default_user=user
            )
            made += len(missing)
    return made
