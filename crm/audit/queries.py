"""Reads of the audit log: one record's history, and the admin's searchable log."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import AuditAction, AuditEntry


def history_of(record_type: str, record_id: int, limit: int = 50) -> list[AuditEntry]:
    """A record's changes, newest first."""
    stmt = (select(AuditEntry).where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


@dataclass
class LogFilters:
    q: str = ""
    record_type: str = ""
    action: str = ""
    user: str = ""
    start: datetime | None = None
    end: datetime | None = None


def audit_log(filters: LogFilters) -> Select:
    """Entries matching the filters, newest first; paginate the result."""
    stmt = select(AuditEntry)
    if filters.q:
        stmt = stmt.where(AuditEntry.record_label_search.like(like_pattern(filters.q), escape="\\"))
    if filters.record_type:
        stmt = stmt.where(AuditEntry.record_type == filters.record_type)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == AuditAction(filters.action))
    if filters.user:
        stmt = stmt.where(AuditEntry.user_label.like(like_pattern(filters.user), escape="\\"))
    if filters.start is not None:
        stmt = stmt.where(AuditEntry.at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(AuditEntry.at < filters.end)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
