"""Validators shared by the apps' model fields (ModelForms and ModelSerializers run them)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates the portal plans, measures and decides with. Outside these years a date is a typing
# error ("0001" for "2001", "20266"), and years before 1000 break formats that expect four
# digits ("1-01" instead of "0001-01").
MIN_YEAR = 1900
MAX_YEAR = 2100


def day_label(value):
    """A date as Germans write it, with four-digit years also before 1000."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def validate_date_range(value):
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _(
                "Das Datum %(day)s liegt außerhalb der Jahre %(min)s bis %(max)s. Bitte prüfen "
                "Sie die Jahreszahl."
            ),
            code="date_range",
            params={"day": day_label(value), "min": MIN_YEAR, "max": MAX_YEAR},
        )
