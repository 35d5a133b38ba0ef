"""Reads for the import pages: recent imports, one import, and its rows a page at a time."""
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.models import ImportBatch, ImportRow, RowAction


def recent_batches(limit: int = 20) -> list[ImportBatch]:
    """The newest imports, with who made them."""
    stmt = (select(ImportBatch).options(selectinload(ImportBatch.created_by))
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def get_batch(batch_id: int) -> ImportBatch:
    """:raise 404: when there is no such import."""
    return db.get_or_404(ImportBatch, batch_id)


def batch_rows(batch_id: int, action: str = "") -> Select:
    """The rows of an import in file order, optionally only those of one outcome; paginate the result."""
    stmt = select(ImportRow).where(ImportRow.batch_id == batch_id)
    if action in RowAction._value2member_map_:
        stmt = stmt.where(ImportRow.action == RowAction(action))
    return stmt.order_by(ImportRow.row_number)


def sample_rows(batch_id: int, limit: int = 3) -> list[ImportRow]:
    """The first rows of a file, shown beside the column mapping."""
    return list(db.session.scalars(batch_rows(batch_id).limit(limit)))
