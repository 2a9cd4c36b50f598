"""Small helpers for crispy-forms layouts shared by the apps."""

from crispy_forms.layout import Div


def columns(*fields):
    """A Bootstrap row of equally wide columns; a ``(name, width)`` pair sets a width (of 12)."""
    default = 12 // len(fields)
    cells = []
    for field in fields:
        name, width = field if isinstance(field, tuple) else (field, default)
        cells.append(Div(name, css_class=f"col-md-{width}"))
    return Div(*cells, css_class="row")
