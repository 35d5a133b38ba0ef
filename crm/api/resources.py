"""The five records the API serves: their fields, the form that checks a write, and the services that make it."""
from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crm.api.fields import ApiField, json_value
from crm.common.money import CURRENCIES
from crm.common.validators import country_choices
from crm.contacts import queries as contact_queries, services as contact_services
from crm.contacts.forms import ContactForm
from crm.contacts.queries import contact_choices
from crm.deals import queries as deal_queries, services as deal_services
from crm.deals.forms import DealForm
from crm.errors import ValidationError
from crm.followups import queries as follow_up_queries, services as follow_up_services
from crm.followups.forms import FollowUpForm
from crm.followups.targets import Target
from crm.extensions import db
from crm.investors import queries as investor_queries, services as investor_services
from crm.investors.forms import InvestorForm, investor_data_from
from crm.investors.queries import investor_choices
from crm.meetings import queries as meeting_queries, services as meeting_services
from crm.meetings.forms import MeetingForm
from crm.models import (BOARD_STAGES, DevelopmentStage, FocusDimension, FollowUp, IncubatorStatus, Investor,
                        InvestorKind,
                        InvestorStatus, LegalBasis, Meeting, MeetingKind, Modality, PassReason, RoundKind, Startup,
                        TherapeuticArea)
from crm.startups import queries as startup_queries, services as startup_services
from crm.startups.forms import StartupForm
from crm.startups.queries import startup_choices
from crm.users.queries import staff_choices


def _values(enum_cls) -> tuple:
    return tuple(member.value for member in enum_cls)


def _text(name, required=False, max_length=None, **kwargs) -> ApiField:
    return ApiField(name, "string", required=required, max_length=max_length, **kwargs)


@dataclass(frozen=True)
class Resource:
    name: str
    fields: list[ApiField]
    get: Callable[[int], Any]
    form: Callable[..., Any]  # (formdata) -> the feature's form, CSRF off
    to_data: Callable[[Any], Any]
    saved_data: Callable[[Any], Any]  # the record's values as the service's data class
    create: Callable[[Any, dict, Any], Any]  # (data, body, acting user)
    update: Callable[[Any, Any, Any, Any], Any]  # (record, data, version, acting user)
    delete: Callable[[Any, Any], None]
    getters: dict  # output fields read otherwise than by their name
    list_options: tuple = ()

    def writable(self, creating: bool) -> dict[str, ApiField]:
        return {f.name: f for f in self.fields if f.write and (creating or not f.create_only)}

    def dump(self, record) -> dict:
        """The record as the API shows it."""
        out = {"id": record.id, "version": record.version}
        for f in self.fields:
            out[f.name] = json_value(self.getters[f.name](record) if f.name in self.getters else getattr(record, f.name))
        out["created_at"], out["updated_at"] = json_value(record.created_at), json_value(record.updated_at)
        return out


def _meta(form_class, **choices):
    return lambda formdata: form_class(formdata=formdata, meta={"csrf": False},
                                       **{key: make() for key, make in choices.items()})


def _organisation(body: dict):
    """A new contact's investor or startup, from exactly one of investor_id and startup_id."""
    investor_id, startup_id = body.get("investor_id"), body.get("startup_id")
    if (investor_id is None) == (startup_id is None):
        raise ValidationError("investor_id", _l("Give either investor_id or startup_id."))
    model, record_id = (Investor, investor_id) if investor_id is not None else (Startup, startup_id)
    organisation = db.session.get(model, record_id)
    if organisation is None:
        raise ValidationError("investor_id" if model is Investor else "startup_id", _l("There is no such record."))
    return organisation


INVESTORS = Resource(
    "investors",
    [_text("name", required=True, max_length=200), ApiField("kind", "enum", _values(InvestorKind), required=True),
     ApiField("status", "enum", _values(InvestorStatus)),
     ApiField("country", "enum", tuple(code for code, _name in country_choices()), required=True),
     ApiField("is_foreign", "boolean", write=False), _text("org_number"), _text("website", max_length=300),
     ApiField("focus_areas", "enums", _values(TherapeuticArea)), ApiField("modalities", "enums", _values(Modality)),
     ApiField("stage_focus", "enums", _values(DevelopmentStage)), ApiField("ticket_min", "amount"),
     ApiField("ticket_max", "amount"), ApiField("currency", "enum", tuple(CURRENCIES)), ApiField("owner_id", "id"),
     _text("description"), _text("notes")],
    investor_queries.get_investor, _meta(InvestorForm, owner_choices=staff_choices), investor_data_from,
    investor_services.investor_data,
    lambda data, body, user: investor_services.create_investor(data, user),
    investor_services.update_investor, investor_services.delete_investor,
    {"focus_areas": lambda i: i.focus_values(FocusDimension.AREA),
     "modalities": lambda i: i.focus_values(FocusDimension.MODALITY),
     "stage_focus": lambda i: i.focus_values(FocusDimension.STAGE)},
)

