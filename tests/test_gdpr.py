"""Data-protection requests: where a person's data came from and on what legal basis, what the CRM holds
about them (page and JSON), erasure that leaves no trace of them in meetings or the audit log, and the
retention review."""
import json
import re
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from crm.common.timeutil import utcnow
from crm.contacts.gdpr import months_before
from crm.models import AuditAction, AuditEntry, Contact, LegalBasis, Meeting
from tests import factories
from tests.conftest import PASSWORD
from tests.test_sessions import age_sign_in
from tests.test_startups import browser_form, field_errors, page_text

CONSENT_MISSING = "Enter the date the person gave consent."


def contact_form(**changes) -> dict:
    data = {"name": "Kari Nordmann", "title": "Partner", "email": "kari@fjordinvest.no", "phone": "+47 912 34 567",
            "notes": "", "source": "", "legal_basis": "legitimate_interest", "consent_on": ""}
    data.update(changes)
    return data


def saved_contact(db, name="Kari Nordmann") -> Contact | None:
    db.session.expire_all()
    return db.session.scalar(select(Contact).where(Contact.name == name))


# --- source and legal basis ---------------------------------------------------------------------------

@pytest.fixture()
def investor(db):
    investor = factories.make_investor(name="Fjordinvest")
    db.session.commit()
    return investor


def test_a_new_contact_records_where_the_data_came_from_under_legitimate_interest_by_default(db, manager_client,
                                                                                           investor):
    form = browser_form(manager_client.get(f"/contacts/new?investor_id={investor.id}"), "name")
    assert form["legal_basis"] == ["legitimate_interest"]
    form.update({"name": ["Kari Nordmann"], "source": ["Business card, BIO-Europe 2026"]})

    assert manager_client.post(f"/contacts/new?investor_id={investor.id}", data=form).status_code == 302

    contact = saved_contact(db)
    assert contact.source == "Business card, BIO-Europe 2026"
    assert contact.legal_basis is LegalBasis.LEGITIMATE_INTEREST and contact.consent_on is None
    page = page_text(manager_client.get(f"/contacts/{contact.id}"))
    assert "Business card, BIO-Europe 2026" in page and "Legitimate interest" in page


def test_consent_without_a_date_is_refused_with_the_message_next_to_the_date(db, manager_client, investor):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}",
                                   data=contact_form(legal_basis="consent"))

    assert response.status_code == 200
    assert CONSENT_MISSING in field_errors(response, "consent_on")
    assert browser_form(response, "name")["email"] == ["kari@fjordinvest.no"]  # what was typed stays
    assert saved_contact(db) is None


def test_consent_with_a_date_is_saved_and_shown(db, manager_client, investor):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}",
                                   data=contact_form(legal_basis="consent", consent_on="2026-03-03"))
    assert response.status_code == 302
    contact = saved_contact(db)
    assert contact.legal_basis is LegalBasis.CONSENT and contact.consent_on == date(2026, 3, 3)
    assert "Consent (Mar 3, 2026)" in page_text(manager_client.get(f"/contacts/{contact.id}"))


def test_switching_an_existing_contact_to_consent_asks_for_the_date_too(db, manager_client, investor):
    contact = factories.make_contact(investor, name="Kari Nordmann")
    db.session.commit()
    form = browser_form(manager_client.get(f"/contacts/{contact.id}/edit"), "name")
    form["legal_basis"] = ["consent"]
    response = manager_client.post(f"/contacts/{contact.id}/edit", data=form)
    assert CONSENT_MISSING in field_errors(response, "consent_on")
    assert saved_contact(db).legal_basis is LegalBasis.LEGITIMATE_INTEREST


# --- what the CRM holds about a person ---------------------------------------------------------------

@pytest.fixture()
def kari(db, manager_user):
    """Kari at Fjordinvest, in two meetings with Ola and a startup, named in the notes and edited over time."""
    fjord = factories.make_investor(name="Fjordinvest")
    arvak = factories.make_startup(name="Årvåk Bio")
    kari = factories.make_contact(fjord, name="Kari Nordmann", title="Partner", email="kari.old@fjordinvest.no",
                                  phone="+4791234567", notes="Prefers calls after 15:00, husband Per.",
                                  source="Business card, BIO-Europe 2026", legal_basis=LegalBasis.CONSENT,
                                  consent_on=date(2026, 3, 3))
    ola = factories.make_contact(fjord, name="Ola Hansen", email="ola@fjordinvest.no")
    lunch = factories.make_meeting(startups=[arvak], investors=[fjord], contacts=[kari, ola],
                                   title="Lunsj med Kari Nordmann", notes="Kari Nordmann lovet et term sheet.",
                                   outcome="kari nordmann ringer tilbake", next_steps="Send data til KARI NORDMANN",
                                   starts_at=datetime(2026, 4, 2, 10, 0, tzinfo=timezone.utc))
    pitch = factories.make_meeting(startups=[arvak], investors=[fjord], contacts=[kari, ola], title="Pitch",
                                   starts_at=datetime(2026, 5, 6, 9, 0, tzinfo=timezone.utc))
    kari.email = "kari@fjordinvest.no"  # an edit: the old address is in the log now
    kari.title = "Managing Partner"
    db.session.commit()
    return SimpleNamespace(id=kari.id, ola_id=ola.id, lunch_id=lunch.id, pitch_id=pitch.id, investor_id=fjord.id,
                           startup_id=arvak.id)


