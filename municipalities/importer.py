"""Import of the district's municipalities from a Destatis GV-ISys extract ("Auszug GV").

The importer reads the exact CSV format Destatis publishes (UTF-8 with byte-order mark,
numbers with spaces as thousands separators, coordinates with a decimal comma). It parses and
validates the whole file first and writes only if every line is sound, in one transaction, so
a refused file changes nothing. Running it twice changes nothing the second time.
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Municipality, MunicipalityKind

REQUIRED_COLUMNS = (
    "satzart",
    "textkennzeichen",
    "land",
    "rb",
    "kreis",
    "vb",
    "gemeinde",
    "gemeindename",
    "flaeche",
    "bevoelkerung",
    "postleitzahl",
    "laengengrad",
    "breitengrad",
)

# Satzart (record type) of the GV-ISys extract.
RECORD_LAND, RECORD_REGION, RECORD_DISTRICT, RECORD_ASSOCIATION, RECORD_MUNICIPALITY = (
    "10",
    "20",
    "40",
    "50",
    "60",
)
# Textkennzeichen of associations (satzart 50) that are bodies with an administration.
ASSOCIATION_KINDS = {"52": MunicipalityKind.SAMTGEMEINDE}
# Textkennzeichen of municipalities (satzart 60); 65/66 are gemeindefreie Gebiete without an
# administration of their own, which therefore maintain no measures and are skipped.
TOWN_CODES = {"61", "62", "63", "67"}
MUNICIPALITY_CODES = {"64"}
UNINCORPORATED_CODES = {"65", "66"}

SUFFIXES = {", Stadt": MunicipalityKind.TOWN, ", Flecken": MunicipalityKind.FLECKEN}
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


class ImportRefused(Exception):
    """The file is malformed; ``errors`` lists every bad line."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ParsedBody:
    line: int
    kind: str
    official_name: str
    name: str
    ars: str
    ags: str | None
    parent_ars: str | None
    population: int = 0
    area_km2: Decimal = Decimal("0")
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def slug_for(name, kind):
    base = re.sub(r"[^a-z0-9]+", "-", name.lower().translate(_TRANSLIT)).strip("-")
    prefix = {MunicipalityKind.DISTRICT: "landkreis-", MunicipalityKind.SAMTGEMEINDE: "sg-"}
    return prefix.get(kind, "") + base


def short_name(official_name):
    for suffix, _kind in SUFFIXES.items():
        if official_name.endswith(suffix):
            return official_name[: -len(suffix)]
    return official_name


# Limits of the Municipality columns: a value outside them is refused with its line, never
# passed on to the database (where it would end in a traceback).
MAX_NAME_LENGTH = 200
MAX_POPULATION = 2_147_483_647  # PositiveIntegerField
MAX_AREA_KM2 = Decimal("9999999.99")  # max_digits=9, decimal_places=2
COORDINATE_LIMITS = {"lat": Decimal("90"), "lon": Decimal("180")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(value, limit=40):
    """A cell value as it may appear in an error message: no control characters, short."""
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(value or "").strip())
    return text if len(text) <= limit else text[:limit] + "…"


def _digits(value, length, label, line, errors):
    value = (value or "").strip()
    if not re.fullmatch(rf"[0-9]{{{length}}}", value):
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ muss aus %(length)d Ziffern bestehen.")
            % {"line": line, "label": label, "value": shown(value), "length": length}
        )
        return None
    return value


def _integer(value, label, line, errors):
    raw = (value or "").replace(" ", "").replace("\u00a0", "")
    if raw == "":
        return 0
    # Only ASCII digits: str.isdigit() also accepts "²" or "٣", which int() refuses.
    if not re.fullmatch(r"[0-9]+", raw):
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ ist keine ganze Zahl.")
            % {"line": line, "label": label, "value": shown(value)}
        )
        return None
    if len(raw) > 10 or int(raw) > MAX_POPULATION:
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ ist zu groß.")
            % {"line": line, "label": label, "value": shown(value)}
        )
        return None
    return int(raw)


