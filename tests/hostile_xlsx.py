"""Hostile workbooks for the upload tests: XML entities (XXE, "billion laughs"), a zip bomb.

Each takes a valid XLSX (bytes) and returns it with one member replaced or added, so the file
is otherwise what Excel would write and only the attack is refused.
"""

import io
import zipfile

XXE_DOCTYPE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
LAUGHS_DOCTYPE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE r [\n'
    b'<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)


def _replace(raw, name, transform):
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = transform(content)
            target.writestr(info.filename, content)
    return buffer.getvalue()


def _first_sheet(raw):
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    return next(n for n in sorted(names) if n.startswith("xl/worksheets/sheet"))


def _with_doctype(content, doctype, reference):
    """The sheet XML with a DOCTYPE prolog and ``reference`` in its first inline text cell."""
    body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    body = body.lstrip()
    marker = b"<sheetData>"
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + reference + b"</t></is></c></row>"
    if marker in body:
        body = body.replace(marker, marker + cell, 1)
    return doctype + body


def xxe(raw):
    """A sheet that pulls /etc/passwd into a cell through an external entity."""
    return _replace(raw, _first_sheet(raw), lambda c: _with_doctype(c, XXE_DOCTYPE, b"&xxe;"))


def billion_laughs(raw):
    """A sheet whose one entity expands to 10^9 "lol"s (3 GB) when entities are resolved."""
    return _replace(raw, _first_sheet(raw), lambda c: _with_doctype(c, LAUGHS_DOCTYPE, b"&lol9;"))


def zip_bomb(raw, size=600_000_000):
    """A workbook with a comment member that unpacks to ``size`` bytes (600 MB packs to ~600 KB).

    Written once in chunks, so building it costs a few seconds for 600 MB; tests use smaller
    sizes above the limit they check.
    """
    buffer = io.BytesIO(raw[:])
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/comments1.xml", "w", force_zip64=size > 2**31) as member,
    ):
        member.write(b'<?xml version="1.0" encoding="UTF-8"?><comments><t>')
        chunk = b"a" * (1 << 20)
        written = 0
        while written < size:
            member.write(chunk[: size - written])
            written += len(chunk)
        member.write(b"</t></comments>")
    return buffer.getvalue()


def many_members(raw, count=5000):
    buffer = io.BytesIO(raw[:])
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            archive.writestr(f"customXml/item{index}.xml", b"<x/>")
    return buffer.getvalue()
