"""“Passwort vergessen”: Django's reset page with a limit on the e-mails it sends.

At most ``PASSWORD_RESET_LIMIT_PER_ACCOUNT`` mails to one account and
``PASSWORD_RESET_LIMIT_PER_ADDRESS`` requests from one client address per
``PASSWORD_RESET_WINDOW_MINUTES``. Over a limit nothing is sent, the event goes to the
security log, and the page answers exactly as when a mail was sent (or no account exists), so
that nobody learns from it which addresses have an account.
"""

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from core.security import AttemptLimit, client_ip, log_event


def _limit(name, limit):
    return AttemptLimit(name, limit, settings.PASSWORD_RESET_WINDOW_MINUTES * 60)


def limit_per_address():
    return _limit("password-reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)


def limit_per_account():
    return _limit("password-reset-account", settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT)


class LimitedPasswordResetForm(auth_forms.PasswordResetForm):
    """Leaves out the accounts that had their share of reset mails."""

    request = None  # set by the view, for the security log

    def get_users(self, email):
        limit = limit_per_account()
        for user in super().get_users(email):
            if limit.blocked_for(user.pk):
                log_event(
                    "password_reset_limited",
                    f"password reset mail to account {user.get_username()!r} not sent: "
                    f"{limit.limit} within {limit.window} s",
                    request=self.request,
                    level=logging.WARNING,
                    username=user.get_username(),
                    reason="account",
                )
                continue
            limit.count(user.pk)
            yield user


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm

    def form_valid(self, form):
        ip = client_ip(self.request)
        limit = limit_per_address()
        if limit.blocked_for(ip):
            log_event(
                "password_reset_limited",
                f"password reset from {ip} refused: {limit.limit} requests within {limit.window} s",
                request=self.request,
                level=logging.WARNING,
                reason="address",
            )
            # The same answer as for a sent mail: the limit reveals nothing about accounts.
            return HttpResponseRedirect(self.get_success_url())
        limit.count(ip)
        form.request = self.request
        return super().form_valid(form)
