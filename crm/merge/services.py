"""Merging two investors, startups or contacts: chosen values kept, everything linked moved, the other to the trash."""
import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.audit.recorder import record_event
from crm.common.records import check_version
from crm.contacts.services import ContactData, contact_data, update_contact
from crm.errors import ValidationError
from crm.extensions import db
from crm.investors.services import InvestorData, investor_data, update_investor
from crm.models import (AuditAction, ConfidentialItem, ConfidentialityAgreement, Contact, Deal, FollowUp, Investor,
                        Meeting, Note, ShareLink, Startup, StartupProfile, User)
from crm.models.meeting import meeting_contacts, meeting_investors, meeting_startups
from crm.startups.services import StartupData, startup_data, update_startup
from crm.trash.services import move_to_trash


@dataclass(frozen=True)
class MergeKind:
    model: type
    data_class: type
    record_data: Callable[[Any], Any]
    update: Callable[..., Any]


KINDS = {"investors": MergeKind(Investor, InvestorData, investor_data, update_investor),
         "startups": MergeKind(Startup, StartupData, startup_data, update_startup),
         "contacts": MergeKind(Contact, ContactData, contact_data, update_contact)}


def differing_fields(kind: str, kept, other) -> list[str]:
    """The fields whose values differ between the two records: the user picks one of them for each."""
    spec = KINDS[kind]
    first, second = spec.record_data(kept), spec.record_data(other)
    return [f.name for f in dataclasses.fields(spec.data_class) if getattr(first, f.name) != getattr(second, f.name)]


def _all(stmt):
    """Rows in the trash move too, so that restoring them later finds them with the kept record."""
    return list(db.session.scalars(stmt.execution_options(include_deleted=True)))


def _move_deals(column, kept_id: int, other_id: int, partner: str) -> int:
    deals = _all(select(Deal).where(column == other_id))
    taken = {(getattr(d, partner), d.round_kind) for d in _all(select(Deal).where(column == kept_id))}
    for deal in deals:
        if (getattr(deal, partner), deal.round_kind) in taken:
            raise ValidationError(None, _l("Both have a deal in the pipeline for the same %(round)s round with the same "
                                           "party (deal #%(id)s). Delete one of the two deals first.",
                                           round=deal.round_kind.label, id=deal.id))
        setattr(deal, column.key, kept_id)
    return len(deals)


def _move_meetings(table, column, attribute: str, kept, other) -> int:
    meetings = _all(select(Meeting).join(table, table.c.meeting_id == Meeting.id).where(column == other.id))
    for meeting in meetings:
        present = getattr(meeting, attribute)
        kept_there = any(p.id == kept.id for p in present)
        setattr(meeting, attribute, [p for p in present if p.id != other.id] + ([] if kept_there else [kept]))
    return len(meetings)


def _reassign(model, column_name: str, kept_id: int, other_id: int) -> int:
    rows = _all(select(model).where(getattr(model, column_name) == other_id))
    for row in rows:
        setattr(row, column_name, kept_id)
    return len(rows)


def _copy_profile(kept: Startup, other: Startup) -> None:
    """The other startup's public profile settings, when the kept one has none (its share links need them)."""
    theirs = db.session.get(StartupProfile, other.id)
    if theirs is None or db.session.get(StartupProfile, kept.id) is not None:
        return
    profile = StartupProfile(startup_id=kept.id, tagline=theirs.tagline, contact_id=theirs.contact_id)
    db.session.add(profile)
    profile.set_visibility({setting.field: setting.visibility for setting in theirs.fields})


def _move_related(kind: str, kept, other) -> dict[str, int]:
    link = {"investors": "investor_id", "startups": "startup_id", "contacts": "contact_id"}[kind]
    tasks = {"follow_ups": _reassign(FollowUp, link, kept.id, other.id),
             "notes": _reassign(Note, link, kept.id, other.id)}
    return tasks | _move_linked(kind, kept, other)


def _move_linked(kind: str, kept, other) -> dict[str, int]:
    if kind == "investors":
        return {"contacts": _reassign(Contact, "investor_id", kept.id, other.id),
                "deals": _move_deals(Deal.investor_id, kept.id, other.id, "startup_id"),
                "meetings": _move_meetings(meeting_investors, meeting_investors.c.investor_id, "investors", kept, other),
                "share_links": _reassign(ShareLink, "investor_id", kept.id, other.id),
                "agreements": _reassign(ConfidentialityAgreement, "investor_id", kept.id, other.id)}
    if kind == "startups":
        _copy_profile(kept, other)
        return {"contacts": _reassign(Contact, "startup_id", kept.id, other.id),
                "deals": _move_deals(Deal.startup_id, kept.id, other.id, "investor_id"),
                "meetings": _move_meetings(meeting_startups, meeting_startups.c.startup_id, "startups", kept, other),
                "share_links": _reassign(ShareLink, "startup_id", kept.id, other.id),
                "agreements": _reassign(ConfidentialityAgreement, "startup_id", kept.id, other.id),
                "confidential_items": _reassign(ConfidentialItem, "startup_id", kept.id, other.id)}
    return {"meetings": _move_meetings(meeting_contacts, meeting_contacts.c.contact_id, "contacts", kept, other),
            "share_links": _reassign(ShareLink, "contact_id", kept.id, other.id),
            "profiles": _reassign(StartupProfile, "contact_id", kept.id, other.id)}


def merge_records(kind: str, kept, other, take_from_other: set[str], kept_version, other_version,
                  acting_user: User) -> dict[str, int]:
    """Merge ``other`` into ``kept``: the fields in ``take_from_other`` get other's values, everything linked to
    other moves to kept, and other goes to the trash. Raises ConflictError when either changed since the form."""
    spec = KINDS[kind]
    if kept.id == other.id:
        raise ValidationError(None, _l("Choose two different records."))
    check_version(other.version, other_version)
    check_version(kept.version, kept_version)
    theirs = spec.record_data(other)
    merged = dataclasses.replace(spec.record_data(kept), **{name: getattr(theirs, name) for name in take_from_other
                                                           if name in spec.data_class.__dataclass_fields__})
    moved = _move_related(kind, kept, other)
    if kind != "contacts":
        other.org_number = None  # the kept record may take it: numbers are unique, in the trash too
    db.session.flush()
    move_to_trash(other, acting_user)
    spec.update(kept, merged, kept.version, acting_user)
    record_event(db.session, AuditAction.MERGE, kind, kept.id, kept.name,
                 {"merged_with": f"{other.name} (#{other.id})", "taken_from_other": ", ".join(sorted(take_from_other)),
                  "moved": ", ".join(f"{key}: {count}" for key, count in moved.items() if count)})
    db.session.flush()
    return moved
