"""``Authorization: Token KEY``, against the hashed keys of ``ApiToken``.

The header and its answers are DRF's ``TokenAuthentication``'s, so clients
see no change; what differs is what is stored (a digest, not the key) and
when a key stops working: revoked (``DELETE /api/token/``), issued under a
password the user has since changed (by any path: the admin, ``changepassword``,
``set_password``), or older than ``API_TOKEN_DAYS`` when that is set.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework import authentication, exceptions

from claims import selectors, services
from claims.models import ApiToken
from claims.services.tokens import password_seal, token_digest


def _sealed_by_current_password(token: ApiToken) -> bool:
    # SECRET_KEY_FALLBACKS: rotating the secret key ends no token, as it
    # ends no session.
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(
        constant_time_compare(token.password_seal, password_seal(token.user, secret=s))
        for s in secrets
    )


def token_expired(token: ApiToken) -> bool:
    days = settings.API_TOKEN_DAYS
    return bool(days) and token.created_at + timedelta(days=days) <= timezone.now()


class HashedTokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        token = selectors.api_token_by_digest(token_digest(key))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if not _sealed_by_current_password(token):
            services.token_revoke(token=token)
            raise exceptions.AuthenticationFailed(
                "The token was issued before the password changed: sign in again."
            )
        if token_expired(token):
            services.token_revoke(token=token)
            raise exceptions.AuthenticationFailed(
                f"The token has expired (API_TOKEN_DAYS={settings.API_TOKEN_DAYS}): "
                "sign in again."
            )
        return (token.user, token)
