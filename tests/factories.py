"""Plain functions that build records through the services, flush and return them."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from crm.common import timeutil
from crm.contacts.services import ContactData, create_contact
from crm.deals.services import DealData, MoveData, create_deal, move_deal
from crm.extensions import db
from crm.investors.services import InvestorData, create_investor
from crm.events.services import EventData, create_event
from crm.followups.services import FollowUpData, create_follow_up, mark_done
from crm.followups.targets import Target
from crm.meetings.services import MeetingData, NextStep, create_meeting
from crm.models import (ConfidentialItemKind, DealStage, DevelopmentStage, IncubatorStatus, InvestorKind,
                        InvestorStatus, MeetingKind, Modality, PassReason, ProfileField, Role, RoundKind,
                        TherapeuticArea, User, Visibility)
from crm.rates.services import RateData, set_exchange_rate
from crm.sharing import queries as sharing_queries, services as sharing
from crm.startups.services import StartupData, create_startup
from crm.timeline.services import add_note
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


def make_meeting(startups=(), investors=(), contacts=(), starts_at=None, follow_up_on=None, follow_up_title=None,
                 event=None, **fields):
    """A meeting; ``follow_up_on`` adds the follow-up of its next steps, as the meeting form does."""
    data = MeetingData(
        starts_at=starts_at or datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc),
        kind=fields.pop("kind", MeetingKind.PITCH), event_id=event.id if event else None,
        startup_ids=[s.id for s in startups], investor_ids=[i.id for i in investors],
        contact_ids=[c.id for c in contacts], **fields)
    next_step = NextStep(due_on=follow_up_on, title=follow_up_title) if follow_up_on else None
    return create_meeting(data, _actor(), next_step)


def make_follow_up(record, due_on, title=None, assignee=None, done_at=None, by=None):
    """A follow-up about a startup, investor, contact, deal or meeting, for ``assignee`` (by default the first user)."""
    kind = {"startups": "startup", "investors": "investor", "contacts": "contact", "deals": "deal",
            "meetings": "meeting"}[record.__tablename__]
    assignee = assignee or _actor()
    follow_up = create_follow_up(FollowUpData(title=title or f"Follow-up {next(_numbers)}", due_on=due_on,
                                              assignee_id=assignee.id), Target(kind, record.id), by or _actor())
    if done_at is not None:
        mark_done(follow_up, by or _actor(), now=done_at)
    return follow_up


def make_note(record, text, by=None, at=None):
    """A note on a startup, investor, contact or deal, written by ``by`` (the first user) at ``at`` (now)."""
    kind = record.__tablename__[:-1]
    note = add_note(text, Target(kind, record.id), by or _actor())
    if at is not None:
        note.created_at = at
        db.session.flush()
    return note


def make_event(name=None, starts_on=date(2026, 3, 16), ends_on=None, startups=(), investors=(), place="Oslo",
               slot_minutes=30):
    return create_event(EventData(name=name or f"Event {next(_numbers)}", starts_on=starts_on,
                                  ends_on=ends_on or starts_on, place=place, slot_minutes=slot_minutes,
                                  startup_ids=[s.id for s in startups], investor_ids=[i.id for i in investors]),
                        _actor())


def make_profile(startup, public=(ProfileField.NAME,), confidential=(), tagline=None, contact=None):
    """Profile settings showing the ``public`` fields to everyone and the ``confidential`` ones under an agreement."""
    chosen = {sharing.visibility_key(f): Visibility.PUBLIC for f in public}
    chosen.update({sharing.visibility_key(f): Visibility.CONFIDENTIAL for f in confidential})
    data = sharing.ProfileData(tagline=tagline, contact_id=contact.id if contact else None, **chosen)
    saved = sharing_queries.get_profile(startup.id)
    return sharing.set_profile(startup, saved, data, saved.version if saved else "", _actor())


def make_item(startup, title=None, kind=ConfidentialItemKind.DECK, url="https://dataroom.example.com/deck",
              text=None):
    return sharing.add_confidential_item(startup, sharing.ItemData(kind=kind, title=title or f"Item {next(_numbers)}",
                                                                   url=url, text=text), _actor())


def make_agreement(investor, startup, signed_on=None, expires_on=None, now=None):
    signed_on = signed_on or date(2026, 1, 1)
    return sharing.record_agreement(investor, sharing.AgreementData(
        startup_id=startup.id, signed_on=signed_on, expires_on=expires_on or signed_on + timedelta(days=730)),
        _actor(), now=now)


def make_share_link(startup, investor=None, contact=None, label=None, expires_on=None, by=None, now=None):
    """A share link and its token; the startup needs a profile (make_profile)."""
    today = timeutil.local_today(now)
    data = sharing.LinkData(expires_on=expires_on or today + timedelta(days=30), investor_id=investor.id if investor
                            else None, contact_id=contact.id if contact else None,
                            label=label if label or investor else "General")
    return sharing.create_share_link(startup, data, by or _actor(), now=now)


def make_deal(startup, investor, stage=DealStage.IDENTIFIED, at=None, round_kind=None, **fields):
    """A deal created at ``stage`` (at ``at``, by default now), in the startup's round or a seed round."""
    data = DealData(stage=stage, startup_id=startup.id, investor_id=investor.id,
                    round_kind=round_kind or startup.round_kind or RoundKind.SEED, **fields)
    return create_deal(data, _actor(), at=at)


def move(deal, stage, at=None, committed=None, reason=None, reason_text=None):
    """Move a deal on, as its history says; ``committed`` and ``reason`` as the stage rules want them."""
    data = MoveData(stage=stage, committed_amount=Decimal(committed) if committed is not None else None,
                    pass_reason=PassReason(reason) if reason else None, pass_reason_text=reason_text)
    return move_deal(deal, data, deal.version, _actor(), at=at)


def make_rate(currency, rate, valid_from=date(2000, 1, 1)):
    return set_exchange_rate(RateData(currency=currency, valid_from=valid_from, rate_to_nok=Decimal(rate)), _actor())


__all__ = ["make_user", "make_investor", "make_startup", "make_contact", "make_meeting", "make_deal", "move",
           "make_rate", "make_profile", "make_item", "make_agreement",
           "make_share_link", "make_follow_up", "make_note", "make_event", "Decimal"]
