"""Absolute links for e-mails, built from the configured PORTAL_BASE_URL.

The request's Host header is not trusted for links that leave the portal (password reset):
``{% portal_url 'password_reset_confirm' uidb64=uid token=token %}``.
"""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def portal_url(view_name, *args, **kwargs):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(view_name, args=args, kwargs=kwargs)
