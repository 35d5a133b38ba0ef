"""The JSON API: tokens, roles, every endpoint, pagination, filters, the forms' validation, lost updates."""
from datetime import date

import pytest
from sqlalchemy import select

from crm.api.tokens import create_token
from crm.extensions import db as _db
from crm.models import ApiToken, AuditEntry, Contact, Deal, DealStage, FollowUp, Investor, Meeting, Startup
from tests import factories


def _token(user) -> str:
    _record, plain = create_token(user, "tests", user)
    _db.session.commit()
    return plain


@pytest.fixture()
def api(app, db, admin_user, manager_user, viewer_user):
    """A client per role, each sending its own bearer token."""
    class Api:
        def __init__(self, user):
            self.client, self.headers = app.test_client(), {"Authorization": f"Bearer {_token(user)}"}

        def __getattr__(self, method):
            def call(url, headers=None, **kwargs):
                if method == "post":
                    kwargs["csrf"] = False  # a token request carries no form token
                return getattr(self.client, method)(url, headers={**self.headers, **(headers or {})}, **kwargs)
            return call

    return {"admin": Api(admin_user), "manager": Api(manager_user), "viewer": Api(viewer_user)}


@pytest.fixture()
def data(db, manager_user):
    fjord = factories.make_investor(name="Fjord Kapital", country="NO")
    nordic = factories.make_investor(name="Nordic Ventures", country="SE")
    startup = factories.make_startup(name="Onco Bio")
    kari = factories.make_contact(fjord, name="Kari Nordmann", email="kari@example.com")
    meeting = factories.make_meeting(startups=[startup], investors=[fjord], contacts=[kari])
    deal = factories.make_deal(startup, fjord)
    task = factories.make_follow_up(deal, date(2026, 3, 20), title="Send the term sheet", assignee=manager_user)
    _db.session.commit()
    return {"fjord": fjord, "nordic": nordic, "startup": startup, "kari": kari, "meeting": meeting, "deal": deal,
            "task": task}


def test_without_a_token_the_api_answers_401_in_json(client, data):
    response = client.get("/api/v1/investors")
    assert response.status_code == 401 and response.is_json
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.get("/api/v1/investors", headers={"Authorization": "Bearer crm_not-a-token"})
    assert response.status_code == 401 and "token" in response.json["errors"]


def test_a_revoked_token_or_deactivated_user_no_longer_works(app, api, data, viewer_user):
    from crm.api.tokens import revoke_token
    assert api["viewer"].get("/api/v1/investors").status_code == 200
    token = _db.session.scalar(select(ApiToken).where(ApiToken.user_id == viewer_user.id))
    assert token.last_used_at is not None
    revoke_token(token, viewer_user)
    _db.session.commit()
    assert api["viewer"].get("/api/v1/investors").status_code == 401
    assert api["manager"].get("/api/v1/investors").status_code == 200
    from crm.models import User
    manager = _db.session.scalar(select(User).where(User.email == "manager@example.com"))
    manager.active = False
    _db.session.commit()
    assert api["manager"].get("/api/v1/investors").status_code == 401


def test_tokens_are_stored_hashed(api):
    stored = _db.session.scalars(select(ApiToken.token_hash)).all()
    header = api["viewer"].headers["Authorization"]
    assert len(stored) == 3 and all(len(h) == 64 and h not in header for h in stored)


def test_a_viewer_reads_but_may_not_write(api, data):
    assert api["viewer"].get(f"/api/v1/investors/{data['fjord'].id}").status_code == 200
    response = api["viewer"].post("/api/v1/investors", json={"name": "X", "kind": "bank", "country": "NO"})
    assert response.status_code == 403 and response.json["errors"]["role"]
    response = api["viewer"].delete(f"/api/v1/investors/{data['fjord'].id}", headers={"If-Match": '"1"'})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["investors", "contacts", "startups", "meetings", "deals", "follow-ups"])
def test_every_list_pages_and_every_record_reads(api, data, name):
    response = api["viewer"].get(f"/api/v1/{name}?per_page=1")
    assert response.status_code == 200
    page = response.json
    assert page["per_page"] == 1 and len(page["items"]) == 1 and page["total"] >= 1
    first = page["items"][0]
    response = api["viewer"].get(f"/api/v1/{name}/{first['id']}")
    assert response.json == first and response.headers["ETag"] == f'"{first["version"]}"'
    assert api["viewer"].get(f"/api/v1/{name}/999999").status_code == 404