CONTACTS = Resource(
    "contacts",
    [_text("name", required=True, max_length=200), _text("title", max_length=200), _text("email", max_length=254),
     _text("phone", max_length=40), _text("notes"), _text("source", max_length=200),
     ApiField("legal_basis", "enum", _values(LegalBasis)), ApiField("consent_on", "date"),
     ApiField("investor_id", "id", create_only=True), ApiField("startup_id", "id", create_only=True)],
    contact_queries.get_contact, _meta(ContactForm), lambda form: form.to_data(), contact_services.contact_data,
    lambda data, body, user: contact_services.create_contact(data, _organisation(body), user),
    contact_services.update_contact, contact_services.delete_contact, {},
)

STARTUPS = Resource(
    "startups",
    [_text("name", required=True, max_length=200), _text("org_number"),
     ApiField("incubator_status", "enum", _values(IncubatorStatus)),
     ApiField("therapeutic_area", "enum", _values(TherapeuticArea), required=True), _text("indication", max_length=200),
     ApiField("modality", "enum", _values(Modality), required=True),
     ApiField("development_stage", "enum", _values(DevelopmentStage), required=True),
     ApiField("round_kind", "enum", _values(RoundKind)), ApiField("round_target", "amount"),
     ApiField("round_currency", "enum", tuple(CURRENCIES)), _text("pitch"), _text("team"),
     _text("website", max_length=300), _text("notes")],
    startup_queries.get_startup, _meta(StartupForm), lambda form: form.to_data(), startup_services.startup_data,
    lambda data, body, user: startup_services.create_startup(data, user),
    startup_services.update_startup, startup_services.delete_startup, {},
)

MEETINGS = Resource(
    "meetings",
    [ApiField("starts_at", "datetime", required=True), ApiField("duration_minutes", "integer", minimum=5, maximum=1440),
     ApiField("kind", "enum", _values(MeetingKind)), _text("title", max_length=200), _text("location", max_length=200),
     _text("notes"), _text("outcome"), _text("next_steps"),
     ApiField("startup_ids", "ids"), ApiField("investor_ids", "ids"), ApiField("contact_ids", "ids"),
     ApiField("staff_ids", "ids")],
    meeting_queries.get_meeting,
    _meta(MeetingForm, startups=startup_choices, investors=investor_choices, contacts=contact_choices,
          staff=staff_choices),
    lambda form: form.to_data(), meeting_services.meeting_data,
    lambda data, body, user: meeting_services.create_meeting(data, user),
    meeting_services.update_meeting, meeting_services.delete_meeting,
    {"startup_ids": lambda m: [s.id for s in m.startups], "investor_ids": lambda m: [i.id for i in m.investors],
     "contact_ids": lambda m: [c.id for c in m.contacts], "staff_ids": lambda m: [u.id for u in m.staff]},
    (selectinload(Meeting.contacts), selectinload(Meeting.staff)),
)

DEALS = Resource(
    "deals",
    [ApiField("startup_id", "id", required=True), ApiField("investor_id", "id", required=True),
     ApiField("round_kind", "enum", _values(RoundKind), required=True),
     ApiField("stage", "enum", tuple(stage.value for stage in BOARD_STAGES)),
     ApiField("stage_changed_at", "datetime", write=False), ApiField("expected_amount", "amount"),
     ApiField("committed_amount", "amount"), ApiField("currency", "enum", tuple(CURRENCIES)),
     ApiField("pass_reason", "enum", _values(PassReason)), _text("pass_reason_text", max_length=500),
     ApiField("owner_id", "id"), _text("notes")],
    deal_queries.get_deal,
    _meta(DealForm, startups=startup_choices, investors=investor_choices, owners=staff_choices),
    lambda form: form.to_data(), deal_services.deal_data,
    lambda data, body, user: deal_services.create_deal(data, user),
    deal_services.update_deal, deal_services.delete_deal, {},
)



def _target(body: dict) -> Target:
    """What a new follow-up is about, from exactly one of startup_id, investor_id, contact_id, deal_id and meeting_id."""
    given = [kind for kind in FollowUp.LINKS if body.get(f"{kind}_id") is not None]
    if len(given) != 1:
        raise ValidationError("startup_id", _l("Give exactly one of startup_id, investor_id, contact_id, deal_id "
                                               "and meeting_id."))
    return Target(given[0], body[f"{given[0]}_id"])


FOLLOW_UPS = Resource(
    "follow-ups",
    [_text("title", required=True, max_length=200), ApiField("due_on", "date", required=True),
     ApiField("assignee_id", "id", required=True), ApiField("done_at", "datetime", write=False),
     ApiField("done_by_id", "id", write=False)]
    + [ApiField(f"{kind}_id", "id", create_only=True) for kind in FollowUp.LINKS],
    follow_up_queries.get_follow_up, _meta(FollowUpForm, staff=staff_choices), lambda form: form.to_data(),
    follow_up_services.follow_up_data,
    lambda data, body, user: follow_up_services.create_follow_up(data, _target(body), user),
    follow_up_services.update_follow_up, follow_up_services.delete_follow_up, {},
)

RESOURCES = {r.name: r for r in (INVESTORS, CONTACTS, STARTUPS, MEETINGS, DEALS, FOLLOW_UPS)}
