"""Every route, every method, as anonymous, viewer, manager and admin.

The expected least role of each (endpoint, method) is written down here; a route added to
the app without an entry makes test_every_route_has_an_entry fail.
"""
from datetime import date

import pytest

from crm.calendar.services import create_feed
from crm.models import Role
from tests import factories

ANONYMOUS, VIEWER, MANAGER, ADMIN, PUBLIC = "anonymous", "viewer", "manager", "admin", "public"
RANK = {ANONYMOUS: 0, VIEWER: 1, MANAGER: 2, ADMIN: 3}

EXPECTED = {
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): VIEWER,
    ("auth.login_code", "GET"): PUBLIC,
    ("auth.login_code", "POST"): PUBLIC,
    ("auth.confirm", "GET"): VIEWER,
    ("auth.confirm", "POST"): VIEWER,
    ("auth.two_factor", "GET"): VIEWER,
    ("auth.two_factor", "POST"): VIEWER,
    ("auth.two_factor_enable", "POST"): VIEWER,
    ("auth.two_factor_disable", "POST"): VIEWER,
    ("auth.language", "POST"): VIEWER,
    ("trash.index", "GET"): VIEWER,
    ("trash.restore", "POST"): MANAGER,
    ("trash.empty", "POST"): ADMIN,
    ("audit.index", "GET"): ADMIN,
    ("users.security", "GET"): ADMIN,
    ("users.security", "POST"): ADMIN,
    ("auth.password", "GET"): VIEWER,
    ("auth.password", "POST"): VIEWER,
    ("dashboard.index", "GET"): VIEWER,
    ("dashboard.csv", "GET"): VIEWER,
    ("deals.index", "GET"): VIEWER,
    ("deals.table", "GET"): VIEWER,
    ("deals.detail", "GET"): VIEWER,
    ("deals.new", "GET"): MANAGER,
    ("deals.new", "POST"): MANAGER,
    ("deals.edit", "GET"): MANAGER,
    ("deals.edit", "POST"): MANAGER,
    ("deals.move", "GET"): MANAGER,
    ("deals.move", "POST"): MANAGER,
    ("deals.delete", "GET"): MANAGER,
    ("deals.delete", "POST"): MANAGER,
    ("deals.add_investors", "GET"): MANAGER,
    ("deals.add_investors", "POST"): MANAGER,
    ("deals.add_startups", "GET"): MANAGER,
    ("deals.add_startups", "POST"): MANAGER,
    ("rates.index", "GET"): ADMIN,
    ("rates.index", "POST"): ADMIN,
    ("rates.delete", "POST"): ADMIN,
    ("investors.index", "GET"): VIEWER,
    ("investors.detail", "GET"): VIEWER,
    ("investors.new", "GET"): MANAGER,
    ("investors.new", "POST"): MANAGER,
    ("investors.edit", "GET"): MANAGER,
    ("investors.edit", "POST"): MANAGER,
    ("investors.delete", "GET"): MANAGER,
    ("investors.delete", "POST"): MANAGER,
    ("contacts.index", "GET"): VIEWER,
    ("contacts.personal_data", "GET"): ADMIN,
    ("contacts.personal_data_json", "GET"): ADMIN,
    ("contacts.erase", "GET"): ADMIN,
    ("contacts.erase", "POST"): ADMIN,
    ("contacts.retention", "GET"): ADMIN,
    ("contacts.detail", "GET"): VIEWER,
    ("contacts.new", "GET"): MANAGER,
    ("contacts.new", "POST"): MANAGER,
    ("contacts.edit", "GET"): MANAGER,
    ("contacts.edit", "POST"): MANAGER,
    ("contacts.delete", "GET"): MANAGER,
    ("contacts.delete", "POST"): MANAGER,
    ("startups.index", "GET"): VIEWER,
    ("startups.detail", "GET"): VIEWER,
    ("startups.new", "GET"): MANAGER,
    ("startups.new", "POST"): MANAGER,
    ("startups.edit", "GET"): MANAGER,
    ("startups.edit", "POST"): MANAGER,
    ("startups.delete", "GET"): MANAGER,
    ("startups.delete", "POST"): MANAGER,
    ("meetings.index", "GET"): VIEWER,
    ("meetings.detail", "GET"): VIEWER,
    ("meetings.new", "GET"): MANAGER,
    ("meetings.new", "POST"): MANAGER,
    ("meetings.edit", "GET"): MANAGER,
    ("meetings.edit", "POST"): MANAGER,
    ("meetings.delete", "GET"): MANAGER,
    ("meetings.delete", "POST"): MANAGER,
    ("users.index", "GET"): ADMIN,
    ("users.new", "GET"): ADMIN,
    ("users.new", "POST"): ADMIN,
    ("users.edit", "GET"): ADMIN,
    ("users.edit", "POST"): ADMIN,
    ("users.password", "GET"): ADMIN,
    ("users.password", "POST"): ADMIN,
    ("users.toggle_active", "POST"): ADMIN,
    ("sharing.profile", "GET"): MANAGER,
    ("sharing.profile", "POST"): MANAGER,
    ("sharing.preview", "GET"): VIEWER,
    ("sharing.new_item", "GET"): MANAGER,
    ("sharing.new_item", "POST"): MANAGER,
    ("sharing.delete_item", "GET"): MANAGER,
    ("sharing.delete_item", "POST"): MANAGER,
    ("sharing.new_link", "GET"): MANAGER,
    ("sharing.new_link", "POST"): MANAGER,
    ("sharing.revoke_link", "POST"): MANAGER,
    ("sharing.new_agreement", "GET"): MANAGER,
    ("sharing.new_agreement", "POST"): MANAGER,
    ("sharing.delete_agreement", "GET"): MANAGER,
    ("sharing.delete_agreement", "POST"): MANAGER,
    ("public.profile", "GET"): PUBLIC,
    ("meetings.import_invitation", "GET"): MANAGER,
    ("meetings.import_invitation", "POST"): MANAGER,
    ("followups.index", "GET"): VIEWER,
    ("followups.new", "GET"): MANAGER,
    ("followups.new", "POST"): MANAGER,
    ("followups.edit", "GET"): MANAGER,
    ("followups.edit", "POST"): MANAGER,
    ("followups.done", "POST"): MANAGER,
    ("followups.reopen", "POST"): MANAGER,
    ("followups.delete", "GET"): MANAGER,
    ("followups.delete", "POST"): MANAGER,
    ("timeline.new_note", "GET"): MANAGER,
    ("timeline.new_note", "POST"): MANAGER,
    ("calendar.meeting_ics", "GET"): VIEWER,
    ("calendar.settings", "GET"): VIEWER,
    ("calendar.create_feed", "POST"): VIEWER,
    ("calendar.revoke_feed", "POST"): VIEWER,
    ("calendar.feed", "GET"): PUBLIC,
    ("events.index", "GET"): VIEWER,
    ("events.new", "GET"): MANAGER,
    ("events.new", "POST"): MANAGER,
    ("events.detail", "GET"): VIEWER,
    ("events.log_meeting", "POST"): MANAGER,
    ("events.edit", "GET"): MANAGER,
    ("events.edit", "POST"): MANAGER,
    ("events.delete", "GET"): MANAGER,
    ("events.delete", "POST"): MANAGER,
    ("matching.suggestions", "GET"): VIEWER,
    ("matching.suggestions", "POST"): MANAGER,
    ("exports.download", "GET"): VIEWER,
    ("imports.index", "GET"): MANAGER,
    ("imports.index", "POST"): MANAGER,
    ("imports.columns", "GET"): MANAGER,
    ("imports.columns", "POST"): MANAGER,
    ("imports.progress", "GET"): MANAGER,
    ("imports.detail", "GET"): MANAGER,
    ("imports.commit", "POST"): MANAGER,
    ("imports.undo", "POST"): MANAGER,
    ("imports.recheck", "POST"): MANAGER,
    ("imports.discard", "POST"): MANAGER,
    ("merge.index", "GET"): VIEWER,
    ("merge.merge", "GET"): MANAGER,
    ("merge.merge", "POST"): MANAGER,
    ("tokens.index", "GET"): VIEWER,
    ("tokens.index", "POST"): VIEWER,
    ("tokens.revoke", "POST"): VIEWER,
    # The JSON API checks its token (or session) itself: 401 and 403 in JSON, never a sign-in redirect.
    ("api.openapi", "GET"): PUBLIC,
    ("api.collection", "GET"): VIEWER,
    ("api.read", "GET"): VIEWER,
    ("api.create", "POST"): MANAGER,
    ("api.change", "PATCH"): MANAGER,
    ("api.delete", "DELETE"): MANAGER,
}

