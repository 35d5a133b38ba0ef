"""The columns of each list's export: a translated header and the value of each row, typed for a spreadsheet."""
from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from crm.common.formatting import org_number, phone
from crm.common.timeutil import utc_to_local
from crm.common.validators import country_name
from crm.followups.targets import target_label
from crm.models import FocusDimension


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy string: translated when the file is written
    value: Callable[[Any], Any]


def _label(value) -> str | None:
    return str(value.label) if value is not None else None


def _names(records) -> str:
    return ", ".join(r.name for r in records)


def _local(moment):
    return utc_to_local(moment) if moment is not None else None


def _focus(dimension: FocusDimension):
    return lambda investor: ", ".join(str(label) for label in investor.focus_labels(dimension))


INVESTORS = [
    Column(_l("Id"), lambda i: i.id),
    Column(_l("Name"), lambda i: i.name),
    Column(_l("Type"), lambda i: _label(i.kind)),
    Column(_l("Status"), lambda i: _label(i.status)),
    Column(_l("Country"), lambda i: country_name(i.country)),
    Column(_l("Norwegian or foreign"), lambda i: str(_l("Foreign") if i.is_foreign else _l("Norwegian"))),
    Column(_l("Organisation number"), lambda i: org_number(i.org_number) or None),
    Column(_l("Website"), lambda i: i.website),
    Column(_l("Therapeutic areas"), _focus(FocusDimension.AREA)),
    Column(_l("Modalities"), _focus(FocusDimension.MODALITY)),
    Column(_l("Development stages"), _focus(FocusDimension.STAGE)),
    Column(_l("Ticket from"), lambda i: i.ticket_min),
    Column(_l("Ticket up to"), lambda i: i.ticket_max),
    Column(_l("Currency"), lambda i: i.currency),
    Column(_l("Relationship owner"), lambda i: i.owner.name if i.owner else None),
    Column(_l("Description"), lambda i: i.description),
    Column(_l("Internal notes"), lambda i: i.notes),
]

CONTACTS = [
    Column(_l("Id"), lambda c: c.id),
    Column(_l("Name"), lambda c: c.name),
    Column(_l("Title"), lambda c: c.title),
    Column(_l("Organisation"), lambda c: c.organisation.name if c.organisation else None),
    Column(_l("Organisation type"), lambda c: str(_l("Investor") if c.investor_id else _l("Startup"))),
    Column(_l("Email"), lambda c: c.email),
    Column(_l("Phone"), lambda c: phone(c.phone) or None),
    Column(_l("Where the data came from"), lambda c: c.source),
    Column(_l("Legal basis"), lambda c: _label(c.legal_basis)),
    Column(_l("Consent given on"), lambda c: c.consent_on),
    Column(_l("Internal notes"), lambda c: c.notes),
]

STARTUPS = [
    Column(_l("Id"), lambda s: s.id),
    Column(_l("Name"), lambda s: s.name),
    Column(_l("Organisation number"), lambda s: org_number(s.org_number) or None),
    Column(_l("Incubator status"), lambda s: _label(s.incubator_status)),
    Column(_l("Therapeutic area"), lambda s: _label(s.therapeutic_area)),
    Column(_l("Indication"), lambda s: s.indication),
    Column(_l("Modality"), lambda s: _label(s.modality)),
    Column(_l("Development stage"), lambda s: _label(s.development_stage)),
    Column(_l("Current round"), lambda s: _label(s.round_kind)),
    Column(_l("Round target"), lambda s: s.round_target),
    Column(_l("Currency"), lambda s: s.round_currency),
    Column(_l("Website"), lambda s: s.website),
    Column(_l("Pitch"), lambda s: s.pitch),
    Column(_l("Team"), lambda s: s.team),
    Column(_l("Internal notes"), lambda s: s.notes),
]

MEETINGS = [
    Column(_l("Id"), lambda m: m.id),
    Column(_l("Date and time"), lambda m: _local(m.starts_at)),
    Column(_l("Duration (minutes)"), lambda m: m.duration_minutes),
    Column(_l("Kind"), lambda m: _label(m.kind)),
    Column(_l("Title"), lambda m: m.title),
    Column(_l("Place"), lambda m: m.location),
    Column(_l("Startups"), lambda m: _names(m.startups)),
    Column(_l("Investors"), lambda m: _names(m.investors)),
    Column(_l("Outcome"), lambda m: m.outcome),
    Column(_l("Next steps"), lambda m: m.next_steps),
    Column(_l("Internal notes"), lambda m: m.notes),
]

DEALS = [
    Column(_l("Id"), lambda d: d.id),
    Column(_l("Startup"), lambda d: d.startup.name),
    Column(_l("Investor"), lambda d: d.investor.name),
    Column(_l("Investor country"), lambda d: country_name(d.investor.country)),
    Column(_l("Round"), lambda d: _label(d.round_kind)),
    Column(_l("Stage"), lambda d: _label(d.stage)),
    Column(_l("Expected amount"), lambda d: d.expected_amount),
    Column(_l("Committed amount"), lambda d: d.committed_amount),
    Column(_l("Currency"), lambda d: d.currency),
    Column(_l("Owner"), lambda d: d.owner.name if d.owner else None),
    Column(_l("In stage since"), lambda d: _local(d.stage_changed_at)),
    Column(_l("Why the investor passed"), lambda d: _label(d.pass_reason)),
    Column(_l("The reason in words"), lambda d: d.pass_reason_text),
    Column(_l("Notes"), lambda d: d.notes),
]

KINDS = {"startup": _l("Startup"), "investor": _l("Investor"), "contact": _l("Contact"), "deal": _l("Deal"),
         "meeting": _l("Meeting")}


FOLLOW_UPS = [
    Column(_l("Id"), lambda f: f.id),
    Column(_l("What to do"), lambda f: f.title),
    Column(_l("Due"), lambda f: f.due_on),
    Column(_l("Whose it is"), lambda f: f.assignee.name if f.assignee else None),
    Column(_l("About"), lambda f: str(KINDS[f.target_kind])),
    Column(_l("Record"), lambda f: target_label(f.target_kind, f.target) if f.target else None),
    Column(_l("Done at"), lambda f: _local(f.done_at)),
    Column(_l("Done by"), lambda f: f.done_by.name if f.done_by else None),
]

COLUMNS = {"investors": INVESTORS, "contacts": CONTACTS, "startups": STARTUPS, "meetings": MEETINGS,
           "deals": DEALS, "follow-ups": FOLLOW_UPS}