def _decimal(value, label, line, errors, *, comma=False, limit, places):
    """A finite number with at most ``places`` decimals (rounded) and ``abs() <= limit``."""
    raw = (value or "").strip().replace(" ", "")
    if raw == "":
        return None
    if comma:
        raw = raw.replace(",", ".")
    # A plain decimal number only: no NaN, Infinity or exponents such as 1e999.
    if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,12})?", raw):
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ ist keine Zahl.")
            % {"line": line, "label": label, "value": shown(value)}
        )
        return None
    number = Decimal(raw).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) > limit:
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ liegt außerhalb von ±%(limit)s.")
            % {"line": line, "label": label, "value": shown(value), "limit": limit}
        )
        return None
    return number


def _name(value, line, errors):
    """The name of a body: not empty, no control characters, not longer than the column."""
    name = (value or "").strip()
    if not name:
        errors.append(_("Zeile %(line)d: Der Gemeindename fehlt.") % {"line": line})
        return None
    if _CONTROL.search(name):
        errors.append(
            _("Zeile %(line)d: Der Gemeindename „%(value)s“ enthält Steuerzeichen.")
            % {"line": line, "value": shown(name)}
        )
        return None
    if len(name) > MAX_NAME_LENGTH:
        errors.append(
            _("Zeile %(line)d: Der Gemeindename ist länger als %(max)d Zeichen.")
            % {"line": line, "max": MAX_NAME_LENGTH}
        )
        return None
    return name


GV_HINT = gettext_lazy("Ist das ein GV-ISys-Auszug?")
SEATS_HINT = gettext_lazy("Ist das die Datei der Verwaltungssitze (Spalten ars, seat_ags)?")
SEAT_COLUMNS = ("ars", "seat_ags")