def test_lists_filter_like_the_list_pages(api, data):
    names = lambda response: [i["name"] for i in response.json["items"]]  # noqa: E731
    assert names(api["viewer"].get("/api/v1/investors?origin=foreign")) == ["Nordic Ventures"]
    assert names(api["viewer"].get("/api/v1/investors?q=fjord")) == ["Fjord Kapital"]
    assert names(api["viewer"].get("/api/v1/investors?country=XX")) == ["Fjord Kapital", "Nordic Ventures"]
    page = api["viewer"].get("/api/v1/investors?per_page=1&page=2").json
    assert (page["page"], page["pages"], names_of(page)) == (2, 2, ["Nordic Ventures"])
    assert api["viewer"].get(f"/api/v1/deals?startup={data['startup'].id}").json["total"] == 1
    assert api["viewer"].get("/api/v1/deals?stage=committed").json["total"] == 0
    assert api["viewer"].get("/api/v1/meetings?kind=intro").json["total"] == 0
    assert api["viewer"].get("/api/v1/contacts?q=kari").json["items"][0]["email"] == "kari@example.com"


def names_of(page):
    return [i["name"] for i in page["items"]]


def test_creating_an_investor_validates_like_the_form(api, data):
    response = api["manager"].post("/api/v1/investors", json={
        "name": "Ny Fond", "kind": "venture_fund", "country": "NO", "org_number": "974760673",
        "focus_areas": ["solid_tumours"], "ticket_min": "250000.50", "website": "nyfond.no"})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["org_number"], body["website"], body["ticket_min"], body["focus_areas"], body["is_foreign"]) == (
        "974760673", "https://nyfond.no", "250000.50", ["solid_tumours"], False)
    response = api["manager"].post("/api/v1/investors", json={
        "name": "", "kind": "spaceship", "country": "NO", "org_number": "123", "website": "not a site",
        "ticket_min": "lots", "secret": 1})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) == {"secret"}, "type problems are reported before the form runs"
    response = api["manager"].post("/api/v1/investors", json={
        "name": "", "kind": "spaceship", "country": "NO", "org_number": "123", "website": "not a site",
        "ticket_min": "lots"})
    errors = response.json["errors"]
    assert set(errors) == {"name", "kind", "org_number", "website", "ticket_min"}
    assert errors["org_number"] == ["Enter a valid Norwegian organisation number (9 digits)."]
    response = api["manager"].post("/api/v1/investors", json={
        "name": "Dup", "kind": "bank", "country": "NO", "org_number": "974760673"})
    assert response.status_code == 422 and "already has this organisation number" in response.json["errors"]["org_number"][0]


