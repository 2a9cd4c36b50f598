"""Error messages that say what to enter, and length limits that never cut text silently.

``HelpfulFieldsMixin`` goes first in the bases of the portal's main forms. It replaces
Django's generic messages ("Dieses Feld ist zwingend erforderlich.") with ones naming the
field and what to enter, unless a form set its own, and it moves ``maxlength`` to
``data-maxlength``: the browser would cut pasted text without a word, whereas the server now
says "höchstens 200 Zeichen" and static/js/forms.js shows a counter while typing.
"""

import functools

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@functools.cache
def _default_message_text(field_class, key, language):
    """Django's own message for ``key`` on ``field_class`` as text in ``language``, or None
    (a portal field class with its own message stays untouched). Cached: forms are built on
    every request, and walking the classes and translating cost two milliseconds a form."""
    for cls in field_class.__mro__:
        if not cls.__module__.startswith("django."):
            if key in getattr(cls, "default_error_messages", {}):
                return None
            continue
        message = getattr(cls, "default_error_messages", {}).get(key)
        if message is not None:
            return str(message)
    return None


def _is_default(field, key):
    message = field.error_messages.get(key)
    if message is None:
        return False
    default = _default_message_text(type(field), key, translation.get_language())
    return default is not None and str(message) == default


def _messages_for(field, label):
    choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    messages = {
        "required": (
            _("Bitte wählen Sie „%(label)s“.") if choice else _("Bitte füllen Sie „%(label)s“ aus.")
        )
        % {"label": label},
        "invalid_choice": _("Bitte wählen Sie einen der angebotenen Einträge."),
    }
    if isinstance(field, forms.DateField):
        messages["invalid"] = _("Bitte geben Sie ein Datum ein, z. B. 31.12.2026.")
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = _("Bitte geben Sie eine ganze Zahl ein, z. B. 12.")
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = _("Bitte geben Sie eine Zahl ein, z. B. 12,5.")
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = _("Bitte geben Sie eine E-Mail-Adresse ein, z. B. name@beispiel.de.")
    elif isinstance(field, forms.URLField):
        messages["invalid"] = _(
            "Bitte geben Sie eine vollständige Internetadresse ein, z. B. https://www.beispiel.de."
        )
    return messages


class HelpfulFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").rstrip(":")
            for key, message in _messages_for(field, label).items():
                if _is_default(field, key):
                    field.error_messages[key] = message
            limit = getattr(field, "max_length", None)
            if limit and "maxlength" in field.widget.attrs:
                del field.widget.attrs["maxlength"]
                field.widget.attrs["data-maxlength"] = str(limit)
                field.validators = [
                    MaxLengthValidator(
                        limit,
                        message=_(
                            "Höchstens %(limit_value)d Zeichen, bitte kürzen "
                            "(jetzt %(show_value)d Zeichen)."
                        ),
                    )
                    if isinstance(v, MaxLengthValidator)
                    else v
                    for v in field.validators
                ]
