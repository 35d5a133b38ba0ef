"""Spreadsheet imports: the uploaded rows, what the preview found for each, and what the import did."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import LabelledEnum, UTCDateTime, enum_column


class ImportStatus(LabelledEnum):
    MAPPING = "mapping"  # uploaded; the columns are being mapped to fields
    PREVIEWING = "previewing"  # the rows are being checked, a chunk per request
    READY = "ready"  # every row checked; waiting for the user to confirm
    COMMITTED = "committed"
    UNDONE = "undone"

    @classmethod
    def labels(cls):
        return {cls.MAPPING: _l("Mapping columns"), cls.PREVIEWING: _l("Checking rows"),
                cls.READY: _l("Ready to import"), cls.COMMITTED: _l("Imported"), cls.UNDONE: _l("Undone")}


class RowAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    EMPTY = "empty"

    @classmethod
    def labels(cls):
        return {cls.CREATE: _l("New"), cls.UPDATE: _l("Update"), cls.DUPLICATE: _l("Likely duplicate"),
                cls.INVALID: _l("Invalid"), cls.EMPTY: _l("Empty")}


class ImportBatch(db.Model):
    """One uploaded file of investors, contacts or startups, from upload to import (and undo)."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    status: Mapped[ImportStatus] = enum_column(ImportStatus, nullable=False, default=ImportStatus.MAPPING)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    headers: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    mapping: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)  # a field name (or "") per column
    total_rows: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    processed_rows: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    counts: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    duplicate_policy: Mapped[str | None] = mapped_column(sa.String(20))
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped["User | None"] = relationship()  # noqa: F821


class ImportRow(db.Model):
    """One row of the file: its cells, and once checked, what importing it would do (or did)."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False)
    row_number: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # as the spreadsheet numbers it
    cells: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    action: Mapped[RowAction | None] = enum_column(RowAction)
    # The record a row updates or duplicates; after the import, the record it created or updated.
    record_id: Mapped[int | None] = mapped_column(sa.Integer)
    # The record's version when the preview saw it; after the import, its version then (for undo).
    record_version: Mapped[int | None] = mapped_column(sa.Integer)
    key: Mapped[str | None] = mapped_column(sa.String(300))  # what makes two rows of one file the same record
    data: Mapped[dict | None] = mapped_column(sa.JSON)  # the checked values: {"create": ..., "update": ...}
    messages: Mapped[dict | None] = mapped_column(sa.JSON)  # {field: [message]} or {"duplicate": [reason]}
    before: Mapped[dict | None] = mapped_column(sa.JSON)  # an updated record's values before the import

    __table_args__ = (
        sa.UniqueConstraint("batch_id", "row_number", name="uq_import_rows_batch_id_row_number"),
        sa.Index("ix_import_rows_batch_id_action", "batch_id", "action"),
    )
