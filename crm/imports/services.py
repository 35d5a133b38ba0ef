"""Writes for imports: the upload, the mapping, the preview a chunk at a time, the import, its undo.

The import itself runs in the request's one transaction: every accepted row is saved, or (on any
refusal) none. The services flush rows in batches, not one by one, which keeps 20,000 rows within
a request; the preview, which compares each row with every record, runs in chunks with a progress
page between them.
"""
import time
from collections import Counter
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, insert, select, update

from crm.audit.recorder import record_event
from crm.common import timeutil
from crm.errors import ValidationError
from crm.extensions import db
from crm.imports.checking import RowChecker, header_key
from crm.imports.kinds import DATA_CLASSES, KINDS, from_plain, to_plain
from crm.imports.reading import read_table
from crm.models import (AuditAction, Contact, Deal, ImportBatch, ImportRow, ImportStatus, Investor, RowAction,
                        ShareLink, Startup, User)
from crm.models.meeting import meeting_contacts, meeting_investors, meeting_startups

UNDO_WINDOW = timedelta(hours=24)
INSERT_BATCH = 1000
FLUSH_BATCH = 500
POLICIES = ("skip", "update", "create")


def _known_headers() -> set[str]:
    return {header_key(text) for kind in KINDS.values() for f in kind.fields
            for text in (str(f.label), f.name, *f.synonyms)}


def auto_mapping(kind_name: str, headers: list[str]) -> list[str]:
    """The field each column maps to by its header (English or Norwegian), each field at most once."""
    kind, taken, mapping = KINDS[kind_name], set(), []
    for header in headers:
        key = header_key(header)
        found = next((f.name for f in kind.fields if f.name not in taken and key and key in
                      {header_key(str(f.label)), header_key(f.name), *map(header_key, f.synonyms)}), "")
        taken.add(found)
        mapping.append(found)
    return mapping


def create_batch(kind_name: str, filename: str, data: bytes, max_rows: int, acting_user: User) -> ImportBatch:
    """Read an uploaded file into a batch of rows; raises FileProblem for what is no table, ValidationError if too long."""
    known = _known_headers()
    table = read_table(data, lambda cells: sum(1 for c in cells if header_key(c) in known))
    batch = ImportBatch(kind=kind_name, filename=(filename or "")[:255], created_by_id=acting_user.id,
                        headers=table.headers, mapping=auto_mapping(kind_name, table.headers))
    db.session.add(batch)
    db.session.flush()
    pending, total = [], 0
    for number, cells, problems in table.rows:
        if not any(cells):
            continue
        total += 1
        if total > max_rows:
            raise ValidationError("file", _l("The file has more than %(n)s rows. Split it into smaller files.",
                                             n=max_rows))
        pending.append({"batch_id": batch.id, "row_number": number, "cells": cells,
                        "messages": {"file": problems} if problems else None})
        if len(pending) >= INSERT_BATCH:
            db.session.execute(insert(ImportRow), pending)
            pending = []
    if pending:
        db.session.execute(insert(ImportRow), pending)
    if total == 0:
        raise ValidationError("file", _l("The file has a header but no rows below it."))
    batch.total_rows = total
    db.session.flush()
    return batch


def set_mapping(batch: ImportBatch, mapping: list[str], acting_user: User) -> None:
    """Save which field each column goes to, and start checking the rows."""
    kind = KINDS[batch.kind]
    chosen = [name for name in mapping if name]
    twice = {name for name in chosen if chosen.count(name) > 1}
    if twice:
        raise ValidationError(None, _l("Each field can take one column only: %(fields)s.",
                                       fields=", ".join(str(kind.field(n).label) for n in sorted(twice))))
    missing = [str(f.label) for f in kind.fields if f.required and f.name not in chosen]
    if missing and "id" not in chosen:
        raise ValidationError(None, _l("Choose a column for: %(fields)s.", fields=", ".join(missing)))
    batch.mapping = list(mapping)
    restart_preview(batch)


def restart_preview(batch: ImportBatch) -> None:
    """Check every row again (after a new mapping, or when records changed since the preview)."""
    if batch.status not in (ImportStatus.MAPPING, ImportStatus.PREVIEWING, ImportStatus.READY):
        raise ValidationError(None, _l("This import has been made already."))
    db.session.execute(update(ImportRow).where(ImportRow.batch_id == batch.id).values(
        action=None, record_id=None, record_version=None, key=None, data=None))
    batch.status = ImportStatus.PREVIEWING
    batch.processed_rows = 0
    batch.counts = {}
    db.session.flush()


