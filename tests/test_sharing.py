"""Sharing as staff see it: the profile settings, confidential material, share links, agreements, and the
views on the startup's and the investor's pages; and the rules the services keep."""
import hashlib
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from crm.models import (ConfidentialItem, ConfidentialityAgreement, ProfileField as F, ShareLink, ShareView,
                        StartupProfile, Visibility)
from crm.sharing import services
from tests import factories
from tests.conftest import NOW
from tests.test_investors import Page, two_managers




@pytest.fixture()
def startup(db, manager_user):
    startup = factories.make_startup(name="Ørn Biologics", pitch="Stroma breakers.")
    factories.make_contact(startup, name="Ola Gründer", email="ola@orn.example.com")
    db.session.commit()
    return startup


@pytest.fixture()
def investor(db, manager_user):
    investor = factories.make_investor(name="Fjordkapital Vekst")
    factories.make_contact(investor, name="Kari Partner", email="kari@fjord.example.com")
    db.session.commit()
    return investor


@pytest.fixture()
def shared(db, startup, investor, manager_user, clock):
    """The startup with a profile and one link for the investor's contact."""
    factories.make_profile(startup, public=[F.NAME, F.PITCH])
    link, token = factories.make_share_link(startup, investor, contact=investor.contacts[0], by=manager_user,
                                            now=NOW)
    db.session.commit()
    return link, token


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- profile settings -------------------------------------------------------------------------------------

def test_a_new_profile_shows_nothing_until_the_manager_chooses_fields(manager_client, startup):
    page = Page(manager_client.get(f"/startups/{startup.id}"))
    assert "Public profile" in page.text
    assert "The profile shows nothing yet" in page.text
    form = Page(manager_client.get(f"/startups/{startup.id}/profile"))
    assert all(form.fields[f"show_{field.value}"] == "" for field in F)


