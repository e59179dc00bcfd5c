"""API tokens: issued at sign-in, revoked by their holder, ended by a new
password or by age (``API_TOKEN_DAYS``).

Only a key's SHA-256 is stored (``ApiToken``), so the key is shown once, in
the answer that issues it.
"""

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.crypto import salted_hmac

from claims.models import ApiToken

_SEAL_SALT = "claims.api_token.password_seal"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_seal(user: User, *, secret: str | bytes | None = None) -> str:
    """A keyed digest of the user's password hash: another password, another seal.

    Keyed by ``SECRET_KEY`` (or a fallback, ``secret``) like Django's session
    hash, so the table holds nothing derived from a password that one could
    test guesses against.
    """
    return salted_hmac(
        _SEAL_SALT, user.password, secret=secret, algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def token_create(*, user: User) -> str:
    """A new token for ``user``; returns its key, which is stored only hashed."""
    key = secrets.token_hex(20)
    token = ApiToken(
        user=user, digest=token_digest(key), password_seal=password_seal(user)
    )
    token.full_clean()
    token.save()
    return key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """The token signs nobody in any more."""
    ApiToken.objects.filter(pk=token.pk).delete()