PERSONAL = ["Kari Nordmann", "kari@fjordinvest.no", "kari.old@fjordinvest.no", "+4791234567",
            "Prefers calls after 15:00", "Business card, BIO-Europe 2026", "Managing Partner"]


def test_an_admin_downloads_everything_about_a_person_as_json(kari, admin_client):
    response = admin_client.get(f"/contacts/{kari.id}/personal-data.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="personal-data-contact-{kari.id}.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["name"] == "Kari Nordmann"
    assert data["person"]["email"] == "kari@fjordinvest.no"
    assert data["person"]["phone"] == "+4791234567"
    assert data["person"]["title"] == "Managing Partner"
    assert data["person"]["source"] == "Business card, BIO-Europe 2026"
    assert data["person"]["consent_on"] == "2026-03-03"
    assert data["legal_basis"] == "consent"
    assert data["organisation"] == {"kind": "investor", "name": "Fjordinvest"}
    assert [m["title"] for m in data["meetings"]] == ["Lunsj med Kari Nordmann", "Pitch"]
    assert data["meetings"][0]["mentions_in_notes"] == ["notes"]
    assert data["meetings"][0]["date"].startswith("2026-04-02")
    assert [c["action"] for c in data["changes"]] == ["create", "update"]
    assert data["changes"][1]["changes"]["email"] == ["kari.old@fjordinvest.no", "kari@fjordinvest.no"]


def test_an_admin_sees_the_same_as_a_readable_page(kari, admin_client):
    page = page_text(admin_client.get(f"/contacts/{kari.id}/personal-data"))
    assert "What the CRM holds about Kari Nordmann" in page
    for value in ("kari@fjordinvest.no", "+4791234567", "Business card, BIO-Europe 2026", "consent",
                  "Fjordinvest", "Lunsj med Kari Nordmann", "Pitch", "kari.old@fjordinvest.no"):
        assert value in page, value
    assert f'href="/contacts/{kari.id}/personal-data.json"' in page


@pytest.mark.parametrize("url", ["/contacts/{id}/personal-data", "/contacts/{id}/personal-data.json",
                                 "/contacts/{id}/erase", "/contacts/retention"])
def test_managers_get_403_for_the_personal_data_pages(kari, manager_client, url):
    response = manager_client.get(url.format(id=kari.id))
    assert response.status_code == 403
    assert "kari@fjordinvest.no" not in page_text(response)
    assert manager_client.post(url.format(id=kari.id)).status_code in (403, 405)


# --- erasure ------------------------------------------------------------------------------------------

def audit_text(db) -> str:
    """Every audit row, all columns, as one lower-case text."""
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEntry))
    return "\n".join(json.dumps([e.record_label, e.record_label_search, e.user_label, e.changes],
                                ensure_ascii=False) for e in rows).casefold()


def erase(admin_client, contact_id):
    confirm = admin_client.get(f"/contacts/{contact_id}/erase")
    assert confirm.status_code == 200
    assert "It cannot be undone." in page_text(confirm)
    response = admin_client.post(f"/contacts/{contact_id}/erase")
    assert response.status_code == 302 and response.location == f"/contacts/{contact_id}"
    return admin_client.get(response.location)


def test_erasing_a_person_clears_their_fields_and_keeps_the_contact_as_a_placeholder(db, kari, admin_client):
    page = erase(admin_client, kari.id)

    assert "The person's personal data is erased." in page_text(page)
    db.session.expire_all()
    contact = db.session.get(Contact, kari.id)
    assert contact.name == f"Erased person {kari.id}"
    assert (contact.title, contact.email, contact.phone, contact.notes, contact.source, contact.consent_on) == \
        (None,) * 6
    assert contact.erased_at is not None
    text = page_text(page)
    for value in PERSONAL:
        assert value.casefold() not in text.casefold(), value


