"""Import of the district's municipalities from a Destatis GV-ISys extract ("Auszug GV").

The importer reads the exact CSV format Destatis publishes (UTF-8 with byte-order mark,
numbers with spaces as thousands separators, coordinates with a decimal comma). It parses and
validates the whole file first and writes only if every line is sound, in one transaction, so
a refused file changes nothing. Running it twice changes nothing the second time.
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

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


def _digits(value, length, label, line, errors):
    value = (value or "").strip()
    if not re.fullmatch(rf"\d{{{length}}}", value):
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ muss aus %(length)d Ziffern bestehen.")
            % {"line": line, "label": label, "value": value, "length": length}
        )
        return None
    return value


def _integer(value, label, line, errors):
    raw = (value or "").replace(" ", "").replace("\u00a0", "")
    if raw == "":
        return 0
    if not raw.isdigit():
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ ist keine ganze Zahl.")
            % {"line": line, "label": label, "value": value.strip()}
        )
        return None
    return int(raw)


def _decimal(value, label, line, errors, *, comma=False):
    raw = (value or "").strip().replace(" ", "")
    if raw == "":
        return None
    if comma:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        errors.append(
            _("Zeile %(line)d: %(label)s „%(value)s“ ist keine Zahl.")
            % {"line": line, "label": label, "value": value.strip()}
        )
        return None


def _read_rows(path):
    """Return [(line number, row dict)] of a GV-ISys CSV, or raise ImportRefused."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                header = reader.fieldnames or []
                missing = [c for c in REQUIRED_COLUMNS if c not in header]
                if missing:
                    raise ImportRefused(
                        [
                            _("Zeile 1: Es fehlen die Spalten %s. Ist das ein GV-ISys-Auszug?")
                            % ", ".join(missing)
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
                _("Zeile %(line)d: Unbekannte Satzart „%(record)s“."), line=line, record=record
            )
            return
        name = row["gemeindename"].strip()
        if not name:
            self.error(_("Zeile %(line)d: Der Gemeindename fehlt."), line=line)
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
        vb = _digits(row["vb"], 4, _("Verband"), line, errors)
        gemeinde = _digits(row["gemeinde"], 3, _("Gemeinde"), line, errors)
        population = _integer(row["bevoelkerung"], _("Bevölkerung"), line, errors)
        area = _decimal(row["flaeche"], _("Fläche"), line, errors) or Decimal("0")
        lon = _decimal(row["laengengrad"], _("Längengrad"), line, errors, comma=True)
        lat = _decimal(row["breitengrad"], _("Breitengrad"), line, errors, comma=True)
        if None in (vb, gemeinde, population):
            return
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
                _("Zeile %(line)d: Unbekanntes Textkennzeichen „%(code)s“."), line=line, code=code
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
                value=plz,
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
    """Seats of Samtgemeinden: CSV with columns ``ars`` (association) and ``seat_ags``."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return {row["ars"].strip(): row["seat_ags"].strip() for row in csv.DictReader(handle)}


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
    result = ImportResult(skipped=skipped)
    existing = {m.ars: m for m in Municipality.objects.select_related("parent")}
    # Parents come before children in the file; process in that order.
    for body in bodies:
        parent = existing.get(body.parent_ars) if body.parent_ars else None
        values = {f: getattr(body, f) for f in FIELDS}
        obj = existing.get(body.ars)
        if obj is None:
            obj = Municipality(ars=body.ars, slug=_unique_slug(body), parent=parent, **values)
            obj.full_clean(validate_unique=False)
            obj.save()
            existing[body.ars] = obj
            result.created.append(obj)
            continue
        changed = [f for f, v in values.items() if _differs(getattr(obj, f), v)]
        if obj.parent_id != (parent.pk if parent else None):
            obj.parent = parent
            changed.append("parent")
        if changed:
            for f in changed:
                if f != "parent":
                    setattr(obj, f, values[f])
            obj.save()
            result.updated.append(obj)
        else:
            result.unchanged.append(obj)
    by_ags = {m.ags: m for m in existing.values() if m.ags}
    for ars, seat_ags in seats.items():
        body = existing.get(ars)
        seat = by_ags.get(seat_ags)
        if body and seat and body.seat_id != seat.pk:
            body.seat = seat
            body.save(update_fields=["seat", "updated_at"])
    return result


def _differs(current, new):
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new


def _unique_slug(body):
    slug = slug_for(body.name, body.kind)
    if Municipality.objects.filter(slug=slug).exists():
        slug = f"{slug}-{body.ars}"
    return slug