STATIC_ENDPOINTS = {"static", "bootstrap.static"}
# What an allowed role gets where the fixture records make a plain 200/302 impossible.
ALLOWED_ANSWERS = {"trash.restore": (404,), "tokens.revoke": (302, 404),
                   # a form post is no JSON object; a delete names no version
                   "api.create": (400,), "api.change": (400,), "api.delete": (428,)}


def _app_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def test_every_route_has_an_entry(app):
    routes = set(_app_routes(app))
    assert routes - set(EXPECTED) == set(), "routes without an expected role in tests/test_access.py"
    assert set(EXPECTED) - routes == set(), "entries for routes that no longer exist"


def _url(app, endpoint, ids):
    from flask import url_for
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {arg: ids[arg] for arg in rule.arguments}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    if endpoint in ("contacts.new", "followups.new", "timeline.new_note"):
        url += f"?investor_id={ids['investor_id']}"
    return url


@pytest.fixture()
def records(db, admin_user, manager_user, viewer_user):
    investor = factories.make_investor(name="Access Investor")
    startup = factories.make_startup(name="Access Startup")
    contact = factories.make_contact(investor, name="Access Person")
    meeting = factories.make_meeting(startups=[startup], investors=[investor])
    factories.make_profile(startup)
    item = factories.make_item(startup)
    agreement = factories.make_agreement(investor, startup)
    link, token = factories.make_share_link(startup, investor)
    deal = factories.make_deal(startup, investor)
    rate = factories.make_rate("EUR", "11.50")
    follow_up = factories.make_follow_up(deal, date(2026, 3, 20))
    event = factories.make_event(startups=[startup], investors=[investor])
    _feed, feed_token = create_feed(viewer_user, viewer_user)
    duplicate = factories.make_investor(name="Access Investor AS")
    batch = _import_batch(admin_user)
    api_token_id = _api_token(viewer_user)
    db.session.commit()
    return {"investor_id": investor.id, "startup_id": startup.id, "contact_id": contact.id,
            "meeting_id": meeting.id, "user_id": viewer_user.id, "item_id": item.id, "agreement_id": agreement.id,
            "link_id": link.id, "token": token, "deal_id": deal.id, "rate_id": rate.id,
            "follow_up_id": follow_up.id, "event_id": event.id, "feed_token": feed_token,
            # the trash's restore route: a record of a kind; not in the trash, so allowed roles get 404
            "kind": "investors", "record_id": investor.id,
            # an export: any list, either format
            "name": "investors", "fmt": "csv",
            # an uploaded file, and two investors to merge
            "batch_id": batch.id, "kept_id": investor.id, "other_id": duplicate.id,
            # a viewer's API token (other roles get 404 revoking it)
            "token_id": api_token_id}


