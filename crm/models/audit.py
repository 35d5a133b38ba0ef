"""The audit log: who changed which record, when, and which fields from what to what."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import LabelledEnum, UTCDateTime, enum_column


class AuditAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    PURGE = "purge"
    ERASE = "erase"
    IMPORT = "import"
    UNDO_IMPORT = "undo_import"
    EXPORT = "export"
    MERGE = "merge"

    @classmethod
    def labels(cls):
        return {cls.CREATE: _l("Created"), cls.UPDATE: _l("Changed"), cls.DELETE: _l("Moved to the trash"),
                cls.RESTORE: _l("Restored from the trash"), cls.PURGE: _l("Deleted for good"),
                cls.ERASE: _l("Personal data erased"), cls.IMPORT: _l("Imported from a spreadsheet"),
                cls.UNDO_IMPORT: _l("Import undone"), cls.EXPORT: _l("Exported"),
                cls.MERGE: _l("Merged with a duplicate")}


class AuditEntry(db.Model):
    """One change to one record. Written in the transaction of the change; never updated by
    the app, except that erasing a person scrubs that person's old values (the GDPR)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    user_label: Mapped[str] = mapped_column(sa.String(254), nullable=False, default="")
    action: Mapped[AuditAction] = enum_column(AuditAction, nullable=False)
    record_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    record_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    record_label: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    record_label_search: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)

    __table_args__ = (sa.Index("ix_audit_entries_record", "record_type", "record_id", "at"),)
