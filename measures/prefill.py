"""A new measure proposed elsewhere in the portal, e.g. by an opportunity of the procedure
register: ``?handlungsfeld=2&partner=<pk>&partner=<pk>&titel=...`` prefills the empty form.

Only initial values: nothing is saved, and the user may change everything before saving.
"""

import re

from fields_of_action.models import FieldOfAction
from municipalities.models import Municipality

MAX_PARTNERS = 40


def _is_id(value):
    """Digits the database can hold: "9" * 30 or "²" ("²".isdigit()) are no id and ignored."""
    return re.fullmatch(r"[0-9]{1,18}", value) is not None


def prefill_from_query(query, form, formset):
    number = query.get("handlungsfeld", "")
    if _is_id(number):
        field = FieldOfAction.objects.filter(number=int(number)).first()
        if field is not None:
            form.initial["field_of_action"] = field.pk
    title = query.get("titel", "").strip()[:200]
    if title:
        form.initial["title"] = title
    ids = [int(v) for v in query.getlist("partner") if _is_id(v)][:MAX_PARTNERS]
    if not ids:
        return
    # A proposed body the user acts for leads (unless one is preselected); the lead is no
    # partner.
    if not form.initial.get("lead_municipality"):
        own = form.fields["lead_municipality"].queryset.filter(pk__in=ids).first()
        if own is not None:
            form.initial["lead_municipality"] = own.pk
    partners = list(
        Municipality.objects.filter(pk__in=ids)
        .exclude(pk=form.initial.get("lead_municipality"))
        .order_by("tree_path")
        .values_list("pk", flat=True)
    )
    formset.initial_extra = [{"municipality": pk} for pk in partners]
    formset.extra = len(partners) + 1
