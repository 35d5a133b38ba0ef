"""Data-protection requests: what the CRM holds about a person, erasure, and retention review."""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select

from crm.audit.recorder import plain, record_label
from crm.common.text import fold
from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models import AuditAction, AuditEntry, Contact, FollowUp, Meeting, Note, User
from crm.models.meeting import meeting_contacts

ERASED = "[erased]"
PERSONAL_FIELDS = ("name", "title", "email", "phone", "notes", "source", "consent_on")


def personal_data(contact: Contact) -> dict:
    """Everything the CRM holds about a person, as plain data (for the JSON download and the page)."""
    meetings = db.session.scalars(
        select(Meeting).join(meeting_contacts, meeting_contacts.c.meeting_id == Meeting.id)
        .where(meeting_contacts.c.contact_id == contact.id).order_by(Meeting.starts_at))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "contacts", AuditEntry.record_id == contact.id)
        .order_by(AuditEntry.at))
    notes = db.session.scalars(select(Note).where(Note.contact_id == contact.id).order_by(Note.created_at))
    follow_ups = db.session.scalars(select(FollowUp).where(FollowUp.contact_id == contact.id)
                                    .order_by(FollowUp.due_on).execution_options(include_deleted=True))
    organisation = contact.organisation
    return {
        "person": {field: plain(getattr(contact, field)) for field in PERSONAL_FIELDS},
        "legal_basis": contact.legal_basis.value,
        "organisation": {"kind": "investor" if contact.investor_id else "startup",
                         "name": organisation.name if organisation else None},
        "recorded": {"created_at": plain(contact.created_at), "updated_at": plain(contact.updated_at)},
        "meetings": [{"date": plain(m.starts_at), "kind": m.kind.value, "title": m.display_title,
                      "mentions_in_notes": [f for f in ("notes", "outcome", "next_steps")
                                            if contact.name and contact.name in (getattr(m, f) or "")]}
                     for m in meetings],
        "notes": [{"at": plain(n.created_at), "text": n.text} for n in notes],
        "follow_ups": [{"title": f.title, "due_on": plain(f.due_on), "done_at": plain(f.done_at)} for f in follow_ups],
        "changes": [{"at": plain(e.at), "by": e.user_label, "action": e.action.value, "changes": e.changes}
                    for e in history],
    }


def _scrub(value, pattern: re.Pattern, values: set):
    """Replace the person's values (and, in any case, their names inside text) in one audit value."""
    if isinstance(value, list):
        return [_scrub(v, pattern, values) for v in value]
    if isinstance(value, str):
        if value in values:
            return ERASED
        return pattern.sub(ERASED, value)
    return value


def _erased(change: list) -> list:
    """A personal field's [old, new] with every value replaced: the change stays, the data goes."""
    return [ERASED if value not in (None, "") else None for value in change]