@pytest.mark.parametrize("body,field", [
    ({"name": 5, "kind": "bank", "country": "NO"}, "name"),
    ({"name": "X", "kind": "bank", "country": "NO", "owner_id": "1"}, "owner_id"),
    ({"name": "X", "kind": "bank", "country": "NO", "owner_id": 2**40}, "owner_id"),
    ({"name": "X", "kind": "bank", "country": "NO", "focus_areas": "solid_tumours"}, "focus_areas"),
    ({"name": "X", "kind": None, "country": "NO"}, "kind"),
])
def test_wrong_json_types_are_422(api, data, body, field):
    response = api["manager"].post("/api/v1/investors", json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_a_body_that_is_not_a_json_object_is_400(api, data):
    for body in ({"data": "name=x"}, {"json": [1, 2]}):
        response = api["manager"].post("/api/v1/investors", **body)
        assert response.status_code == 400 and response.json["errors"]["body"]


def test_contacts_meetings_startups_and_deals_are_created(api, data):
    contact = api["manager"].post("/api/v1/contacts", json={
        "name": "Ola", "email": "ola@example.com", "phone": "22 33 44 55", "startup_id": data["startup"].id})
    assert contact.status_code == 201 and contact.json["phone"] == "+4722334455"
    both = api["manager"].post("/api/v1/contacts", json={"name": "Ola", "startup_id": data["startup"].id,
                                                         "investor_id": data["fjord"].id})
    assert both.status_code == 422 and "investor_id" in both.json["errors"]
    startup = api["manager"].post("/api/v1/startups", json={
        "name": "Celle", "therapeutic_area": "immuno_oncology", "modality": "cell_therapy",
        "development_stage": "phase_1", "round_kind": "seed", "round_target": "10000000"})
    assert startup.status_code == 201 and startup.json["round_target"] == "10000000.00"
    meeting = api["manager"].post("/api/v1/meetings", json={
        "starts_at": "2026-03-10T09:00:00Z", "kind": "pitch", "startup_ids": [startup.json["id"]],
        "investor_ids": [data["nordic"].id], "contact_ids": [data["kari"].id]})
    assert meeting.status_code == 201, meeting.json
    assert (meeting.json["starts_at"], meeting.json["investor_ids"]) == ("2026-03-10T09:00:00Z", [data["nordic"].id])
    empty = api["manager"].post("/api/v1/meetings", json={"starts_at": "2026-03-10T09:00:00Z"})
    assert empty.status_code == 422 and "startup_ids" in empty.json["errors"]
    deal = api["manager"].post("/api/v1/deals", json={
        "startup_id": startup.json["id"], "investor_id": data["nordic"].id, "round_kind": "seed",
        "stage": "committed", "committed_amount": "500000"})
    assert deal.status_code == 201 and deal.json["stage"] == "committed"
    again = api["manager"].post("/api/v1/deals", json={
        "startup_id": startup.json["id"], "investor_id": data["nordic"].id, "round_kind": "seed"})
    assert again.status_code == 422 and "already in the pipeline" in again.json["errors"]["investor_id"][0]
    passed = api["manager"].post("/api/v1/deals", json={
        "startup_id": data["startup"].id, "investor_id": data["nordic"].id, "round_kind": "seed", "stage": "passed"})
    assert passed.status_code == 422 and "pass_reason" in passed.json["errors"]


def test_a_change_keeps_the_fields_not_sent_and_needs_the_version(api, data):
    url = f"/api/v1/investors/{data['fjord'].id}"
    current = api["manager"].get(url).json
    assert api["manager"].patch(url, json={"notes": "x"}).status_code == 428
    response = api["manager"].patch(url, json={"notes": "Met in Oslo", "version": current["version"]})
    assert response.status_code == 200 and response.json["notes"] == "Met in Oslo"
    assert response.json["name"] == "Fjord Kapital" and response.json["version"] == current["version"] + 1
    stale = api["manager"].patch(url, json={"notes": "Overwrite", "version": current["version"]})
    assert stale.status_code == 409 and stale.json["current"]["notes"] == "Met in Oslo"
    by_etag = api["manager"].patch(url, json={"status": "inactive"}, headers={"If-Match": response.headers["ETag"]})
    assert by_etag.status_code == 200 and by_etag.json["status"] == "inactive"
    wrong = api["manager"].patch(url, json={"country": "XX", "version": by_etag.json["version"]})
    assert wrong.status_code == 422 and "country" in wrong.json["errors"]
    cannot = api["manager"].patch(f"/api/v1/contacts/{data['kari'].id}",
                                  json={"investor_id": data["nordic"].id, "version": 1})
    assert cannot.status_code == 422 and "investor_id" in cannot.json["errors"]


def test_a_deal_moves_through_a_change(api, data):
    url = f"/api/v1/deals/{data['deal'].id}"
    current = api["manager"].get(url).json
    response = api["manager"].patch(url, json={"stage": "contacted", "version": current["version"]})
    assert response.status_code == 200 and response.json["stage"] == "contacted"
    _db.session.expire_all()
    assert [c.to_stage for c in _db.session.get(Deal, data["deal"].id).changes] == [DealStage.IDENTIFIED,
                                                                                    DealStage.CONTACTED]


@pytest.mark.parametrize("name,model", [("investors", Investor), ("contacts", Contact), ("startups", Startup),
                                        ("meetings", Meeting), ("deals", Deal), ("follow-ups", FollowUp)])
def test_deleting_needs_the_version(api, data, name, model):
    record = {"investors": data["nordic"], "contacts": data["kari"], "startups": data["startup"],
              "meetings": data["meeting"], "deals": data["deal"], "follow-ups": data["task"]}[name]
    url = f"/api/v1/{name}/{record.id}"
    assert api["manager"].delete(url).status_code == 428
    assert api["manager"].delete(url, headers={"If-Match": '"99"'}).status_code == 409
    assert api["manager"].delete(f"{url}?version={record.version}").status_code == 204
    assert api["manager"].get(url).status_code == 404


def test_follow_ups_are_listed_created_and_changed(api, data, manager_user, viewer_user):
    listed = api["viewer"].get(f"/api/v1/follow-ups?user={manager_user.id}&status=open").json
    assert [(i["title"], i["due_on"], i["deal_id"], i["done_at"]) for i in listed["items"]] == [
        ("Send the term sheet", "2026-03-20", data["deal"].id, None)]
    assert api["viewer"].get("/api/v1/follow-ups?status=done").json["total"] == 0
    body = {"title": "Call Kari", "due_on": "2026-04-01", "assignee_id": viewer_user.id,
            "contact_id": data["kari"].id}
    made = api["manager"].post("/api/v1/follow-ups", json=body)
    assert made.status_code == 201, made.json
    assert (made.json["contact_id"], made.json["assignee_id"]) == (data["kari"].id, viewer_user.id)
    both = api["manager"].post("/api/v1/follow-ups", json={**body, "startup_id": data["startup"].id})
    assert both.status_code == 422 and "startup_id" in both.json["errors"]
    nothing = api["manager"].post("/api/v1/follow-ups", json={**body, "contact_id": 999999})
    assert nothing.status_code == 422
    changed = api["manager"].patch(f"/api/v1/follow-ups/{made.json['id']}",
                                   json={"due_on": "2026-04-02", "version": made.json["version"]})
    assert changed.status_code == 200 and changed.json["due_on"] == "2026-04-02"
    assert changed.json["title"] == "Call Kari"
    moved = api["manager"].patch(f"/api/v1/follow-ups/{made.json['id']}",
                                 json={"startup_id": data["startup"].id, "version": changed.json["version"]})
    assert moved.status_code == 422 and "startup_id" in moved.json["errors"]


def test_api_changes_are_audited_as_the_tokens_user(api, data, manager_user):
    api["manager"].post("/api/v1/investors", json={"name": "Audited", "kind": "bank", "country": "NO"})
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.record_label == "Audited"))
    assert entry.user_id == manager_user.id


