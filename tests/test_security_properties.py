"""Random text, æøå, other scripts and control characters typed into the main forms never gives a server error:
each field either gets a message next to it, or what was saved comes back unchanged.

The app's rule for text fields: surrounding whitespace (as Python's str.strip() sees it) is stripped, and a
field left empty is empty (None); a NUL character is refused with a message, as is text longer than the
field's limit (counted after stripping); nothing else is changed: no case, no Unicode normalisation, no
control character removed.
"""
from datetime import date

from hypothesis import event, given, strategies as st
from markupsafe import escape
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, Deal, FollowUp, Investor, Meeting, Note, Startup
from crm.timeline.services import MAX_NOTE
from tests import factories
from tests.test_startups import field_errors

NORWEGIAN = "æøåÆØÅ"
# Letters of other scripts, marks, emoji, every kind of space and control character (surrogates cannot be sent).
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
TEXT = st.one_of(
    st.text(st.one_of(st.sampled_from(NORWEGIAN + " \t\n\r\x1f\x7f\u00a0\u200b\u202e\u2028é€"), ANY_CHARACTER),
            max_size=40),
    st.text(st.sampled_from(NORWEGIAN + "ßﬃ İ"), min_size=150, max_size=260),  # around the 200-character limit
)


def expected(value: str, limit: int, required: bool = False):
    """("error", None) when the field must get a message, else ("saved", the value stored)."""
    stripped = value.strip()
    if "\x00" in value or len(stripped) > limit or (required and not stripped):
        return "error", None
    return "saved", stripped or None


def check(client, url, fields: dict, limits: dict, required: set, load, edit_url):
    """Post the form; every field over its rule has a message, or the record holds exactly what the rule says."""
    outcomes = {name: expected(fields[name], limits[name], name in required) for name in limits}
    response = client.post(url, data=fields)
    assert response.status_code in (200, 302), response.status_code
    failing = {name for name, (outcome, _value) in outcomes.items() if outcome == "error"}
    event("refused" if failing else "saved")
    if failing:
        assert response.status_code == 200
        for name in failing:
            assert field_errors(response, name), (name, fields[name])
        return None
    assert response.status_code == 302, ({name: field_errors(response, name) for name in limits}, fields)
    record = load(response)
    db.session.expire_all()
    record = db.session.get(type(record), record.id)
    page = client.get(edit_url(record)).get_data(as_text=True) if edit_url else ""
    for name, (_outcome, value) in outcomes.items():
        assert getattr(record, name) == value, name
        if edit_url and value:
            assert str(escape(value)) in page, name  # the form shows it again exactly as saved
    return record


def _id(response) -> int:
    return int(response.location.rstrip("/").split("/")[-1].split("?")[0])


def _newest(model):
    """The record the form made (a contact's form goes back to its organisation, not to the contact)."""
    return lambda _response: db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


@given(name=TEXT, description=TEXT, notes=TEXT)
def test_the_investor_form_saves_text_as_typed_or_says_why_not(manager_client, name, description, notes):
    check(manager_client, "/investors/new",
          {"name": name, "description": description, "notes": notes, "kind": "bank", "country": "NO"},
          {"name": 200, "description": 5000, "notes": 20000}, {"name"},
          lambda r: db.session.get(Investor, _id(r)), lambda record: f"/investors/{record.id}/edit")


@given(name=TEXT, title=TEXT, notes=TEXT, source=TEXT)
def test_the_contact_form_saves_text_as_typed_or_says_why_not(db, manager_client, name, title, notes, source):
    investor = db.session.scalar(select(Investor)) or factories.make_investor(name="Property Capital")
    db.session.commit()
    check(manager_client, f"/contacts/new?investor_id={investor.id}",
          {"name": name, "title": title, "notes": notes, "source": source, "legal_basis": "legitimate_interest"},
          {"name": 200, "title": 200, "notes": 20000, "source": 200}, {"name"},
          _newest(Contact), lambda record: f"/contacts/{record.id}/edit")


