"""Units of indicator values as people read them."""

# Units that only say "this is a count": the number alone reads right ("80", not "80 Anzahl").
COUNT_UNITS = {"anzahl", "anz.", "stück", "stk.", "zahl"}


def unit_suffix(unit):
    """ " %", " Tage" - or nothing for a count unit such as "Anzahl"."""
    unit = (unit or "").strip()
    return "" if not unit or unit.casefold() in COUNT_UNITS else f" {unit}"
