from django import template

from procedures.catalogue import service_for_key

register = template.Library()


@register.simple_tag
def leika_service(key):
    """The catalogue service of a LeiKa key, or None (one query; for detail pages)."""
    return service_for_key(key)
