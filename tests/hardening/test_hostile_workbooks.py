"""Hostile XLSX uploads in both imports: a German refusal, nothing stored, never an error 500.

XML entities (XXE reading /etc/passwd, "billion laughs") raised an unhandled ParseError when
the sheet was read; a zip bomb (600 MB in a ~600 KB file) was unpacked by openpyxl until the
worker died. core.spreadsheet.check_workbook refuses them before parsing; defusedxml refuses
entities too where the check is bypassed.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core import spreadsheet
from measures.models import Measure, MeasureImport
from procedures import transfer
from procedures.models import ProcedureEntry
from tests import hostile_xlsx
from tests.measures.exchange_helpers import export_xlsx
from tests.procedures.conftest import catalogue, categories, entry  # noqa: F401 - fixtures

MEASURES_URL = reverse("measures:import")
REGISTER_URL = reverse("procedures:import")

HOSTILE = {
    "xxe": (hostile_xlsx.xxe, "Dokumenttyp-Deklaration"),
    "billion-laughs": (hostile_xlsx.billion_laughs, "Dokumenttyp-Deklaration"),
    # Above both limits (60 MB for measures, 500 MB for the register) and 1000-fold packed.
    "zip-bomb": (lambda raw: hostile_xlsx.zip_bomb(raw, 600_000_000), "entpackt größer"),
    "many-members": (hostile_xlsx.many_members, "mehr als 1000 Teilen"),
    # zlib.error while unpacking: not an OSError, it escaped the check (error 500).
    "corrupt-deflate": (lambda raw: _corrupt_deflate(raw), "beschädigt"),
}


def _corrupt_deflate(raw):
    """The workbook with its first deflated member's data starting with an invalid block."""
    import zipfile

    data = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = next(i for i in archive.infolist() if i.compress_type == zipfile.ZIP_DEFLATED)
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + 4] = b"\xff\xff\xff\xff"  # block type 3: reserved, invalid
    return bytes(data)


@pytest.fixture(scope="module")
def bomb_cache():
    return {}


def _hostile(kind, raw, cache):
    make, _ = HOSTILE[kind]
    if kind == "zip-bomb":  # building it takes a few seconds; once per file
        key = (kind, raw)
        if key not in cache:
            cache[key] = make(raw)
        return cache[key]
    return make(raw)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_measures_import_refuses_hostile_workbooks(as_role, district, kind, bomb_cache):
    before = Measure.objects.count()
    raw = _hostile(kind, export_xlsx(Measure.objects.none()), bomb_cache)
    response = as_role("editor_own").post(
        MEASURES_URL, {"file": SimpleUploadedFile("massnahmen.xlsx", raw)}
    )
    assert response.status_code == 400
    assert HOSTILE[kind][1] in response.content.decode()
    assert "root:" not in response.content.decode()
    assert Measure.objects.count() == before
    assert not MeasureImport.objects.exists()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_register_import_refuses_hostile_workbooks(as_role, entry, kind, bomb_cache):  # noqa: F811
    before = list(ProcedureEntry.objects.values())
    raw = _hostile(kind, transfer.export_bytes("xlsx"), bomb_cache)
    response = as_role("coordinator").post(
        REGISTER_URL, {"file": SimpleUploadedFile("fachverfahren.xlsx", raw)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Die Datei wurde nicht übernommen" in page and HOSTILE[kind][1] in page
    assert "root:" not in page
    assert list(ProcedureEntry.objects.values()) == before


@pytest.mark.parametrize("make", [hostile_xlsx.xxe, hostile_xlsx.billion_laughs])
def test_defusedxml_refuses_entities_where_the_prolog_check_is_bypassed(monkeypatch, users, make):
    """A DOCTYPE behind a long comment escapes the prolog check; defusedxml still refuses it
    (openpyxl uses it once installed), and the refusal is a German message, not a 500."""
    import openpyxl

    assert openpyxl.DEFUSEDXML, "defusedxml must be installed: openpyxl then refuses entities"
    monkeypatch.setattr(spreadsheet, "PROLOG_BYTES", 0)
    workbook = Workbook()
    workbook.active.append(["ID", "Titel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from measures.exchange.importer import read_files
    from measures.exchange.sheets import ExchangeFileError
    from procedures.tabular import TableRefused, read_table

    hostile = make(buffer.getvalue())
    with pytest.raises(ExchangeFileError, match="keine lesbare Excel-Datei"):
        read_files("massnahmen.xlsx", hostile)
    with pytest.raises(TableRefused, match="keine lesbare XLSX-Datei"):
        read_table(hostile, "fachverfahren.xlsx")