def test_the_meetings_stay_with_their_other_participants_and_the_name_is_gone_from_their_text(db, kari,
                                                                                              admin_client):
    erase(admin_client, kari.id)

    for meeting_id in (kari.lunch_id, kari.pitch_id):
        response = admin_client.get(f"/meetings/{meeting_id}")
        assert response.status_code == 200
        page = page_text(response)
        assert "Ola Hansen" in page and "Fjordinvest" in page and "Årvåk Bio" in page
        assert "kari" not in page.casefold()
        assert f'href="/contacts/{kari.id}"' not in page
    db.session.expire_all()
    lunch = db.session.get(Meeting, kari.lunch_id)
    assert lunch.title == "Lunsj med [erased]"
    assert lunch.notes == "[erased] lovet et term sheet."
    assert lunch.outcome == "[erased] ringer tilbake"
    assert lunch.next_steps == "Send data til [erased]"
    assert [c.name for c in lunch.contacts] == ["Ola Hansen"]
    found = admin_client.get("/meetings/", query_string={"q": "kari"}).get_data(as_text=True)
    assert f'href="/meetings/{kari.lunch_id}"' not in found  # the title search no longer finds her name


def test_the_erasure_is_logged_without_the_erased_data_and_older_entries_lose_the_old_values(db, kari,
                                                                                              admin_client):
    before = audit_text(db)
    assert "kari nordmann" in before and "kari.old@fjordinvest.no" in before  # the log did hold them

    erase(admin_client, kari.id)

    db.session.expire_all()
    erasure = db.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.ERASE))
    assert erasure.record_type == "contacts" and erasure.record_id == kari.id
    assert erasure.user_label == "admin@example.com"
    assert set(erasure.changes) >= {"name", "email", "phone"}
    text = audit_text(db)
    for value in PERSONAL + ["kari nordmann", "Kari.Old@FjordInvest.no", "91234567", "husband per"]:
        assert value.casefold() not in text, value
    # The log still says that the changes happened, and to which records.
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "contacts",
                                                               AuditEntry.record_id == kari.id)
                                      .order_by(AuditEntry.id)))
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.ERASE]
    assert set(entries[1].changes) == {"email", "title"}
    history = page_text(admin_client.get(f"/contacts/{kari.id}")).split("History", 1)[1]
    assert "Personal data erased" in history and "kari" not in history.casefold()
    assert "kari" not in page_text(admin_client.get("/audit/")).casefold()


def test_a_person_removed_from_a_meeting_before_the_erasure_is_scrubbed_from_its_log_too(db, kari, admin_client,
                                                                                        manager_client):
    form = browser_form(manager_client.get(f"/meetings/{kari.pitch_id}/edit"), "starts_at")
    form["contact_ids"] = [str(kari.ola_id)]
    assert manager_client.post(f"/meetings/{kari.pitch_id}/edit", data=form).status_code == 302

    erase(admin_client, kari.id)

    assert "kari nordmann" not in audit_text(db)


def test_erasing_someone_with_a_short_name_leaves_other_words_and_other_meetings_alone(db, admin_client):
    fjord = factories.make_investor(name="Fjordinvest")
    arvak = factories.make_startup(name="Årvåk Bio")
    per = factories.make_contact(fjord, name="Per")
    attended = factories.make_meeting(startups=[arvak], contacts=[per], title="Oppfølging",
                                      notes="Per lovet tall; performance per kvartal fra PER.")
    other = factories.make_meeting(startups=[arvak], title="Styremøte", notes="Per kvartal: performance ok.")
    db.session.commit()
    other_log = [e.changes for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "meetings", AuditEntry.record_id == other.id))]

    erase(admin_client, per.id)

    db.session.expire_all()
    assert db.session.get(Meeting, attended.id).notes == \
        "[erased] lovet tall; performance [erased] kvartal fra [erased]."  # the word "per" cannot be told apart
    assert db.session.get(Meeting, other.id).notes == "Per kvartal: performance ok."
    assert [e.changes for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "meetings", AuditEntry.record_id == other.id))] == other_log


def test_the_personal_data_download_after_erasure_holds_nothing_of_the_person(db, kari, admin_client):
    erase(admin_client, kari.id)
    text = admin_client.get(f"/contacts/{kari.id}/personal-data.json").get_data(as_text=True).casefold()
    for value in PERSONAL:
        assert value.casefold() not in text, value


def test_the_other_people_in_the_meetings_are_untouched(db, kari, admin_client):
    erase(admin_client, kari.id)
    db.session.expire_all()
    ola = db.session.get(Contact, kari.ola_id)
    assert ola.name == "Ola Hansen" and ola.email == "ola@fjordinvest.no"
    assert "ola@fjordinvest.no" in audit_text(db)


