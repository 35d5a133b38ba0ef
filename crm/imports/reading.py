"""Reading an uploaded CSV or XLSX file into a header and rows of text cells, whatever produced it.

CSV: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text") or Windows-1252 (what
Norwegian Excel writes), with the delimiter sniffed. XLSX: openpyxl in read-only mode, so that rows
stream from the file; formulas are read as the values Excel saved with them, and a formula without
a saved value is reported on its row; a merged cell's value fills every cell of the merge.
"""
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from xml.etree import ElementTree  # nosec B405 # untrusted sheets are safe with it, see _merged_ranges

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

HEADER_SEARCH_ROWS = 10  # a title or a blank line may stand above the header
DELIMITERS = ",;\t|"


class FileProblem(Exception):
    """The file cannot be read as a table; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list[str], list[str]]]  # (row number, cells, problems)


def cell_text(value) -> str:
    """A cell as the text a form field would receive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


def _not_a_spreadsheet():
    return FileProblem(_l("This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Norwegian Excel saves CSV in Windows-1252; latin-1 takes the five bytes that code page leaves undefined.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str], list[str]]]:
    text = _decode(data)
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or controls > 8:
        raise _not_a_spreadsheet()
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter, quotechar = dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:  # one column, or rows too uneven to sniff: the commonest delimiter of the first line
        first = sample.splitlines()[0] if sample else ""
        delimiter, quotechar = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ",", '"'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar)
    for number, row in enumerate(reader, start=1):
        yield number, [cell_text(v) for v in row], []


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet as (min_col, min_row, max_col, max_row), read by streaming its XML."""
    ranges = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet_path.lstrip("/")) as handle:
        # An uploaded file, so untrusted XML: ElementTree neither fetches external entities nor DTDs, and
        # Python's expat (2.4.1 and newer) refuses billion-laughs and quadratic entity expansion; the sheet is
        # streamed and each element cleared, and the upload is limited to CRM_IMPORT_MAX_BYTES.
        for _event, element in ElementTree.iterparse(handle):  # nosec B314
            if element.tag.endswith("}mergeCell"):
                ranges.append(range_boundaries(element.get("ref")))
            element.clear()
    return ranges


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str], list[str]]]:
    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a zip that is no workbook
        raise _not_a_spreadsheet() from error
    values, formulas = values_book.worksheets[0], formulas_book.worksheets[0]
    merged = sorted(_merged_ranges(data, values._worksheet_path), key=lambda r: r[1])
    active: list[tuple[tuple[int, int, int, int], str]] = []
    try:
        # Two streams side by side: the saved values, and the formulas to tell a missing value from an empty cell.
        for number, (saved, written) in enumerate(zip(values.iter_rows(values_only=True),
                                                      formulas.iter_rows(values_only=True)), start=1):
            cells = [cell_text(v) for v in saved]
            problems = []
            for column, (value, formula) in enumerate(zip(saved, written), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    problems.append(str(_l("Cell %(cell)s holds a formula without a saved result; open the file in "
                                           "Excel and save it again, or paste the values.",
                                           cell=f"{_column_letter(column)}{number}")))
            while merged and merged[0][1] == number:
                bounds = merged.pop(0)
                top_left = cells[bounds[0] - 1] if len(cells) >= bounds[0] else ""
                active.append((bounds, top_left))
            for (min_col, _min_row, max_col, max_row), value in active:
                cells.extend([""] * (max_col - len(cells)))
                for column in range(min_col, max_col + 1):
                    cells[column - 1] = cells[column - 1] or value
            active = [(bounds, value) for bounds, value in active if bounds[3] > number]
            yield number, cells, problems
    finally:
        values_book.close()
        formulas_book.close()


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)


def read_table(data: bytes, header_score: Callable[[list[str]], int]) -> Table:
    """The file's header (the row among the first ten that ``header_score`` likes best) and its rows after it."""
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_l("This is an old Excel file (.xls). Save it as .xlsx or CSV, and upload that."))
    elif not data.strip():
        raise FileProblem(_l("The file is empty."))
    elif data.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")):
        raise _not_a_spreadsheet()
    else:
        rows = _csv_rows(data)
    buffered = []
    for row in rows:
        buffered.append(row)
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    candidates = [(header_score(cells), -index) for index, (_n, cells, _p) in enumerate(buffered) if any(cells)]
    if not candidates:
        raise FileProblem(_l("The file has no rows."))
    best = -max(candidates)[1]
    header_row, headers, _problems = buffered[best]

    def remaining():
        yield from buffered[best + 1:]
        yield from rows

    return Table(header_row, [h or "" for h in headers], remaining())
