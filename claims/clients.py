"""Who a request comes from: one answer for the API's throttles and for the
sign-in limits (django-axes), taken as the deployment's proxies say.

``TRUSTED_PROXIES`` (DRF's ``NUM_PROXIES``) is the number of proxies in front
of the app server. With 0, the default, the address is the connection's own
(``REMOTE_ADDR``) and ``X-Forwarded-For`` is ignored, since any client can
send it; with N, it is the address the N-th proxy from the app server saw,
counting ``X-Forwarded-For`` from its right, which only the proxies write.
"""

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address, as DRF's throttles key on it."""
    return BaseThrottle().get_ident(request)
