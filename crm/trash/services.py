"""Moving records to the trash, restoring them, and deleting them for good."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Contact, Deal, Event, FollowUp, Investor, Meeting, Startup, User

RETENTION = timedelta(days=30)
TRASHABLE = {"investors": Investor, "startups": Startup, "contacts": Contact, "meetings": Meeting,
             "follow_ups": FollowUp, "events": Event}
# Deleting an organisation takes its people and deals along; restoring it brings back those it took.
_TAKEN_ALONG = {Investor: ((Contact, Contact.investor_id), (Deal, Deal.investor_id)),
                Startup: ((Contact, Contact.startup_id), (Deal, Deal.startup_id))}


def move_to_trash(record, acting_user: User | None, now: datetime | None = None) -> None:
    """Hide a record everywhere; an investor's or startup's live contacts and deals go with it."""
    now = now or utcnow()
    record.deleted_at = now
    record.deleted_by_id = acting_user.id if acting_user else None
    for model, column in _TAKEN_ALONG.get(type(record), ()):
        for child in db.session.scalars(select(model).where(column == record.id, model.deleted_at.is_(None))):
            child.deleted_at = now
            child.deleted_by_id = record.deleted_by_id
    db.session.flush()


def find_in_trash(kind: str, record_id: int):
    """A trashed record of a kind ('investors', ...) or None."""
    model = TRASHABLE.get(kind)
    if model is None:
        return None
    stmt = select(model).where(model.id == record_id, model.deleted_at.is_not(None))
    return db.session.scalar(stmt.execution_options(include_deleted=True))


def restore(record, acting_user: User | None, now: datetime | None = None) -> None:
    """Bring a record back from the trash, within 30 days of its deletion."""
    now = now or utcnow()
    if record.deleted_at is None:
        return
    if record.deleted_at < now - RETENTION:
        raise ValidationError(None, _l("This was deleted more than 30 days ago and can no longer be restored."))
    if isinstance(record, Contact) and record.organisation is not None and record.organisation.is_deleted:
        raise ValidationError(None, _l("Restore %(org)s first: this person belongs to it.",
                                       org=record.organisation.name))
    if isinstance(record, FollowUp) and record.target is not None and record.target.is_deleted:
        raise ValidationError(None, _l("Restore what this follow-up is about first: it is in the trash."))
    for model, column in _TAKEN_ALONG.get(type(record), ()):
        taken_along = select(model).where(column == record.id, model.deleted_at == record.deleted_at)
        for child in db.session.scalars(taken_along.execution_options(include_deleted=True)):
            other = _other_party(child, record)
            if other is not None and other.deleted_at is not None:
                # A deal needs both parties: it now waits for the other one, and comes back with it.
                child.deleted_at = other.deleted_at
                continue
            child.deleted_at = None
            child.deleted_by_id = None
    record.deleted_at = None
    record.deleted_by_id = None
    db.session.flush()


def _other_party(child, record):
    """For a deal taken along with ``record``, the deal's other party (read even from the trash)."""
    if not isinstance(child, Deal):
        return None
    model, other_id = (Investor, child.investor_id) if isinstance(record, Startup) else (Startup, child.startup_id)
    stmt = select(model).where(model.id == other_id).execution_options(include_deleted=True)
    return db.session.scalar(stmt)


def purge(record) -> None:
    """Delete a trashed record for good (its contacts and meeting links go by the database's cascade)."""
    db.session.delete(record)
    db.session.flush()


def empty_trash(acting_user: User, older_than: datetime | None = None) -> int:
    """Delete for good everything in the trash (or only what was deleted before ``older_than``)."""
    count = 0
    # Contacts, deals and follow-ups first, so that an organisation's purge does not leave them to a silent cascade.
    for model in (Contact, Deal, FollowUp, Meeting, Event, Investor, Startup):
        stmt = select(model).where(model.deleted_at.is_not(None))
        if older_than is not None:
            stmt = stmt.where(model.deleted_at < older_than)
        for record in db.session.scalars(stmt.execution_options(include_deleted=True)):
            purge(record)
            count += 1
    return count


def purge_expired(now: datetime | None = None) -> int:
    """Delete for good what has been in the trash for more than 30 days (run daily)."""
    return empty_trash(None, older_than=(now or utcnow()) - RETENTION)


__all__ = ["move_to_trash", "restore", "purge", "empty_trash", "purge_expired", "find_in_trash", "TRASHABLE",
           "RETENTION"]
