"""Users: those named by records from elsewhere (imports), found or kept as
placeholders (the API tokens are ``claims.services.tokens``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field


@transaction.atomic
def user_get_or_create(*, username: str) -> User:
    """The user of this name; an unknown one becomes an inactive placeholder.

    So authorship survives a move to another database, and nobody can sign in
    as the placeholder until an administrator sets it up. A name the user
    model would refuse raises ``ValidationError``.
    """
    user_model = get_user_model()
    if not isinstance(username, str) or not username:
        raise ValidationError("expected a username", code="username")
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    assert isinstance(field, Field)  # the username is a column, not a relation
    field.clean(username, None)
    user, created = user_model.objects.get_or_create(
        **{user_model.USERNAME_FIELD: username}, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
