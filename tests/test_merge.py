"""Merging duplicates: the likely duplicates page, choosing values field by field, everything linked moves along."""
from datetime import date

from sqlalchemy import select

from crm.extensions import db as _db
from crm.merge.matching import duplicate_pairs
from crm.models import (AuditAction, AuditEntry, ConfidentialityAgreement, Contact, Deal, FollowUp, Investor,
                        InvestorKind, Meeting, Note, ShareLink, Startup)
from crm.trash.services import find_in_trash
from tests import factories


def _fresh(model, record_id):
    """The record as the database has it now (None once it is in the trash)."""
    _db.session.expire_all()
    return _db.session.scalar(select(model).where(model.id == record_id))


def test_the_duplicates_page_lists_pairs_by_the_import_rules(viewer_client, db, manager_user):
    a = factories.make_investor(name="Fjord Kapital AS", website="https://fjordkapital.no")
    b = factories.make_investor(name="Fjord Capital", website="http://www.fjordkapital.no/en", country="SE")
    factories.make_investor(name="Something Else")
    s1 = factories.make_startup(name="Onco Bio", org_number="923609016")
    s2 = factories.make_startup(name="OncoBio Therapeutics")
    factories.make_contact(a, name="Kari Nordmann", email="kari@example.com")
    factories.make_contact(s1, name="K. N.", email="KARI@example.com")
    factories.make_contact(a, name="Ola Hansen")
    factories.make_contact(a, name="Ola Hanssen")
    factories.make_contact(b, name="Ola Hansen")
    db.session.commit()
    assert [(p.first_id, p.second_id, p.reasons) for p in duplicate_pairs("investors")] == [
        (a.id, b.id, ["website", "name"])]
    assert duplicate_pairs("startups") == []
    contacts = duplicate_pairs("contacts")
    assert [p.reasons for p in contacts] == [["email"], ["name"]], "a close name counts at the same organisation"
    page = viewer_client.get("/duplicates/").get_data(as_text=True)
    assert "Same website domain, Similar name" in page and "Fjord Capital" in page
    assert "/duplicates/investors/" not in page, "viewers see no merge button"
    del s2


def test_merging_investors_keeps_the_chosen_values_and_moves_everything(manager_client, db, manager_user):
    kept = factories.make_investor(name="Fjord Kapital", country="NO", kind=InvestorKind.BANK)
    other = factories.make_investor(name="Fjord Kapital AS", org_number="923609016", kind=InvestorKind.VENTURE_FUND,
                                    notes="From the other")
    startup = factories.make_startup(name="Onco Bio")
    other_startup = factories.make_startup(name="Celle AS")
    contact = factories.make_contact(other, name="Kari Nordmann")
    meeting = factories.make_meeting(startups=[startup], investors=[kept, other])
    lone_meeting = factories.make_meeting(startups=[startup], investors=[other])
    deal = factories.make_deal(startup, other)
    factories.make_profile(startup)
    link, _token = factories.make_share_link(startup, other)
    agreement = factories.make_agreement(other, startup)
    db.session.commit()
    page = manager_client.get(f"/duplicates/investors/{kept.id}/{other.id}").get_data(as_text=True)
    assert "Venture fund" in page and "Bank" in page and "923 609 016" in page or "923609016" in page
    response = manager_client.post(f"/duplicates/investors/{kept.id}/{other.id}", data={
        "kept_version": kept.version, "other_version": other.version, "name": "kept", "kind": "other",
        "org_number": "other", "notes": "other"})
    assert response.status_code == 302 and response.location.endswith(f"/investors/{kept.id}")
    merged = _fresh(Investor, kept.id)
    assert (merged.name, merged.kind, merged.org_number, merged.notes) == (
        "Fjord Kapital", InvestorKind.VENTURE_FUND, "923609016", "From the other")
    assert _db.session.get(Contact, contact.id).investor_id == kept.id
    assert _db.session.get(Deal, deal.id).investor_id == kept.id
    assert [i.id for i in _db.session.get(Meeting, meeting.id).investors] == [kept.id]
    assert [i.id for i in _db.session.get(Meeting, lone_meeting.id).investors] == [kept.id]
    assert _db.session.get(ShareLink, link.id).investor_id == kept.id
    assert _db.session.get(ConfidentialityAgreement, agreement.id).investor_id == kept.id
    assert _fresh(Investor, other.id) is None and find_in_trash("investors", other.id) is not None
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.MERGE))
    assert entry.record_id == kept.id and entry.changes["merged_with"] == [None, f"Fjord Kapital AS (#{other.id})"]
    assert entry.changes["moved"] == [None, "contacts: 1, deals: 1, meetings: 2, share_links: 1, agreements: 1"]
    assert entry.changes["taken_from_other"] == [None, "kind, notes, org_number"]
    history = manager_client.get(f"/investors/{kept.id}").get_data(as_text=True)
    assert "Merged with a duplicate" in history and "Fjord Kapital AS (#" in history
    del other_startup


