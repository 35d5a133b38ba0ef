"""What can be imported: per kind, the fields a column can map to, the form that checks a row, and the services."""
import dataclasses
import functools
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l

from crm.contacts.forms import ContactForm
from crm.contacts.services import ContactData, check_contact, contact_data, create_contact, update_contact
from crm.investors.forms import InvestorForm, investor_data_from
from crm.investors.services import InvestorData, check_investor, create_investor, investor_data, update_investor
from crm.models import Contact, Investor, Startup
from crm.startups.forms import StartupForm
from crm.startups.services import StartupData, check_startup, create_startup, startup_data, update_startup


@dataclass(frozen=True)
class ImportField:
    name: str  # the form field's name, or "id" / "organisation"
    label: Any
    synonyms: tuple[str, ...] = ()  # headers besides the label, folded: Norwegian and common English ones
    required: bool = False


ID = ImportField("id", _l("Id (updates that record)"), ("id", "crm id"))
NAME = ImportField("name", _l("Name"), ("navn", "name", "full name", "fullt navn", "company", "selskap", "firma",
                                        "selskapsnavn", "company name"), required=True)
ORG_NUMBER = ImportField("org_number", _l("Organisation number"), (
    "org nr", "orgnr", "org no", "organisasjonsnummer", "organisasjonsnr", "org number", "organization number",
    "organisation no", "foretaksnummer"))
WEBSITE = ImportField("website", _l("Website"), ("nettside", "hjemmeside", "nettsted", "web", "url", "homepage",
                                                 "web address", "webside"))
NOTES = ImportField("notes", _l("Internal notes"), ("notater", "notat", "notes", "note", "kommentar", "kommentarer",
                                                    "comments", "interne notater"))


@dataclass(frozen=True)
class ImportKind:
    name: str
    title: Any
    model: type
    fields: list[ImportField]
    form: Callable[..., Any]  # (formdata, context) -> a form with csrf off
    to_data: Callable[[Any], Any]
    record_data: Callable[[Any], Any]  # a saved record's values, as the data class
    check: Callable[[Any, Any], None]  # (data, record or None): the services' rules, without saving
    create: Callable[[Any, dict, Any], Any]  # (data, extra, acting user) -> record, not flushed
    update: Callable[[Any, Any, Any], Any]  # (record, data, acting user), not flushed

    def field(self, name: str) -> ImportField | None:
        return next((f for f in self.fields if f.name == name), None)


INVESTORS = ImportKind(
    "investors", _l("Investors"), Investor,
    [ID, NAME, ImportField("kind", _l("Type"), ("type", "investortype", "investor type", "kind", "kategori"),
                           required=True),
     ImportField("status", _l("Status"), ("status",)),
     ImportField("country", _l("Country"), ("land", "country", "nasjon", "hjemland"), required=True),
     ORG_NUMBER, WEBSITE,
     ImportField("focus_areas", _l("Therapeutic areas"), ("terapiomrader", "terapiområder", "fokusomrader",
                                                          "fokusområder", "focus", "focus areas")),
     ImportField("modalities", _l("Modalities"), ("modaliteter",)),
     ImportField("stage_focus", _l("Development stages"), ("utviklingsfaser", "faser", "stages", "stage focus")),
     ImportField("ticket_min", _l("Ticket from"), ("ticket min", "min ticket", "minste investering", "fra belop",
                                                   "fra beløp", "billett fra")),
     ImportField("ticket_max", _l("Ticket up to"), ("ticket max", "max ticket", "storste investering",
                                                    "største investering", "til belop", "til beløp", "billett til")),
     ImportField("currency", _l("Currency"), ("valuta", "currency")),
     ImportField("owner_id", _l("Relationship owner"), ("eier", "ansvarlig", "owner", "kontaktansvarlig")),
     ImportField("description", _l("Description"), ("beskrivelse", "description", "om")),
     NOTES],
    lambda formdata, ctx: InvestorForm(formdata=formdata, meta={"csrf": False}, owner_choices=ctx["staff"]),
    investor_data_from, investor_data, check_investor,
    lambda data, extra, user: create_investor(data, user, flush=False),
    lambda record, data, user: update_investor(record, data, record.version, user, flush=False),
)

