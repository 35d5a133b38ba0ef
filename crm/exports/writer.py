"""CSV and XLSX files written row by row, with every cell that could run as a formula made plain text."""
import csv
import io
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); tab and
# carriage return let a formula hide behind them in some programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would read as a formula gets a leading apostrophe; other values stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralise(value))


def write_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads æ, ø, å), comma-separated, CRLF line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return out.getvalue().encode("utf-8")


def write_xlsx(headers: list[str], rows: Iterable[list], title: str) -> bytes:
    """One sheet in openpyxl's write-only mode (rows go to a temporary file, not memory); dates and amounts typed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()
