"""Every route, every method, as anonymous, viewer, manager and admin.

The expected least role of each (endpoint, method) is written down here; a route added to
the app without an entry makes test_every_route_has_an_entry fail.
"""
import pytest

from crm.models import Role
from tests.security import app_routes, build_records, route_url

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
    ("search.index", "GET"): VIEWER,
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

# What an allowed role gets where the fixture records make a plain 200/302 impossible.
ALLOWED_ANSWERS = {"trash.restore": (404,), "tokens.revoke": (302, 404),
                   # a form post is no JSON object; a delete names no version
                   "api.create": (400,), "api.change": (400,), "api.delete": (428,)}


def test_every_route_has_an_entry(app):
    routes = set(app_routes(app))
    assert routes - set(EXPECTED) == set(), "routes without an expected role in tests/test_access.py"
    assert set(EXPECTED) - routes == set(), "entries for routes that no longer exist"


@pytest.fixture()
def records(db, admin_user, manager_user, viewer_user):
    return build_records(admin_user, viewer_user)


@pytest.mark.parametrize("role", [ANONYMOUS, VIEWER, MANAGER, ADMIN])
@pytest.mark.parametrize("endpoint,method", sorted(EXPECTED))
def test_route_answers_each_role_as_written_down(app, records, role, endpoint, method):
    from tests.conftest import sign_in
    from crm.extensions import db
    from crm.models import User

    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, db.session.get(User, _user_id(role)))
    url = route_url(app, endpoint, records)
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
