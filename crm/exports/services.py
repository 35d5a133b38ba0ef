"""Writing an export file and recording it in the audit log."""
from dataclasses import dataclass
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l

from crm.audit.recorder import record_event
from crm.exports.columns import COLUMNS
from crm.exports.lists import TITLES, FilteredList
from crm.exports.writer import write_csv, write_xlsx
from crm.extensions import db
from crm.models import AuditAction, User

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class ExportFile:
    content: bytes
    mimetype: str
    rows: int


def export_list(name: str, listed: FilteredList, fmt: str, acting_user: User) -> ExportFile:
    """The list ``name`` as a CSV or XLSX file; the export is logged with its filters and row count."""
    columns = COLUMNS[name]
    counter = {"rows": 0}

    def rows():
        # yield_per keeps a few hundred records in memory at a time, with their related rows loaded per batch.
        for record in db.session.scalars(listed.stmt.execution_options(yield_per=500)):
            counter["rows"] += 1
            yield [column.value(record) for column in columns]

    headers = [str(column.header) for column in columns]
    content = write_csv(headers, rows()) if fmt == "csv" else write_xlsx(headers, rows(), str(TITLES[name]))
    record_event(db.session, AuditAction.EXPORT, name, 0, str(_l("%(list)s list", list=TITLES[name])),
                 {"format": fmt, "filters": urlencode(listed.filters), "rows": counter["rows"]})
    db.session.flush()
    return ExportFile(content, FORMATS[fmt], counter["rows"])
