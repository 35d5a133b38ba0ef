"""Reads for sharing: the links and views on startup and investor pages, agreements, and a link by its token."""
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from crm.common import timeutil
from crm.extensions import db
from crm.models import (ConfidentialItem, ConfidentialityAgreement, Investor, ShareLink, ShareLinkStatus, ShareView,
                        Startup, StartupProfile, User, token_digest)
from crm.sharing.public_profile import PublicProfile, Sender, build_public_profile

# What secrets.token_urlsafe(32) makes; anything else is not a token and is not looked up.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
RECENT_VIEWS = 10


@dataclass
class LinkRow:
    """A share link with its status and how often, and when first and last, it was opened."""

    link: ShareLink
    status: ShareLinkStatus
    views: int = 0
    first_view: datetime | None = None
    last_view: datetime | None = None


@dataclass
class SharingSection:
    """What the sharing part of a startup's or an investor's page shows."""

    links: list[LinkRow] = field(default_factory=list)
    views: list[ShareView] = field(default_factory=list)
    profile: StartupProfile | None = None
    items: list[ConfidentialItem] = field(default_factory=list)
    agreements: list[ConfidentialityAgreement] = field(default_factory=list)
    today: date | None = None  # in the display time zone, for the agreements' validity


def _link_options(stmt):
    # Many-to-one, so joined into the links' own statement (one statement for the share page's link).
    return stmt.options(joinedload(ShareLink.startup), joinedload(ShareLink.investor).lazyload(Investor.focus),
                        joinedload(ShareLink.contact), joinedload(ShareLink.created_by),
                        joinedload(ShareLink.revoked_by))


def link_rows(now: datetime, *, startup_id: int | None = None, investor_id: int | None = None) -> list[LinkRow]:
    """The links of a startup or of an investor, newest first, with their view counts (in the same statement)."""
    stats = select(ShareView.link_id, func.count(ShareView.id).label("views"),
                   func.min(ShareView.viewed_at).label("first_view"),
                   func.max(ShareView.viewed_at).label("last_view")).join(ShareLink, ShareLink.id == ShareView.link_id)
    stmt = select(ShareLink).order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    for column, value in ((ShareLink.startup_id, startup_id), (ShareLink.investor_id, investor_id)):
        if value is not None:
            stmt, stats = stmt.where(column == value), stats.where(column == value)
    stats = stats.group_by(ShareView.link_id).subquery("stats")
    stmt = _link_options(stmt.outerjoin(stats, stats.c.link_id == ShareLink.id)
                         .add_columns(stats.c.views, stats.c.first_view, stats.c.last_view))
    return [LinkRow(link, link.status(now), views or 0, first, last)
            for link, views, first, last in db.session.execute(stmt).unique()]


def recent_views(*, startup_id: int | None = None, investor_id: int | None = None,
                 limit: int = RECENT_VIEWS) -> list[ShareView]:
    """The latest openings of a startup's or an investor's links, newest first."""
    stmt = select(ShareView).join(ShareView.link).order_by(ShareView.viewed_at.desc(), ShareView.id.desc())
    if startup_id is not None:
        stmt = stmt.where(ShareLink.startup_id == startup_id)
    if investor_id is not None:
        stmt = stmt.where(ShareLink.investor_id == investor_id)
    # The link is already joined for the filter; what it names comes in the same statement.
    stmt = stmt.options(contains_eager(ShareView.link).joinedload(ShareLink.startup),
                        contains_eager(ShareView.link).joinedload(ShareLink.investor).lazyload(Investor.focus),
                        contains_eager(ShareView.link).joinedload(ShareLink.contact)).limit(limit)
    return list(db.session.scalars(stmt))


def get_profile(startup_id: int) -> StartupProfile | None:
    """A startup's profile settings with its contact person, or None when none were saved."""
    stmt = (select(StartupProfile).where(StartupProfile.startup_id == startup_id)
            .options(selectinload(StartupProfile.contact)))
    return db.session.scalar(stmt)


def confidential_items(startup_id: int) -> list[ConfidentialItem]:
    """A startup's confidential material, by kind and then in the order it was added."""
    stmt = (select(ConfidentialItem).where(ConfidentialItem.startup_id == startup_id)
            .order_by(ConfidentialItem.kind, ConfidentialItem.id))
    return list(db.session.scalars(stmt))


def startup_sharing(startup_id: int, now: datetime) -> SharingSection:
    """The profile settings, confidential material, links and latest views for a startup's page."""
    profile = db.session.scalars(select(StartupProfile).where(StartupProfile.startup_id == startup_id).options(
        joinedload(StartupProfile.contact), joinedload(StartupProfile.fields))).unique().one_or_none()
    return SharingSection(links=link_rows(now, startup_id=startup_id), views=recent_views(startup_id=startup_id),
                          profile=profile, items=confidential_items(startup_id))


def investor_sharing(investor_id: int, now: datetime) -> SharingSection:
    """The agreements, links and latest views for an investor's page."""
    stmt = (select(ConfidentialityAgreement).where(ConfidentialityAgreement.investor_id == investor_id)
            .options(joinedload(ConfidentialityAgreement.startup), joinedload(ConfidentialityAgreement.recorded_by))
            .order_by(ConfidentialityAgreement.expires_on.desc(), ConfidentialityAgreement.id.desc()))
    return SharingSection(links=link_rows(now, investor_id=investor_id), views=recent_views(investor_id=investor_id),
                          agreements=list(db.session.scalars(stmt)), today=timeutil.local_today(now))


