"""Reading rows from CSV and Excel files, numbered as a spreadsheet shows them.

Row 1 is the header. A CSV row is one record (a quoted cell may span lines, and Excel
still shows it as one row). An .xlsx is read with openpyxl in read-only mode, which
streams rows instead of loading the whole workbook; the first sheet is used unless
another is named.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
csv.field_size_limit(1 << 24)


class PackFileError(Exception):
    """The file cannot be read at all (missing, wrong type, not a workbook, no such sheet)."""


@dataclass(slots=True)
class RowSource:
    """Rows as (number, cells); ``total`` is an estimate for progress, not a promise."""

    rows: Iterator[tuple[int, list[Any]]]
    total: int | None
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes, path: Path) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM), else GB18030, which Chinese Excel uses for "CSV"."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "read as GB18030 (not UTF-8)"
    except UnicodeDecodeError as exc:
        raise PackFileError(f"{path}: neither UTF-8 nor GB18030 text (byte {exc.start})") from None


def read_csv(path: Path) -> RowSource:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackFileError(f"{path}: {exc.strerror or exc}") from None
    content, note = _decode(data, path)
    delimiter = CSV_SUFFIXES.get(path.suffix.lower(), ",")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise PackFileError(f"{path}: not readable as CSV near line {reader.line_num}: {exc}") from None

    return RowSource(rows(), content.count("\n") + (0 if content.endswith("\n") else 1),
                     [note] if note else [])


def read_xlsx(path: Path, sheet: str | None = None) -> RowSource:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise PackFileError(f"{path}: {exc.strerror or exc}") from None
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise PackFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise PackFileError(f"{path}: no sheet named '{sheet}' (sheets: {', '.join(book.sheetnames)})")
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    notes = [] if sheet is not None or len(book.sheetnames) == 1 else [
        f"read the first sheet '{ws.title}' of {len(book.sheetnames)}; use --sheet to pick another"]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()

    total = ws.max_row if isinstance(ws.max_row, int) and ws.max_row > 0 else None
    return RowSource(rows(), total, notes)


def read_rows(path: Path, sheet: str | None = None) -> RowSource:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet)
    if suffix == ".xls":
        raise PackFileError(f"{path}: old .xls workbooks are not read; save it as .xlsx or CSV")
    raise PackFileError(f"{path}: unknown file type '{suffix}' (use .json, .csv, .tsv or .xlsx)")
