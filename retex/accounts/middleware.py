"""Staff sessions end after RETEX_STAFF_IDLE_MINUTES without a request, and after
RETEX_STAFF_SESSION_HOURS in any case, even for someone active all day.

The session records when its owner signed in and when they were last seen. "Last seen" is
written at most once a minute, so that browsing the back office does not write the session on
every request (the idle limit is therefore exact to the minute). SESSION_COOKIE_AGE ends the
cookie and the stored session at the same absolute limit.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils.translation import ngettext

SIGNED_IN_AT = "retex_signed_in_at"
LAST_SEEN = "retex_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds


def session_start(request: HttpRequest) -> None:
    """Called right after a sign-in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class StaffSessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            # A session opened another way (the test client's force_login): its clock starts.
            session_start(request)
            return
        idle = now - last_seen > settings.RETEX_STAFF_IDLE_MINUTES * 60
        too_old = now - signed_in_at > settings.RETEX_STAFF_SESSION_HOURS * 60 * 60
        if idle or too_old:
            logout(request)
            messages.info(request, self._ended_message(idle=idle))
        elif now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now

    @staticmethod
    def _ended_message(*, idle: bool) -> str:
        if idle:
            minutes = settings.RETEX_STAFF_IDLE_MINUTES
            return ngettext(
                "Your session ended after %(count)d minute without activity: sign in again.",
                "Your session ended after %(count)d minutes without activity: sign in again.",
                minutes,
            ) % {"count": minutes}
        hours = settings.RETEX_STAFF_SESSION_HOURS
        return ngettext(
            "Your session ended after %(count)d hour: sign in again.",
            "Your session ended after %(count)d hours: sign in again.",
            hours,
        ) % {"count": hours}
