"""Writes to contacts. Each function flushes; the view commits."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from crm.common.records import assign, check_version
from crm.errors import ValidationError
from crm.extensions import db
from crm.trash.services import move_to_trash
from crm.models import Contact, Investor, LegalBasis, Startup, User


@dataclass
class ContactData:
    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    source: str | None = None
    legal_basis: LegalBasis = LegalBasis.LEGITIMATE_INTEREST
    consent_on: date | None = None


def contact_data(contact: Contact) -> ContactData:
    """The record's saved values, for the edit form and the conflict check."""
    return ContactData(**{name: getattr(contact, name) for name in ContactData.__dataclass_fields__})


def _validate(data: ContactData) -> None:
    if data.legal_basis is LegalBasis.CONSENT and data.consent_on is None:
        raise ValidationError("consent_on", _l("Enter the date the person gave consent."))


def check_contact(data: ContactData) -> None:
    """The rules a save checks, without saving (an import's preview checks its rows with them)."""
    _validate(data)


def create_contact(data: ContactData, organisation: Investor | Startup, acting_user: User, *,
                   flush: bool = True) -> Contact:
    """Add a person to an investor or a startup (``flush``: see create_investor)."""
    _validate(data)
    contact = Contact()
    assign(contact, data)
    if isinstance(organisation, Investor):
        contact.investor = organisation
    elif isinstance(organisation, Startup):
        contact.startup = organisation
    else:
        raise ValidationError(None, _l("A contact belongs to an investor or a startup."))
    db.session.add(contact)
    if flush:
        db.session.flush()
    return contact


def update_contact(contact: Contact, data: ContactData, expected_version, acting_user: User, *,
                   flush: bool = True) -> Contact:
    """Save an edit; raises ConflictError when the record changed since the form was loaded."""
    check_version(contact.version, expected_version, contact_data(contact), data)
    _validate(data)
    assign(contact, data)
    if flush:
        db.session.flush()
    return contact


def delete_contact(contact: Contact, acting_user: User) -> None:
    """Move to the trash (restorable for 30 days)."""
    move_to_trash(contact, acting_user)