def _read_rows(path, required=REQUIRED_COLUMNS, hint=None):
    """Return [(line number, row dict)] of a CSV file, or raise ImportRefused."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                header = reader.fieldnames or []
                missing = [c for c in required if c not in header]
                if missing:
                    raise ImportRefused(
                        [
                            _("Zeile 1: Es fehlen die Spalten %(columns)s. %(hint)s")
                            % {"columns": ", ".join(missing), "hint": hint or GV_HINT}
                        ]
                    )
                return list(enumerate(reader, start=2))
            except csv.Error as exc:
                raise ImportRefused(
                    [_("Zeile %(line)d: %(error)s") % {"line": reader.line_num, "error": exc}]
                ) from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused([_("Die Datei ist nicht UTF-8-kodiert (%s).") % exc.reason]) from exc
    except OSError as exc:
        raise ImportRefused([_("Die Datei kann nicht gelesen werden: %s") % exc]) from exc


class _Parser:
    """Turns the rows of one file into ParsedBody objects, collecting every error."""

    def __init__(self):
        self.errors = []
        self.bodies = []
        self.skipped = []
        self.known_ars = set()
        self.unincorporated_area = {}

    def error(self, message, **params):
        self.errors.append(message % params)

    def row(self, line, row):
        if None in row or any(v is None for v in row.values()):
            self.error(
                _("Zeile %(line)d: Die Anzahl der Spalten passt nicht zur Kopfzeile."), line=line
            )
            return
        record = row["satzart"].strip()
        if record in (RECORD_LAND, RECORD_REGION):
            return
        handler = {
            RECORD_DISTRICT: self.district,
            RECORD_ASSOCIATION: self.association,
            RECORD_MUNICIPALITY: self.municipality,
        }.get(record)
        if handler is None:
            self.error(
                _("Zeile %(line)d: Unbekannte Satzart „%(record)s“."),
                line=line,
                record=shown(record),
            )
            return
        name = _name(row["gemeindename"], line, self.errors)
        if name is None:
            return
        land = _digits(row["land"], 2, _("Land"), line, self.errors)
        rb = _digits(row["rb"], 1, _("Regierungsbezirk"), line, self.errors)
        kreis = _digits(row["kreis"], 2, _("Kreis"), line, self.errors)
        if None not in (land, rb, kreis):
            handler(line, row, name, land + rb + kreis)

    def add(self, body):
        self.bodies.append(body)
        self.known_ars.add(body.ars)

    def district(self, line, row, name, district_key):
        self.add(
            ParsedBody(
                line=line,
                kind=MunicipalityKind.DISTRICT,
                official_name=name,
                name=name,
                ars=district_key,
                ags=district_key + "000",
                parent_ars=None,
            )
        )

    def association(self, line, row, name, district_key):
        vb = _digits(row["vb"], 4, _("Verband"), line, self.errors)
        code = row["textkennzeichen"].strip()
        if vb is None or code not in ASSOCIATION_KINDS:
            return  # verbandsfreie Gemeinden and gemeindefreie Gebiete are no bodies
        if district_key not in self.known_ars:
            self.error(
                _("Zeile %(line)d: Der Kreis %(key)s steht nicht vor diesem Verband."),
                line=line,
                key=district_key,
            )
            return
        self.add(
            ParsedBody(
                line=line,
                kind=ASSOCIATION_KINDS[code],
                official_name=name,
                name=name,
                ars=district_key + vb,
                ags=None,
                parent_ars=district_key,
            )
        )

    def municipality(self, line, row, name, district_key):
        errors = self.errors
        before = len(errors)
        vb = _digits(row["vb"], 4, _("Verband"), line, errors)
        gemeinde = _digits(row["gemeinde"], 3, _("Gemeinde"), line, errors)
        population = _integer(row["bevoelkerung"], _("Bevölkerung"), line, errors)
        area = _decimal(row["flaeche"], _("Fläche"), line, errors, limit=MAX_AREA_KM2, places=2)
        lon = _decimal(
            row["laengengrad"],
            _("Längengrad"),
            line,
            errors,
            comma=True,
            limit=COORDINATE_LIMITS["lon"],
            places=6,
        )
        lat = _decimal(
            row["breitengrad"],
            _("Breitengrad"),
            line,
            errors,
            comma=True,
            limit=COORDINATE_LIMITS["lat"],
            places=6,
        )
        if len(errors) > before:
            return
        area = area or Decimal("0")
        code = row["textkennzeichen"].strip()
        if code in UNINCORPORATED_CODES:
            # Part of the district's territory, though without an administration.
            self.skipped.append(name)
            self.unincorporated_area[district_key] = (
                self.unincorporated_area.get(district_key, Decimal("0")) + area
            )
            return
        kind = self.municipality_kind(code, name)
        if kind is None:
            self.error(
                _("Zeile %(line)d: Unbekanntes Textkennzeichen „%(code)s“."),
                line=line,
                code=shown(code),
            )
            return
        association = district_key + vb
        parent = association if association in self.known_ars else district_key
        if parent not in self.known_ars:
            self.error(
                _("Zeile %(line)d: Kreis oder Verband %(key)s steht nicht vor dieser Gemeinde."),
                line=line,
                key=association,
            )
            return
        plz = row["postleitzahl"].strip()
        if plz and not re.fullmatch(r"\d{5}", plz):
            self.error(
                _("Zeile %(line)d: Postleitzahl „%(value)s“ hat nicht 5 Ziffern."),
                line=line,
                value=shown(plz),
            )
            return
        self.add(
            ParsedBody(
                line=line,
                kind=kind,
                official_name=name,
                name=short_name(name),
                ars=association + gemeinde,
                ags=district_key + gemeinde,
                parent_ars=parent,
                population=population,
                area_km2=area,
                postal_code=plz,
                latitude=lat,
                longitude=lon,
            )
        )

    @staticmethod
    def municipality_kind(code, name):
        if code in TOWN_CODES:
            return MunicipalityKind.TOWN
        if code in MUNICIPALITY_CODES:
            if name.endswith(", Flecken"):
                return MunicipalityKind.FLECKEN
            return MunicipalityKind.MUNICIPALITY
        return None


def parse(path):
    """Parse and validate a GV-ISys CSV file; return (bodies, skipped) or raise ImportRefused."""
    parser = _Parser()
    for line, row in _read_rows(path):
        parser.row(line, row)
    if not parser.errors and not parser.bodies:
        parser.error(_("Die Datei enthält keinen Kreis und keine Gemeinde."))
    if parser.errors:
        raise ImportRefused(parser.errors)
    _sum_up(parser.bodies, parser.unincorporated_area)
    for body in parser.bodies:
        if body.population > MAX_POPULATION or body.area_km2 > MAX_AREA_KM2:
            parser.error(
                _("Zeile %(line)d: Einwohner- oder Flächensumme der Mitglieder ist zu groß."),
                line=body.line,
            )
    if parser.errors:
        raise ImportRefused(parser.errors)
    return parser.bodies, parser.skipped


def _sum_up(bodies, unincorporated_area):
    """Samtgemeinden and districts carry the sums of their members' population and area."""
    for kind in (MunicipalityKind.SAMTGEMEINDE, MunicipalityKind.DISTRICT):
        for body in bodies:
            if body.kind != kind:
                continue
            members = [b for b in bodies if b.parent_ars == body.ars]
            body.population = sum(b.population for b in members)
            body.area_km2 = sum((b.area_km2 for b in members), Decimal("0"))
            body.area_km2 += unincorporated_area.get(body.ars, Decimal("0"))