def erase_contact(contact: Contact, acting_user: User, now: datetime | None = None) -> None:
    """Anonymise a person: personal fields cleared, their name taken out of meeting records and of
    older audit entries. The meetings stay for the startups' history; the log keeps that the
    changes happened, and records the erasure itself without the erased data."""
    now = now or utcnow()
    own_entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "contacts", AuditEntry.record_id == contact.id)))
    # Every value the person's fields have had, from the log as well as the record: an email
    # changed last year is as much the person's data as the current one.
    names = {contact.name} | {name for e in own_entries for name in (e.changes.get("name") or []) if name}
    values = {str(plain(getattr(contact, field))) for field in PERSONAL_FIELDS if getattr(contact, field)}
    values |= {str(value) for e in own_entries for field in PERSONAL_FIELDS
               for value in (e.changes.get(field) or []) if value not in (None, "")}
    # Whole words only, in any case: "Kari" in "kari ringer", but "Per" not in "performance".
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?!\w)", re.IGNORECASE)

    # The meetings the person took part in: those they are on now, and those whose log lists
    # them among the contacts (they were taken off later).
    meeting_ids = set(db.session.scalars(
        select(meeting_contacts.c.meeting_id).where(meeting_contacts.c.contact_id == contact.id)))
    meeting_entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "meetings")))
    meeting_ids |= {e.record_id for e in meeting_entries
                    if any(isinstance(side, list) and names & set(side) for side in e.changes.get("contacts") or [])}
    scrubbed_meeting_entries = []
    for entry in meeting_entries:
        if entry.record_id not in meeting_ids:
            continue
        changes = {field: _scrub(change, pattern, values) for field, change in entry.changes.items()}
        label = pattern.sub(ERASED, entry.record_label)
        if changes != entry.changes or label != entry.record_label:
            scrubbed_meeting_entries.append((entry, changes, label))

    follow_ups = list(db.session.scalars(select(FollowUp).where(FollowUp.contact_id == contact.id)
                                         .execution_options(include_deleted=True)))
    follow_up_entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "follow_ups", AuditEntry.record_id.in_([f.id for f in follow_ups] or [-1]))))
    session = db.session()
    session.info["audit_disabled"] = True  # the recorder would copy the erased values into the log
    try:
        for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids or [-1]))
                                          .execution_options(include_deleted=True)):
            for field in ("title", "notes", "outcome", "next_steps"):
                text = getattr(meeting, field)
                if text:
                    setattr(meeting, field, pattern.sub(ERASED, text))
        # Notes and follow-ups about the person keep their dates, with the name taken out of their text.
        notes = db.session.scalars(select(Note).where(Note.contact_id == contact.id))
        for record, field in [(n, "text") for n in notes] + [(f, "title") for f in follow_ups]:
            if pattern is not None:
                setattr(record, field, pattern.sub(ERASED, getattr(record, field)))
        db.session.execute(delete(meeting_contacts).where(meeting_contacts.c.contact_id == contact.id))
        for field in PERSONAL_FIELDS:
            setattr(contact, field, None)
        contact.name = f"Erased person {contact.id}"
        contact.erased_at = now
        db.session.flush()
    finally:
        session.info.pop("audit_disabled", None)

    session.info["audit_scrubbing"] = True  # the one change the app makes to old log entries
    try:
        for entry in own_entries:
            entry.changes = {field: _erased(change) if field in PERSONAL_FIELDS else _scrub(change, pattern, values)
                             for field, change in entry.changes.items()}
            entry.record_label = contact.name
            entry.record_label_search = fold(contact.name)[:200]
        for entry, changes, label in scrubbed_meeting_entries:
            entry.changes = changes
            entry.record_label = label
            entry.record_label_search = fold(label)[:200]
        for entry in follow_up_entries:  # named by their title
            entry.changes = {field: _scrub(change, pattern, values) for field, change in entry.changes.items()}
            entry.record_label = pattern.sub(ERASED, entry.record_label)
            entry.record_label_search = fold(entry.record_label)[:200]
        db.session.flush()
    finally:
        session.info.pop("audit_scrubbing", None)

    user_id, user_label = (acting_user.id, acting_user.email) if acting_user else (None, "")
    db.session.add(AuditEntry(at=now, user_id=user_id, user_label=user_label, action=AuditAction.ERASE,
                              record_type="contacts", record_id=contact.id, record_label=record_label(contact),
                              record_label_search=fold(contact.name)[:200],
                              changes={field: [ERASED, None] for field in PERSONAL_FIELDS}))
    db.session.flush()


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` months earlier (the last day of a shorter month)."""
    import calendar
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionRow:
    contact: Contact
    last_activity: datetime


def contacts_to_review(months: int, now: datetime | None = None, limit: int = 500) -> list[RetentionRow]:
    """Contacts with no change and no meeting for ``months`` months, oldest activity first."""
    cutoff = months_before(now or utcnow(), months)
    last_meeting = (select(meeting_contacts.c.contact_id, func.max(Meeting.starts_at).label("last_meeting"))
                    .join(Meeting, Meeting.id == meeting_contacts.c.meeting_id)
                    .group_by(meeting_contacts.c.contact_id).subquery())
    activity = func.coalesce(last_meeting.c.last_meeting, Contact.updated_at)
    stmt = (select(Contact, Contact.updated_at, last_meeting.c.last_meeting)
            .outerjoin(last_meeting, last_meeting.c.contact_id == Contact.id)
            .where(Contact.updated_at < cutoff, Contact.erased_at.is_(None),
                   or_(last_meeting.c.last_meeting.is_(None), last_meeting.c.last_meeting < cutoff))
            .order_by(activity).limit(limit))
    rows = []
    for contact, updated_at, last in db.session.execute(stmt):
        rows.append(RetentionRow(contact, max(filter(None, [updated_at, last]))))
    return rows