def test_choosing_fields_saves_them_and_the_startup_page_lists_them(db, manager_client, startup):
    form = Page(manager_client.get(f"/startups/{startup.id}/profile")).form_data()
    form.update(show_name="public", show_pitch="public", show_team="confidential", tagline="Stroma breakers",
                contact_id=str(startup.contacts[0].id))
    response = manager_client.post(f"/startups/{startup.id}/profile", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(StartupProfile, startup.id)
    assert profile.chosen(Visibility.PUBLIC) == [F.NAME, F.PITCH]
    assert profile.chosen(Visibility.CONFIDENTIAL) == [F.TEAM]
    assert profile.tagline == "Stroma breakers" and profile.contact.name == "Ola Gründer"

    page = Page(manager_client.get(response.location))
    assert "The public profile of Ørn Biologics is saved." in page.text
    assert "Shown Name Pitch" in page.text and "Confidential Team" in page.text

    again = Page(manager_client.get(f"/startups/{startup.id}/profile")).form_data()
    assert again["show_name"] == "public" and again["show_team"] == "confidential" and again["show_logo"] == ""
    again.update(show_team="")
    assert manager_client.post(f"/startups/{startup.id}/profile", data=again).status_code == 302
    db.session.expire_all()
    assert db.session.get(StartupProfile, startup.id).chosen(Visibility.CONFIDENTIAL) == []


def test_the_contact_person_must_be_one_of_the_startups_contacts(db, manager_client, startup, investor):
    form = Page(manager_client.get(f"/startups/{startup.id}/profile")).form_data()
    form.update(show_contact="public", contact_id=str(investor.contacts[0].id))
    page = Page(manager_client.post(f"/startups/{startup.id}/profile", data=form))
    assert "Not a valid choice" in page.error("contact_id")
    assert _count(db, StartupProfile) == 0


def test_a_second_save_of_the_profile_over_somebody_elses_is_refused(app, db, manager_client, startup):
    factories.make_profile(startup, public=[F.NAME])
    db.session.commit()
    first, second = two_managers(app, db, manager_client)
    url = f"/startups/{startup.id}/profile"
    mine, theirs = Page(first.get(url)).form_data(), Page(second.get(url)).form_data()
    mine.update(show_pitch="public")
    assert first.post(url, data=mine).status_code == 302
    theirs.update(show_team="confidential")
    refused = Page(second.post(url, data=theirs))
    assert "Somebody else saved this record" in refused.text
    assert ["Pitch", "Shown", "—"] in refused.rows
    db.session.expire_all()
    assert db.session.get(StartupProfile, startup.id).chosen(Visibility.PUBLIC) == [F.NAME, F.PITCH]


# --- confidential material --------------------------------------------------------------------------------

def test_confidential_material_is_added_listed_and_removed(db, manager_client, startup):
    url = f"/startups/{startup.id}/profile/items/new"
    empty = Page(manager_client.post(url, data={"kind": "patents", "title": "Patent status", "url": "", "text": ""}))
    assert "Give a link, a text, or both." in empty.error("url")
    assert empty.fields["title"] == "Patent status"

    response = manager_client.post(url, data={"kind": "deck", "title": "Deck 2026", "url": "dataroom.example.com/d",
                                              "text": ""})
    assert response.status_code == 302
    item = db.session.scalar(select(ConfidentialItem))
    assert item.url == "https://dataroom.example.com/d"
    assert "Deck 2026" in Page(manager_client.get(response.location)).text

    delete_url = f"/startups/{startup.id}/profile/items/{item.id}/delete"
    assert "Remove Deck 2026?" in Page(manager_client.get(delete_url)).text
    assert manager_client.post(delete_url).status_code == 302
    assert _count(db, ConfidentialItem) == 0


def test_an_item_of_another_startup_is_not_found(db, manager_client, startup):
    other = factories.make_startup(name="Annen")
    item = factories.make_item(other)
    db.session.commit()
    assert manager_client.get(f"/startups/{startup.id}/profile/items/{item.id}/delete").status_code == 404
    assert manager_client.post(f"/startups/{startup.id}/profile/items/{item.id}/delete").status_code == 404


# --- creating links ---------------------------------------------------------------------------------------

def test_the_link_form_offers_thirty_days_and_the_investor_from_the_address(manager_client, startup, investor,
                                                                           clock):
    form = Page(manager_client.get(f"/startups/{startup.id}/links/new?investor_id={investor.id}"))
    assert form.fields["expires_on"] == "2026-04-01"
    assert form.fields["investor_id"] == str(investor.id)


def test_creating_a_link_shows_its_address_once_and_stores_only_its_hash(db, app, manager_client, startup, investor,
                                                                        clock):
    factories.make_profile(startup, public=[F.NAME])
    db.session.commit()
    response = manager_client.post(f"/startups/{startup.id}/links/new", data={
        "investor_id": "0", "contact_id": str(investor.contacts[0].id), "label": "", "expires_on": "2026-03-31"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = Page(response)
    assert "Copy the address now: it is shown only this once." in page.text
    assert re.search(r'<input[^>]*id="share-url"[^>]*readonly', page.html)
    token = re.search(r'id="share-url" type="text" value="http://localhost/s/([^"]+)"', page.html)[1]
    assert len(token) == 43

    link = db.session.scalar(select(ShareLink))
    assert link.investor_id == investor.id  # taken from the contact
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in " ".join(str(v) for row in db.session.execute(select(ShareLink.__table__)) for v in row)
    assert link.valid_through == date(2026, 3, 31)
    assert link.created_by.email == "manager@example.com"

    assert app.test_client().get(f"/s/{token}").status_code == 200
    detail = Page(manager_client.get(f"/startups/{startup.id}"))
    assert token not in detail.html
    assert ["Fjordkapital Vekst · Kari Partner", "3/2/26, 12:00 PM Manager User", "Mar 31, 2026", "1",
            "3/2/26, 12:00 PM 3/2/26, 12:00 PM", "Active", "Preview Revoke"] in detail.rows


@pytest.mark.parametrize("changes,field,message", [
    ({"investor_id": "0", "label": ""}, "label", "needs a label"),
    ({"expires_on": "2027-03-03"}, "expires_on", "A link can be valid for one year at most."),
    ({"expires_on": "2026-03-01"}, "expires_on", "The expiry date has passed."),
    ({"expires_on": ""}, "expires_on", "Enter the last day the link works."),
    ({"investor_id": "999999"}, "investor_id", "Not a valid choice"),
    ({"contact_id": "OTHER"}, "contact_id", "does not work at Fjordkapital Vekst"),
])
def test_a_bad_link_request_shows_a_message_by_the_field_and_makes_no_link(db, manager_client, startup, investor,
                                                                          clock, changes, field, message):
    factories.make_profile(startup, public=[F.NAME])
    other = factories.make_investor(name="Annen Kapital")
    other_contact = factories.make_contact(other, name="Annen Person")
    db.session.commit()
    data = {"investor_id": str(investor.id), "contact_id": "0", "label": "", "expires_on": "2026-03-31"}
    data.update({key: str(other_contact.id) if value == "OTHER" else value for key, value in changes.items()})
    page = Page(manager_client.post(f"/startups/{startup.id}/links/new", data=data))
    assert message in page.error(field)
    assert _count(db, ShareLink) == 0


def test_a_startup_without_chosen_fields_cannot_be_shared(db, manager_client, startup, investor, clock):
    page = Page(manager_client.post(f"/startups/{startup.id}/links/new", data={
        "investor_id": str(investor.id), "contact_id": "0", "label": "", "expires_on": "2026-03-31"}))
    assert "Choose what the public profile shows before you share it." in page.text
    assert _count(db, ShareLink) == 0


def test_tokens_carry_256_random_bits_and_differ_every_time(db, startup, investor, shared):
    tokens = {factories.make_share_link(startup, investor)[1] for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)


# --- revoking, and the list of links ----------------------------------------------------------------------

def test_revoking_a_link_keeps_it_listed_as_revoked_by_whom(db, manager_client, startup, shared):
    link, token = shared
    response = manager_client.post(f"/startups/{startup.id}/links/{link.id}/revoke")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ShareLink, link.id).revoked_at == NOW
    page = Page(manager_client.get(response.location))
    assert "The link is revoked" in page.text
    row = next(row for row in page.rows if row and row[0].startswith("Fjordkapital"))
    assert row[5] == "Revoked 3/2/26, 12:00 PM, Manager User"
    assert "Revoke" not in row[6]
    assert manager_client.post(f"/startups/{startup.id}/links/{link.id}/revoke").status_code == 302  # twice: no harm


def test_an_expired_link_stays_listed_as_expired(db, manager_client, startup, shared, clock):
    clock(NOW + timedelta(days=31))
    page = Page(manager_client.get(f"/startups/{startup.id}"))
    row = next(row for row in page.rows if row and row[0].startswith("Fjordkapital"))
    assert row[5] == "Expired"


def test_viewers_cannot_create_or_revoke_links(db, viewer_client, startup, investor, shared):
    link, _token = shared
    assert viewer_client.get(f"/startups/{startup.id}/links/new").status_code == 403
    response = viewer_client.post(f"/startups/{startup.id}/links/new", data={
        "investor_id": str(investor.id), "contact_id": "0", "label": "", "expires_on": "2026-03-31"})
    assert response.status_code == 403
    assert viewer_client.post(f"/startups/{startup.id}/links/{link.id}/revoke").status_code == 403
    assert _count(db, ShareLink) == 1
    assert db.session.get(ShareLink, link.id).revoked_at is None
    page = Page(viewer_client.get(f"/startups/{startup.id}"))
    assert "/revoke" not in page.html and "/links/new" not in page.html and "Choose fields" not in page.text


def test_creating_or_revoking_without_a_csrf_token_does_nothing(db, manager_client, startup, investor, shared):
    link, _token = shared
    assert manager_client.post(f"/startups/{startup.id}/links/{link.id}/revoke", csrf=False).status_code == 400
    response = manager_client.post(f"/startups/{startup.id}/links/new", csrf=False, data={
        "investor_id": str(investor.id), "contact_id": "0", "label": "", "expires_on": "2026-03-31"})
    assert response.status_code == 400
    assert _count(db, ShareLink) == 1
    assert db.session.get(ShareLink, link.id).revoked_at is None


def test_a_link_of_another_startup_cannot_be_revoked_or_previewed_through_this_one(db, manager_client, shared):
    link, _token = shared
    other = factories.make_startup(name="Annen")
    db.session.commit()
    assert manager_client.post(f"/startups/{other.id}/links/{link.id}/revoke").status_code == 404
    assert manager_client.get(f"/startups/{other.id}/profile/preview?link={link.id}").status_code == 404


# --- views on the startup's and the investor's pages ------------------------------------------------------

def test_views_show_on_the_startup_and_the_investor_page(app, db, manager_client, startup, investor, shared, clock):
    _link, token = shared
    reader = app.test_client()
    reader.get(f"/s/{token}", headers={"User-Agent": "Mozilla/5.0 (iPhone)"}, environ_base={"REMOTE_ADDR": "198.51.100.23"})
    clock(NOW + timedelta(days=1))
    reader.get(f"/s/{token}", environ_base={"REMOTE_ADDR": "198.51.100.24"})

    startup_page = Page(manager_client.get(f"/startups/{startup.id}"))
    row = next(row for row in startup_page.rows if row and row[0].startswith("Fjordkapital"))
    assert row[3] == "2" and row[4] == "3/2/26, 12:00 PM 3/3/26, 12:00 PM"
    assert "198.51.100.0/24 · Mozilla/5.0 (iPhone)" in startup_page.text

    investor_page = Page(manager_client.get(f"/investors/{investor.id}"))
    row = next(row for row in investor_page.rows if row and row[0].startswith("Ørn Biologics"))
    assert row[3] == "2"
    assert "3/3/26, 12:00 PM · Ørn Biologics" in investor_page.text
    assert _count(db, ShareView) == 2


def test_the_preview_shows_the_page_as_each_reader_would_see_it(db, viewer_client, startup, investor, shared):
    link, _token = shared
    factories.make_profile(startup, public=[F.NAME], confidential=[F.PITCH])
    db.session.commit()
    without = Page(viewer_client.get(f"/startups/{startup.id}/profile/preview"))
    assert "Stroma breakers." not in without.text and "without a confidentiality agreement" in without.text
    under = Page(viewer_client.get(f"/startups/{startup.id}/profile/preview?confidential=1"))
    assert "Stroma breakers." in under.text
    as_link = Page(viewer_client.get(f"/startups/{startup.id}/profile/preview?link={link.id}"))
    assert "Stroma breakers." not in as_link.text and "Prepared for Fjordkapital Vekst." in as_link.text
    factories.make_agreement(investor, startup)
    db.session.commit()
    assert "Stroma breakers." in Page(viewer_client.get(f"/startups/{startup.id}/profile/preview?link={link.id}")).text
    assert _count(db, ShareView) == 0


# --- agreements -------------------------------------------------------------------------------------------

def test_an_agreement_is_recorded_on_the_investors_page_and_deleted_from_it(db, manager_client, startup, investor,
                                                                           clock):
    form = Page(manager_client.get(f"/investors/{investor.id}/agreements/new?startup_id={startup.id}"))
    assert form.fields["startup_id"] == str(startup.id) and form.fields["signed_on"] == "2026-03-02"
    response = manager_client.post(f"/investors/{investor.id}/agreements/new", data={
        "startup_id": str(startup.id), "signed_on": "2026-02-15", "expires_on": "2028-02-14"})
    assert response.status_code == 302
    page = Page(manager_client.get(response.location))
    assert "Confidentiality agreement with Ørn Biologics recorded." in page.text
    assert "Ørn Biologics Valid Signed Feb 15, 2026, covers until Feb 14, 2028" in page.text

    agreement = db.session.scalar(select(ConfidentialityAgreement))
    delete_url = f"/investors/{investor.id}/agreements/{agreement.id}/delete"
    assert "Delete the agreement with Ørn Biologics?" in Page(manager_client.get(delete_url)).text
    assert manager_client.post(delete_url).status_code == 302
    assert _count(db, ConfidentialityAgreement) == 0


@pytest.mark.parametrize("data,field,message", [
    ({"signed_on": "2026-03-03"}, "signed_on", "The signing date cannot be in the future."),
    ({"expires_on": "2026-01-31"}, "expires_on", "The agreement cannot end before it was signed."),
    ({"startup_id": "0"}, "startup_id", "Choose a startup."),
    ({"signed_on": ""}, "signed_on", "Enter the date it was signed."),
])
def test_a_bad_agreement_shows_a_message_by_the_field(db, manager_client, startup, investor, clock, data, field,
                                                      message):
    form = {"startup_id": str(startup.id), "signed_on": "2026-02-01", "expires_on": "2027-01-31", **data}
    page = Page(manager_client.post(f"/investors/{investor.id}/agreements/new", data=form))
    assert message in page.error(field)
    assert _count(db, ConfidentialityAgreement) == 0


def test_an_expired_agreement_is_shown_as_expired(db, manager_client, startup, investor, clock):
    factories.make_agreement(investor, startup, signed_on=date(2024, 1, 1), expires_on=date(2025, 12, 31))
    db.session.commit()
    assert "Ørn Biologics Expired" in Page(manager_client.get(f"/investors/{investor.id}")).text


# --- deleting what links point at -------------------------------------------------------------------------

@pytest.mark.parametrize("what", ["startup", "investor"])
def test_a_startup_or_investor_in_the_trash_closes_its_links_until_restored(app, db, manager_client, startup,
                                                                            investor, shared, what):
    _link, token = shared
    app.test_client().get(f"/s/{token}")
    record = startup if what == "startup" else investor
    assert manager_client.post(f"/{what}s/{record.id}/delete").status_code == 302
    assert _count(db, ShareLink) == 1 and _count(db, ShareView) == 1  # kept for a restore
    assert app.test_client().get(f"/s/{token}").status_code == 404
    assert manager_client.post(f"/trash/{what}s/{record.id}/restore").status_code == 302
    assert app.test_client().get(f"/s/{token}").status_code == 200


@pytest.mark.parametrize("what", ["startup", "investor"])
def test_emptying_the_trash_deletes_the_links_for_good(app, db, admin_client, startup, investor, shared, what):
    _link, token = shared
    app.test_client().get(f"/s/{token}")
    record = startup if what == "startup" else investor
    assert admin_client.post(f"/{what}s/{record.id}/delete").status_code == 302
    assert admin_client.post("/trash/empty").status_code == 302
    assert _count(db, ShareLink) == 0 and _count(db, ShareView) == 0
    assert app.test_client().get(f"/s/{token}").status_code == 404


def test_deleting_the_links_contact_keeps_the_link(app, db, admin_client, investor, shared):
    link, token = shared
    assert admin_client.post(f"/contacts/{investor.contacts[0].id}/delete").status_code == 302
    assert app.test_client().get(f"/s/{token}").status_code == 200  # the contact is in the trash
    assert admin_client.post("/trash/empty").status_code == 302
    db.session.expire_all()
    assert db.session.get(ShareLink, link.id).contact_id is None  # gone for good: the link stays, unaddressed
    assert app.test_client().get(f"/s/{token}").status_code == 200


# --- the services' rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize("address,network", [
    ("203.0.113.77", "203.0.113.0/24"),
    ("2001:db8:abcd:12::7", "2001:db8:abcd::/48"),
    ("::ffff:192.0.2.128", "192.0.2.0/24"),
    ("", None),
    (None, None),
    ("not an address", None),
])
def test_only_the_network_of_an_address_is_kept(address, network):
    assert services.network_of(address) == network


