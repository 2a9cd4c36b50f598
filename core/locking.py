"""Saving a form onto a row that others may change at the same time.

A view loads a row, shows or validates a form, then saves. Between load and save others may
have written the same row: the review workflow, publication, a gathering task. Such views
lock the row (``select_for_update()`` inside the transaction), check under the lock that the
save is still allowed, and write only the fields their form owns, so that the other writers'
fields are never overwritten with what was loaded before.
"""


def owned_fields(form, *extra):
    """The concrete model fields a ModelForm edits, plus ``updated_at`` and ``extra``.

    For ``instance.save(update_fields=owned_fields(form))``.
    """
    concrete = {field.name for field in form._meta.model._meta.concrete_fields}
    names = [name for name in form._meta.fields if name in concrete]
    if "updated_at" in concrete:
        names.append("updated_at")
    return [*names, *extra]