def test_merging_startups_moves_their_contacts_deals_meetings_and_links(manager_client, db, manager_user):
    kept = factories.make_startup(name="Onco Bio")
    other = factories.make_startup(name="Onco Bio AS", indication="AML")
    investor = factories.make_investor(name="Fjord")
    contact = factories.make_contact(other, name="Per")
    deal = factories.make_deal(other, investor)
    meeting = factories.make_meeting(startups=[other], investors=[investor])
    factories.make_profile(other)
    link, _token = factories.make_share_link(other, investor)
    db.session.commit()
    manager_client.post(f"/duplicates/startups/{kept.id}/{other.id}", data={
        "kept_version": kept.version, "other_version": other.version, "name": "kept", "indication": "other"})
    assert _fresh(Startup, kept.id).indication == "AML"
    assert _db.session.get(Contact, contact.id).startup_id == kept.id
    assert _db.session.get(Deal, deal.id).startup_id == kept.id
    assert [s.id for s in _db.session.get(Meeting, meeting.id).startups] == [kept.id]
    assert _db.session.get(ShareLink, link.id).startup_id == kept.id
    from crm.models import StartupProfile
    assert _db.session.get(StartupProfile, kept.id) is not None, "the links keep a profile to show"


def test_merging_contacts_moves_their_meetings(manager_client, db, manager_user):
    investor = factories.make_investor(name="Fjord")
    kept = factories.make_contact(investor, name="Kari Nordmann", email="kari@example.com")
    other = factories.make_contact(investor, name="Kari Nordman", phone="+4722334455")
    meeting = factories.make_meeting(investors=[investor], contacts=[other])
    db.session.commit()
    manager_client.post(f"/duplicates/contacts/{kept.id}/{other.id}", data={
        "kept_version": kept.version, "other_version": other.version, "name": "kept", "email": "kept",
        "phone": "other"})
    merged = _fresh(Contact, kept.id)
    assert (merged.name, merged.email, merged.phone) == ("Kari Nordmann", "kari@example.com", "+4722334455")
    assert [c.id for c in _db.session.get(Meeting, meeting.id).contacts] == [kept.id]


def test_follow_ups_and_notes_move_to_the_kept_record(manager_client, db, manager_user):
    kept, other = factories.make_investor(name="Nordic Bio Fund"), factories.make_investor(name="Nordic Bio Fund AS")
    task = factories.make_follow_up(other, date(2026, 3, 20), title="Send the data room")
    note = factories.make_note(other, "Prefers lead positions")
    db.session.commit()
    response = manager_client.post(f"/duplicates/investors/{kept.id}/{other.id}", data={
        "kept_version": kept.version, "other_version": other.version, "name": "kept"}, follow_redirects=True)
    assert response.status_code == 200
    _db.session.expire_all()
    assert _db.session.get(FollowUp, task.id).investor_id == kept.id
    assert _db.session.get(Note, note.id).investor_id == kept.id
    page = manager_client.get(f"/investors/{kept.id}").get_data(as_text=True)
    assert "Send the data room" in page and "Prefers lead positions" in page


def test_a_merge_over_a_changed_record_is_refused(manager_client, db, manager_user):
    kept = factories.make_investor(name="Fjord Kapital")
    other = factories.make_investor(name="Fjord Kapital AS")
    db.session.commit()
    versions = {"kept_version": kept.version, "other_version": other.version}
    other.notes = "Changed meanwhile"
    db.session.commit()
    response = manager_client.post(f"/duplicates/investors/{kept.id}/{other.id}", data={**versions, "name": "kept"})
    assert response.status_code == 200 and "Not saved" in response.get_data(as_text=True)
    assert _fresh(Investor, other.id) is not None


def test_two_deals_for_the_same_round_block_the_merge(manager_client, db, manager_user):
    startup = factories.make_startup(name="Onco Bio")
    kept = factories.make_investor(name="Fjord Kapital")
    other = factories.make_investor(name="Fjord Kapital AS")
    factories.make_deal(startup, kept)
    factories.make_deal(startup, other)
    db.session.commit()
    response = manager_client.post(f"/duplicates/investors/{kept.id}/{other.id}", data={
        "kept_version": kept.version, "other_version": other.version, "name": "kept"})
    assert "Delete one of the two deals first" in response.get_data(as_text=True)
    assert _fresh(Investor, other.id) is not None


def test_merging_a_record_with_itself_or_a_missing_one(manager_client, db, manager_user):
    investor = factories.make_investor(name="Solo")
    db.session.commit()
    response = manager_client.post(f"/duplicates/investors/{investor.id}/{investor.id}", data={
        "kept_version": investor.version, "other_version": investor.version})
    assert "Choose two different records" in response.get_data(as_text=True)
    assert manager_client.get(f"/duplicates/investors/{investor.id}/999999").status_code == 404