def _api_token(user):
    from crm.api.tokens import create_token
    return create_token(user, "access", user)[0].id


def _import_batch(user):
    from crm.imports.services import create_batch
    return create_batch("investors", "access.csv", b"Name;Type;Country\r\nAccess Import;Bank;NO\r\n", 10, user)


@pytest.mark.parametrize("role", [ANONYMOUS, VIEWER, MANAGER, ADMIN])
@pytest.mark.parametrize("endpoint,method", sorted(EXPECTED))
def test_route_answers_each_role_as_written_down(app, records, role, endpoint, method):
    from tests.conftest import sign_in
    from crm.extensions import db
    from crm.models import User

    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, db.session.get(User, _user_id(role)))
    url = _url(app, endpoint, records)
    if method in ("GET", "POST"):
        response = client.get(url) if method == "GET" else client.post(url, data={})
    else:
        response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
    needed = EXPECTED[(endpoint, method)]

    if needed == PUBLIC:
        assert response.status_code in (200, 302)
    elif role == ANONYMOUS and endpoint.startswith("api."):
        assert response.status_code == 401 and response.is_json
    elif role == ANONYMOUS:
        assert response.status_code == 302
        assert "/auth/login" in response.location
    elif RANK[role] >= RANK[needed]:
        assert response.status_code in ALLOWED_ANSWERS.get(endpoint, (200, 302)), response.status_code
    else:
        assert response.status_code == 403
        assert response.is_json if endpoint.startswith("api.") else "Not allowed" in response.get_data(as_text=True)


def _user_id(role):
    from crm.extensions import db
    from crm.models import User
    from sqlalchemy import select
    return db.session.scalar(select(User.id).where(User.role == Role(role)))


def test_a_forged_post_by_a_viewer_changes_nothing(app, records, viewer_client):
    from crm.extensions import db
    from crm.models import Investor

    response = viewer_client.post(f"/investors/{records['investor_id']}/delete")
    assert response.status_code == 403
    response = viewer_client.post(f"/investors/{records['investor_id']}/edit",
                                  data={"name": "Hijacked", "kind": "bank", "country": "NO"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Investor, records["investor_id"]).name == "Access Investor"


def test_a_forged_move_by_a_viewer_moves_nothing(app, records, viewer_client):
    from crm.extensions import db
    from crm.models import Deal, DealStage

    response = viewer_client.post(f"/deals/{records['deal_id']}/move", data={"stage": "contacted", "version": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Deal, records["deal_id"]).stage is DealStage.IDENTIFIED


def test_viewer_sees_no_edit_buttons(records, viewer_client):
    page = viewer_client.get(f"/investors/{records['investor_id']}").get_data(as_text=True)
    assert "Access Investor" in page
    assert f"/investors/{records['investor_id']}/edit" not in page
    assert "Log meeting" not in page
