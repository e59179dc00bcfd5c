"""Signing in for a token, ``POST /api/token/``, with the sign-in limits;
and signing out, ``DELETE /api/token/``, which revokes the token it is sent
with (``claims.api.authentication`` says when else a token ends).

django-axes counts failed sign-ins per account and per client address
(settings ``AXES_*``); once either is over the limit, its backend refuses
even the right password, and this view says so with a 429 and
``Retry-After`` in the API's error shape, rather than the 400 of a wrong
password (which would have the client guess on).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_message
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from claims import services
from claims.models import ApiToken


class SignInLocked(exceptions.Throttled):
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Set by django-axes on the request it was given: this one.
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                raise SignInLocked(
                    wait=cool_off.total_seconds() if cool_off else None,
                    detail=str(get_lockout_message()),
                )
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # A token is no session login, so Django sends no user_logged_in:
        # django-axes is told of the success here, so that it forgets the
        # failures before it (AXES_RESET_ON_SUCCESS), as on the admin login.
        AxesProxyHandler.user_logged_in(sender=type(self), request=request, user=user)
        # A new key at each sign-in: only its digest is kept, so the key of
        # an earlier one cannot be given again.
        return Response({"token": services.token_create(user=user)})

    @extend_schema(
        description="Revoke the token this request is sent with (sign out); "
        "the user's other tokens keep working."
    )
    def delete(self, request, *args, **kwargs):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        "Send the token to revoke in the Authorization header "
                        "(Token …); a session signs out at /admin/logout/."
                    ]
                }
            )
        services.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
