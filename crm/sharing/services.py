"""Writes for sharing: profile settings, confidential items, agreements, share links and their views.

Each function flushes; the view commits. Functions that depend on the time take ``now`` (default: the
current time), so that tests and the demo data can act at a chosen moment.
"""
import ipaddress
import secrets
from dataclasses import dataclass, make_dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from crm.common import timeutil
from crm.common.records import check_version
from crm.common.validators import clean_text
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import (ConfidentialItem, ConfidentialItemKind, ConfidentialityAgreement, Contact, Investor,
                        ProfileField, ShareLink, ShareView, Startup, StartupProfile, User, Visibility, token_digest)

DEFAULT_LINK_DAYS = 30
MAX_LINK_DAYS = 365
TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG; the issue asks for at least 128
USER_AGENT_LENGTH = 300
# Chat apps and mail scanners open links to draw a preview; such an opening is not a person reading.
LINK_PREVIEW_AGENTS = ("slackbot", "facebookexternalhit", "twitterbot", "linkedinbot", "whatsapp", "telegrambot",
                       "discordbot", "skypeuripreview", "googlebot", "bingbot", "applebot")


def visibility_key(field: ProfileField) -> str:
    """The name under which the profile form and ProfileData carry one field's visibility."""
    return f"show_{field.value}"


# One attribute per field of the profile form, so that a refused save lists the changed fields by their labels.
ProfileData = make_dataclass("ProfileData", [
    ("tagline", str | None, None),
    ("contact_id", int | None, None),
    *[(visibility_key(field), Visibility | None, None) for field in ProfileField],
])


def profile_data(profile: StartupProfile | None):
    """The saved profile settings (all hidden when there are none yet), for the form and the conflict check."""
    if profile is None:
        return ProfileData()
    return ProfileData(tagline=profile.tagline, contact_id=profile.contact_id,
                       **{visibility_key(field): profile.visibility(field) for field in ProfileField})


def set_profile(startup: Startup, profile: StartupProfile | None, data, expected_version,
                acting_user: User) -> StartupProfile:
    """Save which fields the profile shows and to whom (``profile``: the saved settings, None at first).

    Raises ConflictError when somebody saved the settings after the form was loaded.
    """
    if profile is None:
        # Somebody who loaded the form before the profile existed sends an empty version; anything else is
        # a form made for a profile that has since been deleted with its startup.
        check_version("", expected_version or "")
        profile = StartupProfile(startup=startup)
        db.session.add(profile)
    else:
        check_version(profile.version, expected_version, profile_data(profile), data)
    if data.contact_id is not None:
        contact = db.session.get(Contact, data.contact_id)
        if contact is None or contact.startup_id != startup.id:
            raise ValidationError("contact_id", _l("Choose one of this startup's contacts."))
    profile.tagline = clean_text(data.tagline)
    profile.contact_id = data.contact_id
    profile.set_visibility({field: getattr(data, visibility_key(field)) for field in ProfileField})
    profile.updated_at = timeutil.utcnow()  # a change to the fields alone must still bump the version
    db.session.flush()
    return profile


@dataclass
class ItemData:
    kind: ConfidentialItemKind
    title: str
    url: str | None = None
    text: str | None = None


def add_confidential_item(startup: Startup, data: ItemData, acting_user: User) -> ConfidentialItem:
    """Attach confidential material (a link, a text or both) to a startup's profile."""
    if not data.url and not data.text:
        raise ValidationError("url", _l("Give a link, a text, or both."))
    item = ConfidentialItem(startup_id=startup.id, kind=data.kind, title=data.title, url=data.url, text=data.text,
                            created_by=acting_user)
    db.session.add(item)
    db.session.flush()
    return item


def remove_confidential_item(item: ConfidentialItem, acting_user: User) -> None:
    """Remove confidential material; links stop showing it at once."""
    db.session.delete(item)
    db.session.flush()


@dataclass
class AgreementData:
    startup_id: int
    signed_on: date
    expires_on: date