def preview_step(batch: ImportBatch, seconds: float, chunk: int = 250) -> None:
    """Check the next rows for up to ``seconds`` (at least one chunk), and mark the batch ready after the last."""
    if batch.status is not ImportStatus.PREVIEWING:
        return
    earlier = {key: number for number, key in db.session.execute(
        select(ImportRow.row_number, ImportRow.key).where(ImportRow.batch_id == batch.id, ImportRow.key.is_not(None),
                                                          ImportRow.action.is_not(None))
        .order_by(ImportRow.row_number.desc()))}
    checker = RowChecker(KINDS[batch.kind], batch.mapping, earlier)
    started = time.monotonic()
    while True:
        # Plain rows in, an UPDATE by primary key out: the unit of work would double the time of a large file.
        rows = db.session.execute(select(ImportRow.id, ImportRow.row_number, ImportRow.cells, ImportRow.messages)
                                  .where(ImportRow.batch_id == batch.id, ImportRow.action.is_(None))
                                  .order_by(ImportRow.row_number).limit(chunk)).all()
        results = []
        for row in rows:
            checked = checker.check(row.row_number, row.cells, (row.messages or {}).get("file", []))
            key = checked.key if checked.key and checked.key not in earlier else None
            if key:
                earlier[key] = row.row_number
            results.append({"id": row.id, "action": checked.action, "record_id": checked.record_id,
                            "record_version": checked.record_version, "key": key, "data": checked.data,
                            "messages": checked.messages})
        if results:
            db.session.execute(update(ImportRow), results)
        batch.processed_rows += len(rows)
        db.session.flush()
        if len(rows) < chunk:
            break
        if time.monotonic() - started >= seconds:
            return
    batch.counts = {action.value: count for action, count in db.session.execute(
        select(ImportRow.action, func.count()).where(ImportRow.batch_id == batch.id).group_by(ImportRow.action))}
    batch.status = ImportStatus.READY
    db.session.flush()


def _organisation(reference: str | None):
    kind, _sep, record_id = (reference or "").partition(":")
    model = {"investor": Investor, "startup": Startup}.get(kind)
    record = db.session.get(model, int(record_id)) if model else None
    if record is None:
        raise ValidationError(None, _l("An organisation named in the file has been deleted since the preview. "
                                       "Check the rows again."))
    return record


def _chosen(row: ImportRow, policy: str) -> str | None:
    """How a checked row is imported: "create", "update", or None (left out)."""
    if row.action is RowAction.CREATE:
        return "create"
    if row.action is RowAction.UPDATE:
        return "update"
    if row.action is RowAction.DUPLICATE and policy != "skip" and (row.data or {}).get(policy):
        return policy
    return None


def commit_batch(batch: ImportBatch, policy: str, acting_user: User, now: datetime | None = None) -> Counter:
    """Import every accepted row in this transaction; raises ValidationError (and the view rolls back) if one fails."""
    if batch.status is not ImportStatus.READY:
        raise ValidationError(None, _l("This import is not ready, or has been made already."))
    if policy not in POLICIES:
        raise ValidationError("policy", _l("Choose what to do with the likely duplicates."))
    kind, data_class, done = KINDS[batch.kind], DATA_CLASSES[batch.kind], Counter()
    ids = list(db.session.scalars(select(ImportRow.id).where(
        ImportRow.batch_id == batch.id, ImportRow.action.in_([RowAction.CREATE, RowAction.UPDATE,
                                                               RowAction.DUPLICATE])).order_by(ImportRow.row_number)))
    with db.session.no_autoflush:  # the records go to the database a batch at a time, not at every query
        for start in range(0, len(ids), FLUSH_BATCH):
            rows = db.session.execute(select(ImportRow.id, ImportRow.row_number, ImportRow.action, ImportRow.record_id,
                                             ImportRow.record_version, ImportRow.data)
                                      .where(ImportRow.id.in_(ids[start:start + FLUSH_BATCH]))
                                      .order_by(ImportRow.row_number)).all()
            targets = {r.id: r for r in db.session.scalars(select(kind.model).where(kind.model.id.in_(
                [row.record_id for row in rows if row.record_id])))}
            written = []
            for row in rows:
                how = _chosen(row, policy)
                if how is None:
                    done["skipped"] += 1
                    continue
                data = from_plain(data_class, row.data[how])
                if how == "create":
                    extra = {"organisation": _organisation(row.data.get("organisation"))} \
                        if batch.kind == "contacts" else {}
                    before, record = {}, kind.create(data, extra, acting_user)
                else:
                    record = targets.get(row.record_id)
                    if record is None or record.version != row.record_version:
                        raise ValidationError(None, _l("Row %(row)s: the record it updates has changed since the "
                                                       "preview. Check the rows again.", row=row.row_number))
                    before = to_plain(kind.record_data(record))
                    kind.update(record, data, acting_user)
                written.append((row.id, before, record))
                done["created" if how == "create" else "updated"] += 1
            db.session.flush()
            # "before" tells undo what the row did: {} for a record it created, the old values of one it updated.
            if written:
                db.session.execute(update(ImportRow), [{"id": row_id, "before": before, "record_id": record.id,
                                                        "record_version": record.version}
                                                       for row_id, before, record in written])
    batch.status, batch.duplicate_policy = ImportStatus.COMMITTED, policy
    batch.committed_at = now or timeutil.utcnow()
    batch.counts = {**batch.counts, **done}
    record_event(db.session, AuditAction.IMPORT, "import_batches", batch.id,
                 f"{kind.title} · {batch.filename}",
                 {"kind": batch.kind, "file": batch.filename, "created": done["created"], "updated": done["updated"],
                  "skipped": done["skipped"], "invalid": batch.counts.get("invalid", 0)})
    db.session.flush()
    return done