def test_a_signed_in_session_may_use_the_api_with_its_csrf_token(manager_client, data):
    assert manager_client.get("/api/v1/investors").status_code == 200
    response = manager_client.post("/api/v1/investors", json={"name": "S", "kind": "bank", "country": "NO"},
                                   csrf=False)
    assert response.status_code == 400 and "csrf" in response.json["errors"]
    response = manager_client.post("/api/v1/investors", json={"name": "S", "kind": "bank", "country": "NO"},
                                   headers={"X-CSRFToken": manager_client.csrf_token()}, csrf=False)
    assert response.status_code == 201


def test_token_requests_need_no_csrf_token(api, data):
    response = api["manager"].post("/api/v1/investors", json={"name": "T", "kind": "bank", "country": "NO"})
    assert response.status_code == 201


def test_unknown_addresses_and_methods_answer_in_json(api, data):
    assert api["viewer"].get("/api/v1/nothing").json["errors"]
    response = api["manager"].put(f"/api/v1/investors/{data['fjord'].id}", json={})
    assert response.status_code == 405 and response.is_json and "PATCH" in response.headers["Allow"]


def test_the_openapi_description_is_served_without_a_token(client, db):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {f"/api/v1/{n}{s}" for n in ("investors", "contacts", "startups", "meetings",
                                                                  "deals", "follow-ups") for s in ("", "/{record_id}")}


def test_the_tokens_page_makes_a_token_once_and_revokes_it(viewer_client, viewer_user, client):
    response = viewer_client.post("/account/tokens/", data={"name": "Board spreadsheet"})
    page = response.get_data(as_text=True)
    plain = page.split('id="new-token">')[1].split("<")[0]
    assert plain.startswith("crm_")
    assert plain not in viewer_client.get("/account/tokens/").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/investors", headers=headers).status_code == 200
    token = _db.session.scalar(select(ApiToken))
    viewer_client.post(f"/account/tokens/{token.id}/revoke")
    assert client.get("/api/v1/investors", headers=headers).status_code == 401


def test_nobody_revokes_another_users_token(viewer_client, manager_user, db):
    record, _plain = create_token(manager_user, "theirs", manager_user)
    _db.session.commit()
    assert viewer_client.post(f"/account/tokens/{record.id}/revoke").status_code == 404
    assert _db.session.get(ApiToken, record.id).revoked_at is None


def test_a_broken_web_address_is_a_message_not_a_server_error(api, manager_client, data):
    """Found by the schema-based test: "http://[" made urlsplit raise inside the shared validator."""
    response = api["manager"].post("/api/v1/investors", json={"name": "X", "kind": "bank", "country": "NO",
                                                              "website": "http://["})
    assert response.status_code == 422 and response.json["errors"]["website"]
    page = manager_client.post("/investors/new", data={"name": "X", "kind": "bank", "country": "NO",
                                                       "status": "prospect", "currency": "NOK", "owner_id": "0",
                                                       "website": "http://["})
    assert page.status_code == 200 and "Enter a web address" in page.get_data(as_text=True)
