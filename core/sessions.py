"""Session limits: logged out after ``PORTAL_SESSION_IDLE_MINUTES`` without activity and
``PORTAL_SESSION_MAX_HOURS`` after the login at the latest, however active the session is.

Django's own ``SESSION_COOKIE_AGE`` slides with every saved session, so both limits are kept
here: the login time and the last activity are stored in the session (as Unix timestamps).
The last activity is written at most once per ``ACTIVITY_RESOLUTION`` seconds, so that not
every request rewrites the session row.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .security import log_event

LOGIN_AT = "_portal_login_at"
LAST_ACTIVITY = "_portal_last_activity"
ACTIVITY_RESOLUTION = 60


def on_logged_in(sender, request, user, **kwargs):
    """Start both clocks at the login (receiver of ``user_logged_in``)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[LAST_ACTIVITY] = now


def expiry_reason(session, now):
    """None while the session may go on; otherwise why it ends ("idle" or "max_age")."""
    login_at = session.get(LOGIN_AT)
    last = session.get(LAST_ACTIVITY, login_at)
    if login_at is not None and now - login_at >= settings.PORTAL_SESSION_MAX_HOURS * 3600:
        return "max_age"
    if last is not None and now - last >= settings.PORTAL_SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


MESSAGES = {
    "idle": "Sie wurden nach %(minutes)d Minuten ohne Aktivität abgemeldet. Bitte melden Sie "
    "sich erneut an.",
    "max_age": "Sie wurden abgemeldet, weil Ihre Anmeldung länger als %(hours)d Stunden "
    "zurückliegt. Bitte melden Sie sich erneut an.",
}


class SessionLimitsMiddleware:
    """Ends idle and too old sessions; after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        now = int(time.time())
        if LOGIN_AT not in session:
            # A session from before these limits (or a login without the signal): start now.
            session[LOGIN_AT] = now
            session[LAST_ACTIVITY] = now
            return None
        reason = expiry_reason(session, now)
        if reason is None:
            if now - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_RESOLUTION:
                session[LAST_ACTIVITY] = now
            return None
        username = user.get_username()
        log_event(
            "session_expired",
            f"session of {username!r} ended ({reason})",
            request=request,
            username=username,
            reason=reason,
        )
        logout(request)
        messages.info(
            request,
            MESSAGES[reason]
            % {
                "minutes": settings.PORTAL_SESSION_IDLE_MINUTES,
                "hours": settings.PORTAL_SESSION_MAX_HOURS,
            },
        )
        return redirect_to_login(request.get_full_path())