def undo_refusal(batch: ImportBatch, now: datetime | None = None) -> str | None:
    """Why this import can no longer be undone, or None when it can."""
    now = now or timeutil.utcnow()
    if batch.status is not ImportStatus.COMMITTED:
        return str(_l("Only a finished import can be undone."))
    if now - batch.committed_at > UNDO_WINDOW:
        return str(_l("An import can be undone for 24 hours after it was made."))
    return None


def _written_rows(batch: ImportBatch) -> list[ImportRow]:
    return list(db.session.scalars(select(ImportRow).where(ImportRow.batch_id == batch.id,
                                                          ImportRow.before.is_not(None))))


def _still_as_imported(batch: ImportBatch, rows: list[ImportRow]) -> dict:
    """The imported records by id; raises ValidationError when one has been changed, deleted or linked to since."""
    kind = KINDS[batch.kind]
    written = [row for row in rows if row.before is not None]
    records = {}
    for start in range(0, len(written), FLUSH_BATCH):
        chosen = [row.record_id for row in written[start:start + FLUSH_BATCH]]
        stmt = select(kind.model).where(kind.model.id.in_(chosen)).execution_options(include_deleted=True)
        records.update({record.id: record for record in db.session.scalars(stmt)})
    for row in written:
        record = records.get(row.record_id)
        if record is None or record.is_deleted or record.version != row.record_version:
            raise ValidationError(None, _l("Since the import, row %(row)s's record has been changed or deleted, so "
                                           "the import can no longer be undone.", row=row.row_number))
    created = [row.record_id for row in written if row.before == {}]
    if created and _linked_since(kind.model, created):
        raise ValidationError(None, _l("Contacts, meetings, deals or share links have been added to imported "
                                       "records since, so the import can no longer be undone."))
    return records


def _linked_since(model, ids: list[int]) -> bool:
    column = {Investor: (Contact.investor_id, Deal.investor_id, meeting_investors.c.investor_id,
                         ShareLink.investor_id),
              Startup: (Contact.startup_id, Deal.startup_id, meeting_startups.c.startup_id, ShareLink.startup_id),
              Contact: (meeting_contacts.c.contact_id, ShareLink.contact_id)}
    for start in range(0, len(ids), FLUSH_BATCH):
        chunk = ids[start:start + FLUSH_BATCH]
        if any(db.session.scalar(select(exists().where(c.in_(chunk)))) for c in column[model]):
            return True
    return False


def undo_batch(batch: ImportBatch, acting_user: User, now: datetime | None = None) -> None:
    """Take the whole import back: created records deleted, updated ones given their old values again."""
    refusal = undo_refusal(batch, now)
    if refusal:
        raise ValidationError(None, refusal)
    kind, data_class = KINDS[batch.kind], DATA_CLASSES[batch.kind]
    rows = _written_rows(batch)
    records = _still_as_imported(batch, rows)
    with db.session.no_autoflush:
        # Last row first: a record two rows updated gets the first row's "before" last.
        done = sorted((row for row in rows if row.before is not None), key=lambda r: -r.row_number)
        for index, row in enumerate(done):
            record = records[row.record_id]
            if row.before == {}:
                db.session.delete(record)
            else:
                kind.update(record, from_plain(data_class, row.before), acting_user)
            if index % FLUSH_BATCH == FLUSH_BATCH - 1:
                db.session.flush()
    batch.status, batch.undone_at = ImportStatus.UNDONE, now or timeutil.utcnow()
    record_event(db.session, AuditAction.UNDO_IMPORT, "import_batches", batch.id, f"{kind.title} · {batch.filename}",
                 {"kind": batch.kind, "file": batch.filename, "deleted": batch.counts.get("created", 0),
                  "restored": batch.counts.get("updated", 0)})
    db.session.flush()


def discard_batch(batch: ImportBatch, acting_user: User) -> None:
    """Drop an upload that was not imported."""
    if batch.status in (ImportStatus.COMMITTED, ImportStatus.UNDONE):
        raise ValidationError(None, _l("An import that was made stays listed; undo it instead."))
    db.session.execute(delete(ImportRow).where(ImportRow.batch_id == batch.id))
    db.session.delete(batch)
    db.session.flush()