def parse_seats(path):
    """Seats of Samtgemeinden: CSV with columns ``ars`` (association) and ``seat_ags``.

    Returns {ars: seat_ags} or raises ImportRefused listing every bad line.
    """
    errors, seats = [], {}
    for line, row in _read_rows(path, SEAT_COLUMNS, SEATS_HINT):
        if None in row or any(row.get(c) is None for c in SEAT_COLUMNS):
            errors.append(
                _("Zeile %(line)d: Die Anzahl der Spalten passt nicht zur Kopfzeile.")
                % {"line": line}
            )
            continue
        ars = _digits(row["ars"], 9, _("ARS des Verbands"), line, errors)
        seat = _digits(row["seat_ags"], 8, _("AGS des Sitzes"), line, errors)
        if ars and seat:
            seats[ars] = seat
    if errors:
        raise ImportRefused(errors)
    return seats


FIELDS = (
    "name",
    "official_name",
    "kind",
    "ags",
    "population",
    "area_km2",
    "postal_code",
    "latitude",
    "longitude",
)


@transaction.atomic
def import_file(path, seats_path=None):
    bodies, skipped = parse(path)
    seats = parse_seats(seats_path) if seats_path else {}
    try:
        return _store(bodies, skipped, seats)
    except (ValidationError, DatabaseError) as exc:
        # A safety net: parse() should have refused the value already. Raising rolls back.
        line = getattr(exc, "portal_line", None)
        prefix = _("Zeile %d: ") % line if line else ""
        raise ImportRefused(
            [prefix + _("Der Wert passt nicht in die Datenbank (%s).") % shown(exc, 200)]
        ) from exc


def _store(bodies, skipped, seats):
    result = ImportResult(skipped=skipped)
    existing = {m.ars: m for m in Municipality.objects.select_related("parent")}
    # Parents come before children in the file; process in that order.
    for body in bodies:
        try:
            _store_body(body, existing, result)
        except (ValidationError, DatabaseError) as exc:
            exc.portal_line = body.line
            raise
    by_ags = {m.ags: m for m in existing.values() if m.ags}
    for ars, seat_ags in seats.items():
        body = existing.get(ars)
        seat = by_ags.get(seat_ags)
        if body and seat and body.seat_id != seat.pk:
            body.seat = seat
            body.save(update_fields=["seat", "updated_at"])
    return result


def _store_body(body, existing, result):
    parent = existing.get(body.parent_ars) if body.parent_ars else None
    values = {f: getattr(body, f) for f in FIELDS}
    obj = existing.get(body.ars)
    if obj is None:
        obj = Municipality(ars=body.ars, slug=_unique_slug(body), parent=parent, **values)
        obj.full_clean(validate_unique=False)
        obj.save()
        existing[body.ars] = obj
        result.created.append(obj)
        return
    changed = [f for f, v in values.items() if _differs(getattr(obj, f), v)]
    if obj.parent_id != (parent.pk if parent else None):
        obj.parent = parent
        changed.append("parent")
    if not changed:
        result.unchanged.append(obj)
        return
    for f in changed:
        if f != "parent":
            setattr(obj, f, values[f])
    obj.full_clean(validate_unique=False)
    obj.save()
    result.updated.append(obj)


def _differs(current, new):
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new


def _unique_slug(body):
    # The slug column holds 100 characters, a name 200: shorten it, room for "-<ars>".
    slug = slug_for(body.name, body.kind)[:80].strip("-")
    if Municipality.objects.filter(slug=slug).exists():
        slug = f"{slug}-{body.ars}"
    return slug