def test_erasing_after_an_old_sign_in_asks_for_the_password_first(db, kari, admin_client, admin_user):
    age_sign_in(db, admin_user, minutes=6)

    response = admin_client.get(f"/contacts/{kari.id}/erase")
    assert response.status_code == 302
    assert response.location == f"/auth/confirm?next=/contacts/{kari.id}/erase"
    response = admin_client.post(f"/contacts/{kari.id}/erase")
    assert response.status_code == 302 and response.location.startswith("/auth/confirm")
    assert db.session.get(Contact, kari.id).name == "Kari Nordmann"

    confirmed = admin_client.post("/auth/confirm", data={"password": PASSWORD, "next": f"/contacts/{kari.id}/erase"})
    assert confirmed.location == f"/contacts/{kari.id}/erase"
    erase(admin_client, kari.id)
    db.session.expire_all()
    assert db.session.get(Contact, kari.id).erased_at is not None


def test_a_manager_cannot_erase_a_person(db, kari, manager_client):
    assert manager_client.post(f"/contacts/{kari.id}/erase").status_code == 403
    db.session.expire_all()
    assert db.session.get(Contact, kari.id).email == "kari@fjordinvest.no"


# --- retention review ------------------------------------------------------------------------------------

def _last_touched(db, contact, when):
    db.session.execute(update(Contact).where(Contact.id == contact.id).values(updated_at=when))
    db.session.commit()


def retention_names(client) -> list[str]:
    response = client.get("/contacts/retention")
    assert response.status_code == 200
    return re.findall(r'<td><a href="/contacts/\d+">([^<]*)</a></td>', page_text(response))


@pytest.fixture()
def aged(db):
    """Contacts last touched at different times, some with meetings long ago or lately."""
    now = utcnow()
    fjord = factories.make_investor(name="Fjordinvest")
    arvak = factories.make_startup(name="Årvåk Bio")
    people = {name: factories.make_contact(fjord, name=name) for name in (
        "Gammel Uten Møter", "Gammel Med Gammelt Møte", "Gammel Med Nytt Møte", "Ny Kontakt", "Gammel Slettet",
        "Åse Ørnes")}
    factories.make_meeting(startups=[arvak], contacts=[people["Gammel Med Gammelt Møte"]],
                           starts_at=now - timedelta(days=800))
    factories.make_meeting(startups=[arvak], contacts=[people["Gammel Med Nytt Møte"]],
                           starts_at=now - timedelta(days=60))
    db.session.commit()
    for name, contact in people.items():
        if name != "Ny Kontakt":
            _last_touched(db, contact, now - timedelta(days=900))
    from crm.trash.services import move_to_trash
    move_to_trash(db.session.get(Contact, people["Gammel Slettet"].id), None)
    db.session.execute(update(Contact).where(Contact.id == people["Gammel Slettet"].id)
                       .values(updated_at=now - timedelta(days=900)))
    db.session.commit()
    return people


def test_the_retention_page_lists_contacts_with_no_activity_for_24_months(aged, admin_client):
    names = retention_names(admin_client)
    assert sorted(names) == sorted(["Gammel Uten Møter", "Gammel Med Gammelt Møte", "Åse Ørnes"])
    assert "24 months" in page_text(admin_client.get("/contacts/retention"))


def test_the_retention_page_shows_the_last_activity(aged, admin_client):
    page = page_text(admin_client.get("/contacts/retention"))
    row = page.split("Gammel Med Gammelt Møte", 1)[1].split("</tr>", 1)[0]
    last_meeting = (utcnow() - timedelta(days=800)).date()
    assert f"{last_meeting:%b} {last_meeting.day}, {last_meeting.year}" in row


def test_an_erased_contact_is_not_due_for_review_again(db, aged, admin_client):
    erase(admin_client, aged["Åse Ørnes"].id)
    assert "Åse Ørnes" not in retention_names(admin_client)
    assert not any(name.startswith("Erased person") for name in retention_names(admin_client))


def test_the_retention_period_is_configurable(app, aged, admin_client, monkeypatch, db):
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 36)
    assert retention_names(admin_client) == []
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 1)
    assert sorted(retention_names(admin_client)) == sorted(
        ["Gammel Uten Møter", "Gammel Med Gammelt Møte", "Gammel Med Nytt Møte", "Åse Ørnes"])


@pytest.mark.parametrize("moment,months,expected", [
    (datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc), 1, datetime(2026, 2, 28, 12, 0, tzinfo=timezone.utc)),
    (datetime(2026, 1, 15, 0, 0, tzinfo=timezone.utc), 24, datetime(2024, 1, 15, 0, 0, tzinfo=timezone.utc)),
    (datetime(2028, 2, 29, 8, 0, tzinfo=timezone.utc), 12, datetime(2027, 2, 28, 8, 0, tzinfo=timezone.utc)),
])
def test_months_before_keeps_the_day_or_takes_the_last_one_of_a_shorter_month(moment, months, expected):
    assert months_before(moment, months) == expected
