"""Plain functions that build records through the services, flush and return them."""
from datetime import datetime, timezone
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from crm.contacts.services import ContactData, create_contact
from crm.extensions import db
from crm.investors.services import InvestorData, create_investor
from crm.meetings.services import MeetingData, create_meeting
from crm.models import (DevelopmentStage, IncubatorStatus, InvestorKind, InvestorStatus, MeetingKind, Modality,
                        Role, TherapeuticArea, User)
from crm.startups.services import StartupData, create_startup
from crm.users.services import UserData, create_user

_numbers = count(1)


def make_user(role="manager", email=None, name=None, password="correct horse battery") -> User:
    n = next(_numbers)
    return create_user(UserData(email=email or f"user{n}@example.com", name=name or f"User {n}",
                                role=Role(role)), password)


def _actor() -> User | None:
    """Any user, as the one who acts; the services record it where they keep an author."""
    return db.session.scalar(select(User).order_by(User.id).limit(1))


def make_investor(name=None, country="NO", kind=InvestorKind.VENTURE_FUND, **fields):
    data = InvestorData(name=name or f"Investor {next(_numbers)}", kind=kind,
                        status=fields.pop("status", InvestorStatus.ACTIVE), country=country, **fields)
    return create_investor(data, _actor())


def make_startup(name=None, **fields):
    defaults = dict(incubator_status=IncubatorStatus.INCUBATEE, therapeutic_area=TherapeuticArea.SOLID_TUMOURS,
                    modality=Modality.SMALL_MOLECULE, development_stage=DevelopmentStage.PRECLINICAL)
    defaults.update(fields)
    return create_startup(StartupData(name=name or f"Startup {next(_numbers)}", **defaults), _actor())


def make_contact(organisation, name=None, **fields):
    return create_contact(ContactData(name=name or f"Person {next(_numbers)}", **fields), organisation, _actor())


def make_meeting(startups=(), investors=(), contacts=(), starts_at=None, **fields):
    data = MeetingData(
        starts_at=starts_at or datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc),
        kind=fields.pop("kind", MeetingKind.PITCH),
        startup_ids=[s.id for s in startups], investor_ids=[i.id for i in investors],
        contact_ids=[c.id for c in contacts], **fields)
    return create_meeting(data, _actor())


__all__ = ["make_user", "make_investor", "make_startup", "make_contact", "make_meeting", "Decimal"]