def record_agreement(investor: Investor, data: AgreementData, acting_user: User,
                     now: datetime | None = None) -> ConfidentialityAgreement:
    """Record a signed confidentiality agreement between an investor and a startup."""
    today = timeutil.local_today(now)
    if db.session.get(Startup, data.startup_id) is None:
        raise ValidationError("startup_id", _l("Choose a startup from the list."))
    if data.signed_on > today:
        raise ValidationError("signed_on", _l("The signing date cannot be in the future."))
    if data.expires_on < data.signed_on:
        raise ValidationError("expires_on", _l("The agreement cannot end before it was signed."))
    agreement = ConfidentialityAgreement(investor_id=investor.id, startup_id=data.startup_id,
                                         signed_on=data.signed_on, expires_on=data.expires_on,
                                         recorded_by=acting_user)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def delete_agreement(agreement: ConfidentialityAgreement, acting_user: User) -> None:
    """Delete an agreement recorded by mistake; its links stop showing the confidential tier at once."""
    db.session.delete(agreement)
    db.session.flush()


@dataclass
class LinkData:
    expires_on: date
    investor_id: int | None = None
    contact_id: int | None = None
    label: str | None = None


def default_expiry(now: datetime | None = None) -> date:
    """The last day a new link works on, unless the manager chooses another."""
    return timeutil.local_today(now) + timedelta(days=DEFAULT_LINK_DAYS)


def _recipient(data: LinkData) -> Investor | None:
    """The investor the link is for (taken from the contact when only a contact is chosen)."""
    investor = None
    if data.investor_id is not None:
        investor = db.session.get(Investor, data.investor_id)
        if investor is None:
            raise ValidationError("investor_id", _l("Choose an investor from the list."))
    if data.contact_id is not None:
        contact = db.session.get(Contact, data.contact_id)
        if contact is None or contact.investor_id is None:
            raise ValidationError("contact_id", _l("Choose a contact from the list."))
        if investor is not None and contact.investor_id != investor.id:
            raise ValidationError("contact_id", _l("%(name)s does not work at %(investor)s.",
                                                   name=contact.name, investor=investor.name))
        investor = contact.investor
    return investor


def create_share_link(startup: Startup, data: LinkData, acting_user: User,
                      now: datetime | None = None) -> tuple[ShareLink, str]:
    """Make a link and return it with its token, which is shown this once and stored only as a hash."""
    now = now or timeutil.utcnow()
    today = timeutil.local_today(now)
    profile = db.session.get(StartupProfile, startup.id)
    if profile is None or not profile.fields:
        raise ValidationError(None, _l("Choose what the public profile shows before you share it."))
    investor = _recipient(data)
    label = clean_text(data.label)
    if investor is None and not label:
        raise ValidationError("label", _l("A link for no particular investor needs a label, so that you can "
                                          "tell who has it."))
    if data.expires_on < today:
        raise ValidationError("expires_on", _l("The expiry date has passed."))
    if data.expires_on > today + timedelta(days=MAX_LINK_DAYS):
        raise ValidationError("expires_on", _l("A link can be valid for one year at most."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(startup_id=startup.id, investor=investor, contact_id=data.contact_id, label=label,
                     token_hash=token_digest(token), created_by=acting_user, created_at=now,
                     # valid through the chosen day, Oslo time
                     expires_at=timeutil.local_to_utc(datetime.combine(data.expires_on + timedelta(days=1), time())))
    db.session.add(link)
    db.session.flush()
    return link, token


def revoke_share_link(link: ShareLink, acting_user: User, now: datetime | None = None) -> ShareLink:
    """Stop a link from working; revoking it again keeps the first revocation."""
    if link.revoked_at is None:
        link.revoked_at = now or timeutil.utcnow()
        link.revoked_by = acting_user
        db.session.flush()
    return link


def record_share_view(link: ShareLink, user_agent: str | None, address: str | None, viewer: User | None = None,
                      now: datetime | None = None) -> ShareView | None:
    """Record that a link was opened; None when the opening does not count (its creator, a link preview)."""
    if viewer is not None and viewer.id == link.created_by_id:
        return None
    agent = clean_text(user_agent)
    if agent and any(marker in agent.lower() for marker in LINK_PREVIEW_AGENTS):
        return None
    view = ShareView(link_id=link.id, viewed_at=now or timeutil.utcnow(),
                     user_agent=agent[:USER_AGENT_LENGTH] if agent else None, network=network_of(address))
    db.session.add(view)
    db.session.flush()
    return view


def network_of(address: str | None) -> str | None:
    """The network an address belongs to (IPv4 /24, IPv6 /48): where a reader was, not who they were."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
