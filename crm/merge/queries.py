"""Reads for the merge pages: the likely duplicates the CRM holds, with their records, and one pair."""
from dataclasses import dataclass

from sqlalchemy import select

from crm.extensions import db
from crm.merge.matching import REASONS, duplicate_pairs
from crm.merge.services import KINDS


@dataclass
class PairRow:
    first: object
    second: object
    reasons: list[str]


def duplicates(kind: str, limit: int = 200) -> list[PairRow]:
    """Likely duplicate pairs of ``kind`` with both records loaded (one query for all of them)."""
    pairs = duplicate_pairs(kind, limit)
    model = KINDS[kind].model
    ids = {i for pair in pairs for i in (pair.first_id, pair.second_id)}
    records = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    return [PairRow(records[p.first_id], records[p.second_id], [str(REASONS[r]) for r in p.reasons])
            for p in pairs if p.first_id in records and p.second_id in records]


def get_record(kind: str, record_id: int):
    """:raise 404: when there is no such live record."""
    model = KINDS[kind].model
    return db.first_or_404(select(model).where(model.id == record_id))
