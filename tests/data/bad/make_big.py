"""The bad files of MANIFEST.csv too big to commit, written the same way every time.

    python tests/data/bad/make_big.py OUT_DIR      # writes OUT_DIR/members/100k-columns.csv, ...

The tests call `make(out_dir)` into their temporary folder.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
PLACEHOLDER = "PLACEHOLDER"
BOMB_MB = 256  # the loader refuses a workbook that unpacks to more than 200 MB


def workbook(rows: list[list[str]]) -> bytes:
    """A one-sheet workbook ('Membres') as openpyxl writes it: strings inline in the sheet's XML."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Membres"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with its sheet's XML changed (openpyxl cuts any cell to 32,767 characters when writing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, change(content) if info.filename == SHEET else content)
    return out.getvalue()


@cache
def bomb() -> bytes:
    """A workbook whose sheet is BOMB_MB MB of blanks, deflated to about 0.25 MB."""
    good = workbook([["Numéro d'entreprise", "Nom"], ["0436.195.241", "Alpha SA"]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info.filename))
                continue
            with target.open(SHEET, "w", force_zip64=False) as sheet:
                blanks = b" " * (1 << 20)
                for _ in range(BOMB_MB):
                    sheet.write(blanks)
    return out.getvalue()


def lying_bomb() -> bytes:
    """The bomb, its zip headers claiming that its sheet unpacks to 1 KB."""
    data = bytearray(bomb())
    local = zipfile.ZipFile(io.BytesIO(bomb())).getinfo(SHEET).header_offset
    struct.pack_into("<I", data, local + 22, 1024)  # local header: uncompressed size
    struct.pack_into("<I", data, _central_entry(bomb(), SHEET) + 24, 1024)  # central directory: the same
    return bytes(data)


def _central_entry(data: bytes, name: str) -> int:
    position = -1
    while (position := data.find(b"PK\x01\x02", position + 1)) >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46:position + 46 + length] == name.encode():
            return position
    raise ValueError(name)


def ten_mb_cell_xlsx() -> bytes:
    good = workbook([["Numéro d'entreprise", "Nom"], ["0436.195.241", PLACEHOLDER]])
    return with_sheet(good, lambda xml: xml.replace(PLACEHOLDER.encode(), b"A" * 10_000_000))


FILES: dict[str, Callable[[], bytes]] = {
    "members/100k-columns.csv": lambda: (
        "Numéro d'entreprise;Nom;" + ";".join(f"Colonne {i}" for i in range(3, 100_001)) + "\r\n"
        "0436.195.241;Alpha SA\r\n").encode("utf-8"),
    "members/10mb-cell.csv": lambda: (
        "Numéro d'entreprise;Nom\r\n0436.195.241;" + "A" * 10_000_000 + "\r\n").encode("utf-8"),
    "members/10mb-cell.xlsx": ten_mb_cell_xlsx,
    "members/zip-bomb.xlsx": bomb,
    "members/zip-bomb-lying.xlsx": lying_bomb,
}


def make(out_dir: Path) -> list[Path]:
    """Write every file of FILES under `out_dir`; their paths."""
    written = []
    for name, content in FILES.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in make(Path(sys.argv[1])):
        print(path, path.stat().st_size)