CONTACTS = ImportKind(
    "contacts", _l("Contacts"), Contact,
    [ID, NAME,
     ImportField("organisation", _l("Organisation (investor or startup, by name or organisation number)"),
                 ("organisasjon", "organisation", "organization", "firma", "selskap", "company", "arbeidsgiver",
                  "investor", "startup", "bedrift"), required=True),
     ImportField("title", _l("Title"), ("tittel", "stilling", "title", "rolle", "role", "position", "job title")),
     ImportField("email", _l("Email"), ("e post", "epost", "e mail", "email", "mail", "e postadresse")),
     ImportField("phone", _l("Phone"), ("telefon", "tlf", "mobil", "mobilnummer", "telefonnummer", "phone", "mobile",
                                        "phone number")),
     NOTES,
     ImportField("source", _l("Where the data came from"), ("kilde", "source")),
     ImportField("legal_basis", _l("Legal basis"), ("behandlingsgrunnlag", "rettslig grunnlag", "legal basis")),
     ImportField("consent_on", _l("Consent given on"), ("samtykke gitt", "samtykkedato", "consent date", "consent"))],
    lambda formdata, ctx: ContactForm(formdata=formdata, meta={"csrf": False}),
    lambda form: form.to_data(), contact_data, lambda data, record: check_contact(data),
    lambda data, extra, user: create_contact(data, extra["organisation"], user, flush=False),
    lambda record, data, user: update_contact(record, data, record.version, user, flush=False),
)

STARTUPS = ImportKind(
    "startups", _l("Startups"), Startup,
    [ID, NAME, ORG_NUMBER,
     ImportField("incubator_status", _l("Incubator status"), ("inkubatorstatus", "status")),
     ImportField("therapeutic_area", _l("Therapeutic area"), ("terapiomrade", "terapiområde", "area",
                                                              "therapeutic area"), required=True),
     ImportField("indication", _l("Indication"), ("indikasjon",)),
     ImportField("modality", _l("Modality"), ("modalitet",), required=True),
     ImportField("development_stage", _l("Development stage"), ("utviklingsfase", "fase", "stage"), required=True),
     ImportField("round_kind", _l("Current round"), ("runde", "finansieringsrunde", "round")),
     ImportField("round_target", _l("Round target"), ("mal", "mål", "malbelop", "målbeløp", "target",
                                                      "round target amount")),
     ImportField("round_currency", _l("Currency"), ("valuta", "currency")),
     WEBSITE,
     ImportField("pitch", _l("Pitch"), ("pitch",)),
     ImportField("team", _l("Team"), ("team", "teamet")),
     NOTES],
    lambda formdata, ctx: StartupForm(formdata=formdata, meta={"csrf": False}),
    lambda form: form.to_data(), startup_data, check_startup,
    lambda data, extra, user: create_startup(data, user, flush=False),
    lambda record, data, user: update_startup(record, data, record.version, user, flush=False),
)

KINDS = {kind.name: kind for kind in (INVESTORS, CONTACTS, STARTUPS)}


def to_plain(data) -> dict:
    """A service data class as JSON: enums as their values, amounts as text, dates in ISO."""
    def plain(value):
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return {f.name: plain(getattr(data, f.name)) for f in dataclasses.fields(data)}


@functools.cache
def _hints(data_class) -> dict:
    return typing.get_type_hints(data_class)


def from_plain(data_class, values: dict):
    """The data class back from to_plain()'s JSON."""
    hints = _hints(data_class)
    loaded = {}
    for name, value in values.items():
        kinds = [t for t in typing.get_args(hints[name]) or (hints[name],) if t is not type(None)]
        target = kinds[0]
        if value is None or typing.get_origin(target) is list:
            loaded[name] = value
        elif isinstance(target, type) and issubclass(target, Enum):
            loaded[name] = target(value)
        elif target is Decimal:
            loaded[name] = Decimal(value)
        elif target is date:
            loaded[name] = date.fromisoformat(value)
        else:
            loaded[name] = value
    return data_class(**loaded)


DATA_CLASSES = {"investors": InvestorData, "contacts": ContactData, "startups": StartupData}