def valid_agreement(investor_id: int | None, startup_id: int, day: date) -> ConfidentialityAgreement | None:
    """An agreement between the investor and the startup that covers ``day``, or None."""
    if investor_id is None:
        return None
    stmt = (select(ConfidentialityAgreement)
            .where(ConfidentialityAgreement.investor_id == investor_id,
                   ConfidentialityAgreement.startup_id == startup_id,
                   ConfidentialityAgreement.signed_on <= day, ConfidentialityAgreement.expires_on >= day)
            .order_by(ConfidentialityAgreement.expires_on.desc()).limit(1))
    return db.session.scalar(stmt)


def link_for_token(token: str) -> ShareLink | None:
    """The link a token opens, whatever its status; None for a token that opens nothing."""
    if not _TOKEN_SHAPE.fullmatch(token):
        return None
    digest = token_digest(token)
    link = db.session.scalar(_link_options(select(ShareLink).where(ShareLink.token_hash == digest)))
    # The look-up is by a hash, which tells an attacker nothing; the comparison runs in constant time anyway.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    # A startup or investor in the trash is hidden (the relationship loads nothing): its links open nothing.
    if link.startup is None or (link.investor_id is not None and link.investor is None):
        return None
    return link


@dataclass
class OpenedLink:
    """A link a token opens, with what its share page needs (``open_link``)."""

    link: ShareLink
    profile: StartupProfile | None  # the startup's profile settings, with their contact person and fields
    confidential: bool  # an agreement between the link's investor and the startup covers the day
    has_items: bool  # the startup has confidential material


def open_link(token: str, day: date) -> OpenedLink | None:
    """The link a token opens, whatever its status, with its page's reads in the same statement: its parties,
    the startup's profile settings and whether an agreement covers ``day`` (in the display time zone) and
    the startup has confidential material. None for a token that opens nothing (as ``link_for_token``)."""
    if not _TOKEN_SHAPE.fullmatch(token):
        return None
    digest = token_digest(token)
    agreement = exists().where(ConfidentialityAgreement.investor_id == ShareLink.investor_id,
                               ConfidentialityAgreement.startup_id == ShareLink.startup_id,
                               ConfidentialityAgreement.signed_on <= day, ConfidentialityAgreement.expires_on >= day)
    items = exists().where(ConfidentialItem.startup_id == ShareLink.startup_id)
    stmt = (_link_options(select(ShareLink, StartupProfile, agreement.label("agreement"), items.label("items")))
            .outerjoin(StartupProfile, StartupProfile.startup_id == ShareLink.startup_id)
            .options(joinedload(StartupProfile.contact), joinedload(StartupProfile.fields))
            .where(ShareLink.token_hash == digest))
    row = db.session.execute(stmt).unique().first()
    # The look-up is by a hash, which tells an attacker nothing; the comparison runs in constant time anyway.
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    link = row[0]
    # A startup or investor in the trash is hidden (the relationship loads nothing): its links open nothing.
    if link.startup is None or (link.investor_id is not None and link.investor is None):
        return None
    return OpenedLink(link, row[1], bool(row[2]), bool(row[3]))


def opened_profile(opened: OpenedLink, now: datetime, sender: Sender) -> PublicProfile:
    """The page a link's reader sees at ``now`` (as ``profile_for``); the confidential material is read only
    when the reader may see it."""
    link = opened.link
    items = confidential_items(link.startup_id) if opened.confidential and opened.profile is not None else []
    shown = build_public_profile(link.startup, opened.profile, items, opened.confidential, has_items=opened.has_items)
    shown.prepared_for = link.investor.name if link.investor else None
    shown.valid_through = link.valid_through
    shown.sender = sender
    return shown


def get_link(startup_id: int, link_id: int) -> ShareLink:
    """One of a startup's links. :raise 404: when the startup has no such link."""
    return db.first_or_404(_link_options(select(ShareLink).where(ShareLink.id == link_id,
                                                                 ShareLink.startup_id == startup_id)))


def get_item(startup_id: int, item_id: int) -> ConfidentialItem:
    """One of a startup's confidential items. :raise 404: when the startup has no such item."""
    return db.first_or_404(select(ConfidentialItem).where(ConfidentialItem.id == item_id,
                                                          ConfidentialItem.startup_id == startup_id))


def get_agreement(investor_id: int, agreement_id: int) -> ConfidentialityAgreement:
    """One of an investor's agreements. :raise 404: when the investor has no such agreement."""
    stmt = (select(ConfidentialityAgreement)
            .where(ConfidentialityAgreement.id == agreement_id, ConfidentialityAgreement.investor_id == investor_id)
            .options(selectinload(ConfidentialityAgreement.startup)))
    return db.first_or_404(stmt)


def link_sender(link: ShareLink | None, fallback: User | None = None) -> Sender:
    """Whom a link's reader should write to: its maker (or ``fallback``) while active, else the cluster."""
    user = link.created_by if link is not None else fallback
    if user is not None and user.active:
        return Sender(user.name, user.email)
    return Sender(current_app.config["CLUSTER_NAME"], current_app.config["CLUSTER_EMAIL"])


def profile_for(startup: Startup, link: ShareLink | None, now: datetime, *, confidential: bool | None = None,
                sender: Sender | None = None) -> PublicProfile:
    """The page a link's reader sees at ``now``; without a link, a preview with or without the confidential tier."""
    if confidential is None:
        confidential = link is not None and valid_agreement(link.investor_id, startup.id,
                                                            timeutil.local_today(now)) is not None
    shown = build_public_profile(startup, get_profile(startup.id), confidential_items(startup.id), confidential)
    if link is not None:
        shown.prepared_for = link.investor.name if link.investor else None
        shown.valid_through = link.valid_through
    shown.sender = sender
    return shown

