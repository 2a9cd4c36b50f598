"""Saving a form onto a row that others may change at the same time.

A view loads a row, shows or validates a form, then saves. Between load and save others may
have written the same row: the review workflow, publication, a gathering task. Such views
lock the row (``select_for_update()`` inside the transaction), check under the lock that the
save is still allowed, and write only the fields their form owns, so that the other writers'
fields are never overwritten with what was loaded before.
"""

from django import forms


def owned_fields(form, *extra):
    """The concrete model fields a ModelForm edits, plus ``updated_at`` and ``extra``.

    For ``instance.save(update_fields=owned_fields(form))``.
    """
    concrete = {field.name for field in form._meta.model._meta.concrete_fields}
    names = [name for name in form._meta.fields if name in concrete]
    if "updated_at" in concrete:
        names.append("updated_at")
    return [*names, *extra]


# --- Refusing a stale save (optimistic locking on the modification time) -----------------------

VERSION_FIELD = "loaded_version"


def version_token(instance):
    """The row's state as a form saw it: its modification time (``updated_at``).

    Every save through a form writes ``updated_at`` (``owned_fields``); the background writers
    of the same rows (gathering, publication) use ``update()`` or their own ``update_fields``
    and leave it alone, so only another person's save moves the token on.
    """
    stamp = getattr(instance, "updated_at", None)
    return stamp.isoformat() if stamp else ""


class StaleCheckMixin:
    """A ModelForm on a row that others edit too: carries the token of the row it was loaded
    from in a hidden field, so the view can refuse a save made on an older state.

    The view locks the row, asks ``is_stale(current)`` and, when it is, renders the form again
    with ``conflict(current)``: the typed input stays, the table shows what is stored now,
    and the next save overwrites on purpose. A crispy layout names ``VERSION_FIELD``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and not self.is_bound:
            self.fields[VERSION_FIELD].initial = version_token(self.instance)

    def is_stale(self, current):
        return self.data.get(VERSION_FIELD, "") != version_token(current)

    def stored_extra(self, current):
        """{form field name: stored value} for fields the form saves outside the row."""
        return {}

    def conflict(self, current):
        """Prepare the refused form for showing again; returns the template's ``conflict``."""
        changes = differences(self, current, self.stored_extra(current))
        self.data = self.data.copy()
        self.data[VERSION_FIELD] = version_token(current)
        return {"changes": changes}


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        return sorted(_comparable(v) for v in value)
    return None if value == "" else value


def _shown(form_field, value):
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        return ", ".join(str(v) for v in value) or "–"
    choices = dict(getattr(form_field, "flatchoices", None) or getattr(form_field, "choices", ()))
    if not hasattr(value, "pk") and value in choices:
        return str(choices[value])
    if hasattr(form_field, "prepare_value") and not hasattr(value, "pk"):
        prepared = form_field.prepare_value(value)
        if isinstance(prepared, str):
            return prepared
    return str(value)


def differences(form, current, extra=None):
    """Where the row as stored now differs from what the user typed: for the conflict table.

    [{"field": label, "stored": shown value, "typed": shown value}] in the form's order, only
    fields that were valid (the others show their error anyway).
    """
    stored = {}
    concrete = {f.name: f for f in current._meta.get_fields() if hasattr(f, "value_from_object")}
    for name in form.fields:
        if name in (extra or {}):
            stored[name] = extra[name]
        elif name in concrete and name in form._meta.fields:
            model_field = concrete[name]
            # A foreign key as its object (for the label), a many-to-many as the list.
            relation = model_field.many_to_one or model_field.one_to_one
            stored[name] = (
                getattr(current, name) if relation else model_field.value_from_object(current)
            )
    typed = getattr(form, "cleaned_data", {})
    result = []
    for name, value in stored.items():
        if name not in typed:
            continue
        field = form.fields[name]
        if _comparable(value) != _comparable(typed[name]):
            result.append(
                {
                    "field": field.label or name,
                    "stored": _shown(field, value),
                    "typed": _shown(field, typed[name]),
                }
            )
    return result