@given(name=TEXT, indication=TEXT, pitch=TEXT, team=TEXT)
def test_the_startup_form_saves_text_as_typed_or_says_why_not(manager_client, name, indication, pitch, team):
    check(manager_client, "/startups/new",
          {"name": name, "indication": indication, "pitch": pitch, "team": team, "incubator_status": "incubatee",
           "therapeutic_area": "solid_tumours", "modality": "small_molecule", "development_stage": "preclinical",
           "round_kind": "", "round_currency": "NOK"},
          {"name": 200, "indication": 200, "pitch": 5000, "team": 5000}, {"name"},
          lambda r: db.session.get(Startup, _id(r)), lambda record: f"/startups/{record.id}/edit")


@given(title=TEXT, location=TEXT, notes=TEXT, outcome=TEXT, next_steps=TEXT)
def test_the_meeting_form_saves_text_as_typed_or_says_why_not(db, manager_client, title, location, notes, outcome,
                                                              next_steps):
    startup = db.session.scalar(select(Startup)) or factories.make_startup(name="Property Bio")
    db.session.commit()
    check(manager_client, "/meetings/new",
          {"title": title, "location": location, "notes": notes, "outcome": outcome, "next_steps": next_steps,
           "starts_at": "2026-03-10T09:00", "duration_minutes": "60", "kind": "pitch", "startup_ids": str(startup.id)},
          {"title": 200, "location": 200, "notes": 20000, "outcome": 5000, "next_steps": 5000}, set(),
          lambda r: db.session.get(Meeting, _id(r)), lambda record: f"/meetings/{record.id}/edit")


@given(notes=TEXT)
def test_the_deal_form_saves_text_as_typed_or_says_why_not(db, manager_client, notes):
    deal = db.session.scalar(select(Deal)) or factories.make_deal(factories.make_startup(name="Deal Bio"),
                                                                  factories.make_investor(name="Deal Capital"))
    db.session.commit()
    db.session.expire_all()
    deal = db.session.get(Deal, deal.id)
    check(manager_client, f"/deals/{deal.id}/edit",
          {"notes": notes, "stage": deal.stage.value, "startup_id": deal.startup_id, "investor_id": deal.investor_id,
           "round_kind": deal.round_kind.value, "currency": deal.currency, "version": deal.version},
          {"notes": 20000}, set(), lambda r: deal, lambda record: f"/deals/{record.id}/edit")


@given(title=TEXT)
def test_the_follow_up_form_saves_text_as_typed_or_says_why_not(db, manager_client, manager_user, title):
    investor = db.session.scalar(select(Investor)) or factories.make_investor(name="Follow Capital")
    db.session.commit()
    before = set(db.session.scalars(select(FollowUp.id)))

    def created(_response):
        return db.session.scalar(select(FollowUp).where(FollowUp.id.not_in(before)))

    check(manager_client, f"/follow-ups/new?investor_id={investor.id}",
          {"title": title, "due_on": date(2026, 3, 20).isoformat(), "assignee_id": manager_user.id},
          {"title": 200}, {"title"}, created, lambda record: f"/follow-ups/{record.id}/edit")


@given(text=TEXT)
def test_the_note_form_saves_text_as_typed_or_says_why_not(db, manager_client, text):
    startup = db.session.scalar(select(Startup)) or factories.make_startup(name="Note Bio")
    db.session.commit()
    before = set(db.session.scalars(select(Note.id)))

    def created(_response):
        return db.session.scalar(select(Note).where(Note.id.not_in(before)))

    record = check(manager_client, f"/timeline/notes/new?startup_id={startup.id}", {"text": text},
                   {"text": MAX_NOTE}, {"text"}, created, None)
    if record is not None and "\n" not in record.text and "\r" not in record.text:
        # a one-line note appears on the startup's timeline as it was written
        assert str(escape(record.text)) in manager_client.get(f"/startups/{startup.id}").get_data(as_text=True)