@pytest.mark.parametrize("agent,counted", [
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15", True),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", False),
    ("facebookexternalhit/1.1", False),
    ("WhatsApp/2.23.20.0", False),
    (None, True),
])
def test_link_previews_of_chat_apps_are_not_counted_as_views(db, shared, agent, counted):
    link, _token = shared
    view = services.record_share_view(link, agent, "198.51.100.1", now=NOW)
    assert (view is not None) is counted


def test_the_maker_is_not_counted_but_another_user_is(db, shared, manager_user, viewer_user):
    link, _token = shared
    assert services.record_share_view(link, "Mozilla/5.0", "198.51.100.1", viewer=manager_user) is None
    assert services.record_share_view(link, "Mozilla/5.0", "198.51.100.1", viewer=viewer_user) is not None


# --- demo data --------------------------------------------------------------------------------------------

def test_the_demo_data_has_profiles_agreements_and_links_with_views(db, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert _count(db, StartupProfile) >= 3 and _count(db, ConfidentialItem) >= 3
    assert _count(db, ConfidentialityAgreement) >= 2
    assert _count(db, ShareView) >= 5
    now = datetime.now(timezone.utc)
    statuses = {link.status(now) for link in db.session.scalars(select(ShareLink))}
    assert {status.value for status in statuses} == {"active", "revoked", "expired"}


def test_a_view_by_an_investor_with_a_deal_shows_on_the_deal(app, db, manager_client, startup, investor, shared):
    _link, token = shared
    deal = factories.make_deal(startup, investor)
    other = factories.make_deal(startup, factories.make_investor(name="Annen Fond"))
    db.session.commit()
    app.test_client().get(f"/s/{token}")
    page = Page(manager_client.get(f"/deals/{deal.id}")).text
    assert f"Profile views by {investor.name}" in page
    assert "No share link of this startup has been opened" not in page
    assert "No share link of this startup has been opened" in Page(manager_client.get(f"/deals/{other.id}")).text
