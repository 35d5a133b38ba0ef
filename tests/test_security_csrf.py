"""Every form post is refused without a valid CSRF token, for a user whose role may post it; the JSON API,
which is exempt from the form check, refuses writes that ride on a session cookie without the token."""
import json

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import AuditEntry, Investor, Role, User
from tests.conftest import sign_in
from tests.security import build_records, route_url
from tests.test_access import ADMIN, EXPECTED, MANAGER, PUBLIC, VIEWER

EXPIRED = "The form had expired or was not sent from this site."
FORM_POSTS = sorted(endpoint for endpoint, method in EXPECTED
                    if method == "POST" and not endpoint.startswith("api."))
API_WRITES = sorted((endpoint, method) for endpoint, method in EXPECTED
                    if endpoint.startswith("api.") and method not in ("GET", "HEAD"))


def test_every_form_post_is_in_the_list():
    """The list comes from the access table, which test_access keeps equal to the app's routes."""
    assert len(FORM_POSTS) > 60
    assert {"auth.login", "investors.new", "deals.move", "trash.empty", "imports.index"} <= set(FORM_POSTS)


@pytest.fixture()
def records(db, admin_user, manager_user, viewer_user):
    return build_records(admin_user, viewer_user)


def _client_for(app, needed):
    client = app.test_client()
    if needed != PUBLIC:
        role = {VIEWER: Role.VIEWER, MANAGER: Role.MANAGER, ADMIN: Role.ADMIN}[needed]
        sign_in(client, db.session.scalar(select(User).where(User.role == role)))
    return client


def _audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


@pytest.mark.parametrize("endpoint", FORM_POSTS)
def test_a_form_post_without_a_csrf_token_is_refused_and_changes_nothing(app, records, endpoint):
    _assert_refused(app, records, endpoint, None)


@pytest.mark.parametrize("token", ["", "not-a-token", "forged.ImNzcmYi.dG9rZW4"], ids=["empty", "garbage", "forged"])
@pytest.mark.parametrize("endpoint", ["auth.login", "investors.edit", "deals.move", "users.new", "trash.empty"])
def test_a_form_post_with_a_bad_csrf_token_is_refused_and_changes_nothing(app, records, endpoint, token):
    _assert_refused(app, records, endpoint, token)


def _assert_refused(app, records, endpoint, token):
    client = _client_for(app, EXPECTED[(endpoint, "POST")])
    before = _audit_count()
    data = {} if token is None else {"csrf_token": token}

    response = client.post(route_url(app, endpoint, records), data=data, csrf=False)

    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert _audit_count() == before


def test_a_token_from_another_session_is_refused(app, records, manager_user):
    theirs = sign_in(app.test_client(), manager_user).csrf_token()
    mine = sign_in(app.test_client(), manager_user)
    response = mine.post("/investors/new", data={"csrf_token": theirs, "name": "Cross Site AS", "kind": "bank",
                                                 "country": "NO"}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(select(Investor).where(Investor.name == "Cross Site AS")) is None


# --- the JSON API -------------------------------------------------------------------------------------

def _api_url(app, endpoint, records):
    return route_url(app, endpoint, {**records, "name": "investors", "record_id": records["investor_id"]})


@pytest.mark.parametrize("endpoint,method", API_WRITES)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded", "text/plain"])
def test_the_api_refuses_a_write_carried_by_a_session_cookie_alone(app, records, manager_client, endpoint, method,
                                                                   content_type):
    """A page on another site can make a signed-in browser send the cookie, never the page's CSRF token."""
    before = _audit_count()
    body = json.dumps({"name": "Cross Site AS", "kind": "bank", "country": "NO", "version": 1})

    response = manager_client.open(_api_url(app, endpoint, records), method=method, data=body,
                                   content_type=content_type)

    assert response.status_code == 400 and response.is_json
    assert "csrf" in response.get_json()["errors"]
    assert _audit_count() == before
    db.session.expire_all()
    assert db.session.get(Investor, records["investor_id"]).name == "Access Investor"


def test_the_api_takes_a_session_write_only_with_the_pages_csrf_token(app, records, manager_client):
    """The other side of the test above: with the token in the header, the same write goes through."""
    token = manager_client.csrf_token()
    response = manager_client.open("/api/v1/investors", method="POST", headers={"X-CSRFToken": token},
                                   json={"name": "Same Site AS", "kind": "bank", "country": "NO"})
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(select(Investor).where(Investor.name == "Same Site AS")) is not None


def test_a_bearer_token_needs_no_csrf_token_and_a_cookie_does_not_stand_in_for_a_bad_token(app, records,
                                                                                           manager_client,
                                                                                           manager_user):
    from crm.api.tokens import create_token
    _row, secret = create_token(manager_user, "ci", manager_user)
    db.session.commit()
    created = app.test_client().open("/api/v1/investors", method="POST", headers={"Authorization": f"Bearer {secret}"},
                                     json={"name": "Token AS", "kind": "bank", "country": "NO"})
    assert created.status_code == 201
    # a signed-in browser with a wrong bearer token is not let in on its cookie
    refused = manager_client.open("/api/v1/investors", method="POST", headers={"Authorization": "Bearer crm_wrong"},
                                  json={"name": "Cookie AS", "kind": "bank", "country": "NO"})
    assert refused.status_code == 401
    assert db.session.scalar(select(Investor).where(Investor.name == "Cookie AS")) is None
