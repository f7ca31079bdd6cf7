"""Login throttling: django-axes's lockout check in front of Django's own backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse logins for a locked-out username + address; otherwise let ModelBackend decide.

    Every login form (the admin's included) passes the request. A call without one, such as the
    test client's ``login()``, has no client address to count failures against, so it goes on to
    the next backend instead of raising as axes does by default.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
