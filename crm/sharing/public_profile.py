"""What one reader of a share link may see, copied out of the records field by chosen field."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crm.models import ConfidentialItem, ProfileField, StartupProfile, Startup, Visibility


@dataclass
class PublicItem:
    kind: str
    title: str
    url: str | None
    text: str | None


@dataclass
class Sender:
    """Whom the reader of a link can write to: the manager who made it, or the cluster."""

    name: str
    email: str | None


@dataclass
class PublicProfile:
    """Everything a share page shows. The page gets this, never the startup, so nothing unchosen can reach it."""

    name: str | None = None
    initials: str | None = None
    tagline: str | None = None
    pitch: str | None = None
    therapeutic_area: str | None = None
    indication: str | None = None
    modality: str | None = None
    development_stage: str | None = None
    round_kind: str | None = None
    round_target: Decimal | None = None
    round_currency: str | None = None
    team: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    items: list[PublicItem] = field(default_factory=list)
    confidential: frozenset[str] = frozenset()  # the fields above that this reader sees under an agreement
    more_under_agreement: bool = False  # there is confidential material that this reader does not see
    prepared_for: str | None = None
    sender: Sender | None = None
    valid_through: date | None = None


def initials(name: str) -> str:
    """Up to two capitals from the first words of a name: 'Ørn Biologics' gives 'ØB'."""
    return "".join(word[0] for word in name.split()[:2] if word[0].isalnum()).upper()


def _round(startup: Startup, profile: StartupProfile) -> dict:
    if startup.round_kind is None:
        return {}
    return {"round_kind": startup.round_kind.label, "round_target": startup.round_target,
            "round_currency": startup.round_currency}


def _contact(startup: Startup, profile: StartupProfile) -> dict:
    contact = profile.contact
    return {"contact_name": contact.name, "contact_email": contact.email} if contact else {}


_VALUES: dict[ProfileField, Callable[[Startup, StartupProfile], dict]] = {
    ProfileField.NAME: lambda s, p: {"name": s.name},
    ProfileField.LOGO: lambda s, p: {"initials": initials(s.name)},
    ProfileField.TAGLINE: lambda s, p: {"tagline": p.tagline},
    ProfileField.PITCH: lambda s, p: {"pitch": s.pitch},
    ProfileField.THERAPEUTIC_AREA: lambda s, p: {"therapeutic_area": s.therapeutic_area.label},
    ProfileField.INDICATION: lambda s, p: {"indication": s.indication},
    ProfileField.MODALITY: lambda s, p: {"modality": s.modality.label},
    ProfileField.DEVELOPMENT_STAGE: lambda s, p: {"development_stage": s.development_stage.label},
    ProfileField.ROUND: _round,
    ProfileField.TEAM: lambda s, p: {"team": s.team},
    ProfileField.WEBSITE: lambda s, p: {"website": s.website},
    ProfileField.CONTACT: _contact,
}


def build_public_profile(startup: Startup, profile: StartupProfile | None, items: list[ConfidentialItem],
                         confidential: bool, has_items: bool | None = None) -> PublicProfile:
    """The profile as a reader sees it; ``confidential`` says whether this reader may see the confidential tier.

    ``has_items`` says whether the startup has confidential material, when ``items`` were not read (a reader
    who may not see them); by default, whether ``items`` has any.
    """
    shown = PublicProfile()
    if profile is None:
        return shown
    withheld = (bool(items) if has_items is None else has_items) and not confidential
    values, under_agreement = {}, set()
    for setting in profile.fields:
        if setting.visibility is Visibility.CONFIDENTIAL:
            if not confidential:
                withheld = True
                continue
            under_agreement.add(setting.field.value)
        values.update(_VALUES[setting.field](startup, profile))
    if "name" not in values:
        values.pop("initials", None)  # initials would give away a name the manager chose to hide
    for key, value in values.items():
        setattr(shown, key, value)
    shown.confidential = frozenset(under_agreement)
    shown.more_under_agreement = withheld
    if confidential:
        shown.items = [PublicItem(kind=item.kind.label, title=item.title, url=item.url, text=item.text)
                       for item in items]
    return shown
