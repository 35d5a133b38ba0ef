"""The audit log: every change to every record, with who, when and what from what to what; shown on each
record's page and, searchable, to admins; append-only for the app."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, update

from crm.audit.recorder import bind_actor
from crm.common.timeutil import utcnow
from crm.investors.services import InvestorData, create_investor
from crm.models import AuditAction, AuditEntry, Investor, InvestorKind, InvestorStatus
from tests import factories
from tests.conftest import sign_in
from tests.test_investors import Page
from tests.test_startups import browser_form, page_text

MANAGER = "manager@example.com"
ADMIN = "admin@example.com"


def entries(db, record_type: str | None = None, record_id: int | None = None) -> list[AuditEntry]:
    """The audit rows, oldest first."""
    db.session.expire_all()
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == record_id)
    return list(db.session.scalars(stmt))


def audit_count(db) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def created_id(response) -> int:
    assert response.status_code == 302, page_text(response)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


# --- what each kind of record records, through the pages ------------------------------------------

def _investor_form(**changes):
    data = {"name": "Fjord Øst Kapital", "kind": "venture_fund", "status": "active", "country": "NO",
            "org_number": "", "website": "", "ticket_min": "", "ticket_max": "", "currency": "NOK",
            "owner_id": "0", "description": "", "notes": "", "focus_areas": ["solid_tumours"]}
    data.update(changes)
    return data


def _startup_form(**changes):
    data = {"name": "Nordlys Onkologi", "org_number": "", "incubator_status": "incubatee",
            "therapeutic_area": "solid_tumours", "indication": "", "modality": "small_molecule",
            "development_stage": "preclinical", "round_kind": "", "round_target": "", "round_currency": "NOK",
            "website": "", "pitch": "", "team": "", "notes": ""}
    data.update(changes)
    return data


def _create(kind, client, db):
    """Create one record of ``kind`` through its form; return its id and what the form set."""
    if kind == "investors":
        return created_id(client.post("/investors/new", data=_investor_form())), {
            "name": [None, "Fjord Øst Kapital"], "kind": [None, "venture_fund"], "country": [None, "NO"],
            "focus": [None, ["area:solid_tumours"]]}
    if kind == "startups":
        return created_id(client.post("/startups/new", data=_startup_form())), {
            "name": [None, "Nordlys Onkologi"], "modality": [None, "small_molecule"]}
    if kind == "contacts":
        investor = factories.make_investor(name="Fjordinvest")
        db.session.commit()
        response = client.post(f"/contacts/new?investor_id={investor.id}", data={
            "name": "Kari Nordmann", "title": "Partner", "email": "kari@fjordinvest.no", "phone": "", "notes": "",
            "source": "BIO-Europe 2026", "legal_basis": "legitimate_interest", "consent_on": ""})
        assert response.status_code == 302
        contact_id = db.session.scalar(select(func.max(AuditEntry.record_id)).where(
            AuditEntry.record_type == "contacts"))
        return contact_id, {"name": [None, "Kari Nordmann"], "email": [None, "kari@fjordinvest.no"],
                            "investor_id": [None, investor.id], "source": [None, "BIO-Europe 2026"]}
    startup = factories.make_startup(name="Årvåk Bio")
    db.session.commit()
    response = client.post("/meetings/new", data={
        "starts_at": "2026-06-15T10:00", "duration_minutes": "60", "kind": "pitch", "title": "Pitch i Oslo",
        "location": "", "notes": "", "outcome": "", "next_steps": "", "follow_up_on": "",
        "startup_ids": [str(startup.id)]})
    return created_id(response), {"title": [None, "Pitch i Oslo"], "kind": [None, "pitch"],
                                  "startups": [None, ["Årvåk Bio"]]}


EDITS = {
    "investors": ("name", "Fjord Øst Kapital", "Fjord Øst Kapital II"),
    "startups": ("name", "Nordlys Onkologi", "Nordlys Onkologi AS"),
    "contacts": ("title", "Partner", "Managing Partner"),
    "meetings": ("title", "Pitch i Oslo", "Pitch på Aker"),
}


@pytest.mark.parametrize("kind", ["investors", "startups", "contacts", "meetings"])
def test_create_edit_delete_restore_and_purge_are_each_recorded_with_who_when_and_what(
        db, app, manager_client, admin_user, kind):
    before = utcnow()
    record_id, created = _create(kind, manager_client, db)
    field, old, new = EDITS[kind]
    form = browser_form(manager_client.get(f"/{kind}/{record_id}/edit"), field)
    form[field] = [new]
    assert manager_client.post(f"/{kind}/{record_id}/edit", data=form).status_code == 302
    assert manager_client.post(f"/{kind}/{record_id}/delete").status_code == 302
    assert manager_client.post(f"/trash/{kind}/{record_id}/restore").status_code == 302
    assert manager_client.post(f"/{kind}/{record_id}/delete").status_code == 302
    admin = sign_in(app.test_client(), admin_user)
    assert admin.post("/trash/empty").status_code == 302
    after = utcnow()

    log = entries(db, kind, record_id)

    assert [e.action for e in log] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE,
                                       AuditAction.RESTORE, AuditAction.DELETE, AuditAction.PURGE]
    assert [e.user_label for e in log] == [MANAGER] * 5 + [ADMIN]
    assert all(before <= e.at <= after for e in log)
    for name, change in created.items():
        assert log[0].changes[name] == change, name
    assert log[1].changes == {field: [old, new]}  # only what changed: no version, no updated_at
    assert log[2].changes["deleted_at"][0] is None and log[2].changes["deleted_at"][1]
    assert log[3].changes["deleted_at"][0] and log[3].changes["deleted_at"][1] is None
    assert log[5].changes == {}


def test_meeting_participants_are_recorded_as_lists_of_names(db, manager_client, manager_user):
    orn, arvak = factories.make_startup(name="Ørn Biologics"), factories.make_startup(name="Årvåk")
    fjord, rhein = factories.make_investor(name="Fjordinvest"), factories.make_investor(name="Rhein Capital")
    kari = factories.make_contact(fjord, name="Kari Nordmann")
    db.session.commit()
    meeting_id = created_id(manager_client.post("/meetings/new", data={
        "starts_at": "2026-06-15T10:00", "duration_minutes": "60", "kind": "pitch", "title": "",
        "startup_ids": [str(orn.id)], "investor_ids": [str(fjord.id)], "contact_ids": [str(kari.id)],
        "staff_ids": [str(manager_user.id)]}))

    form = browser_form(manager_client.get(f"/meetings/{meeting_id}/edit"), "startup_ids")
    form["startup_ids"] = [str(orn.id), str(arvak.id)]
    form["investor_ids"] = [str(rhein.id)]
    form["contact_ids"] = []
    assert manager_client.post(f"/meetings/{meeting_id}/edit", data=form).status_code == 302

    created, changed = entries(db, "meetings", meeting_id)
    assert created.changes["startups"] == [None, ["Ørn Biologics"]]
    assert created.changes["investors"] == [None, ["Fjordinvest"]]
    assert created.changes["contacts"] == [None, ["Kari Nordmann"]]
    assert created.changes["staff"] == [None, ["Manager User"]]
    assert changed.changes == {
        "startups": [["Ørn Biologics"], sorted(["Ørn Biologics", "Årvåk"])],
        "investors": [["Fjordinvest"], ["Rhein Capital"]],
        "contacts": [["Kari Nordmann"], []],
    }


def test_investor_focus_areas_are_recorded_as_lists(db, manager_client):
    investor_id = created_id(manager_client.post("/investors/new", data=_investor_form(
        focus_areas=["solid_tumours", "immuno_oncology"], modalities=["antibody"])))
    form = browser_form(manager_client.get(f"/investors/{investor_id}/edit"), "name")
    form["focus_areas"] = ["solid_tumours", "paediatric"]
    assert manager_client.post(f"/investors/{investor_id}/edit", data=form).status_code == 302

    created, changed = entries(db, "investors", investor_id)
    assert created.changes["focus"] == [None, ["area:immuno_oncology", "area:solid_tumours", "modality:antibody"]]
    assert changed.changes == {"focus": [["area:immuno_oncology", "area:solid_tumours", "modality:antibody"],
                                         ["area:paediatric", "area:solid_tumours", "modality:antibody"]]}


def test_saving_a_form_unchanged_records_nothing(db, manager_client):
    investor_id = created_id(manager_client.post("/investors/new", data=_investor_form()))
    form = browser_form(manager_client.get(f"/investors/{investor_id}/edit"), "name")
    assert manager_client.post(f"/investors/{investor_id}/edit", data=form).status_code == 302
    assert [e.action for e in entries(db, "investors", investor_id)] == [AuditAction.CREATE]


def test_contacts_that_go_to_the_trash_with_their_investor_are_recorded_too(db, manager_client):
    investor = factories.make_investor(name="Fjordinvest")
    kari = factories.make_contact(investor, name="Kari Nordmann")
    db.session.commit()
    manager_client.post(f"/investors/{investor.id}/delete")
    manager_client.post(f"/trash/investors/{investor.id}/restore")

    assert [e.action for e in entries(db, "contacts", kari.id)] == [
        AuditAction.CREATE, AuditAction.DELETE, AuditAction.RESTORE]
    assert {e.user_label for e in entries(db, "contacts", kari.id)[1:]} == {MANAGER}


def test_user_accounts_are_recorded_without_passwords(db, admin_client):
    response = admin_client.post("/users/new", data={"name": "Ola Nordmann", "email": "ola@example.com",
                                                     "role": "manager", "password": "a much longer passphrase"})
    assert response.status_code == 302
    user_id = entries(db, "users")[-1].record_id
    admin_client.post(f"/users/{user_id}/edit", data={"name": "Ola Nordmann", "email": "ola@example.com",
                                                      "role": "viewer"})
    admin_client.post(f"/users/{user_id}/active")
    admin_client.post(f"/users/{user_id}/password", data={"password": "another long passphrase",
                                                          "confirm": "another long passphrase"})

    created, role, deactivated, password = entries(db, "users", user_id)
    assert created.action is AuditAction.CREATE and created.user_label == ADMIN
    assert created.changes["email"] == [None, "ola@example.com"]
    assert created.changes["role"] == [None, "manager"]
    assert role.changes == {"role": ["manager", "viewer"]}
    assert deactivated.changes == {"active": [True, False]}
    # A reset is recorded as a change of the password, never with a hash or the password itself.
    assert password.action is AuditAction.UPDATE and password.user_label == ADMIN
    assert password.changes == {"password_hash": ["[hidden]", "[hidden]"]}
    assert created.changes["password_hash"] == [None, "[hidden]"]
    everything = " ".join(str(e.changes) for e in entries(db, "users"))
    assert "passphrase" not in everything and "pbkdf2" not in everything and "scrypt" not in everything


def test_signing_in_records_nothing(db, client, manager_user):
    before = audit_count(db)
    sign_in(client, manager_user)
    client.get("/")
    assert audit_count(db) == before


# --- a record's history on its page ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["investors", "startups", "contacts", "meetings"])
def test_a_records_page_shows_its_history_to_every_role(db, app, manager_client, viewer_user, kind):
    record_id, _created = _create(kind, manager_client, db)
    field, old, new = EDITS[kind]
    form = browser_form(manager_client.get(f"/{kind}/{record_id}/edit"), field)
    form[field] = [new]
    manager_client.post(f"/{kind}/{record_id}/edit", data=form)

    viewer = sign_in(app.test_client(), viewer_user)
    text = Page(viewer.get(f"/{kind}/{record_id}")).text
    history = text.split("History", 1)[1]

    assert "Created" in history and "Changed" in history
    assert MANAGER in history
    assert f"{field.replace('_', ' ').capitalize()}: {old} → {new}" in history
    assert history.index("Changed") < history.index("Created")  # newest first


def test_a_record_without_recorded_changes_says_so(db, viewer_client):
    db.session.execute(delete(AuditEntry.__table__))  # a record from before the log existed
    investor = factories.make_investor(name="Gammel Kapital")
    db.session.execute(delete(AuditEntry.__table__))
    db.session.commit()
    assert "No changes recorded." in Page(viewer_client.get(f"/investors/{investor.id}")).text


# --- the admin's log --------------------------------------------------------------------------------

def _log_labels(response) -> list[str]:
    """The record column of the log's rows, top to bottom."""
    assert response.status_code == 200
    return [row[3] for row in Page(response).rows if len(row) == 5 and row[0] != "When"]


@pytest.fixture()
def logged(db, monkeypatch, admin_user):
    """Changes made at known times, by known users (created with the clock frozen)."""
    def at(moment):
        monkeypatch.setattr("crm.audit.recorder.utcnow", lambda: moment)

    at(datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc))
    manager = factories.make_user(role="manager", email="marte@example.com", name="Marte Sæther")
    db.session.commit()
    at(datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc))
    bind_actor(db.session, manager)
    fjord = factories.make_investor(name="Østlandet Invest")
    db.session.commit()
    at(datetime(2026, 1, 10, 23, 30, tzinfo=timezone.utc))  # 00:30 on the 11th in Oslo
    bind_actor(db.session, admin_user)
    factories.make_startup(name="Åsgard Onkologi")
    db.session.commit()
    at(datetime(2026, 2, 3, 12, 0, tzinfo=timezone.utc))
    fjord.notes = "Ny runde i mars"
    factories.make_investor(name="Bergen Vekst")
    db.session.commit()
    monkeypatch.undo()
    bind_actor(db.session, None)
    return fjord


@pytest.mark.parametrize("query,found", [
    ({}, {"Østlandet Invest", "Åsgard Onkologi", "Bergen Vekst", "Marte Sæther"}),
    ({"q": "ø"}, {"Østlandet Invest"}),
    ({"q": "ØSTLANDET"}, {"Østlandet Invest"}),
    ({"q": "åsgard"}, {"Åsgard Onkologi"}),
    ({"q": "a\u030asgard"}, {"Åsgard Onkologi"}),  # å typed as a + combining ring
    ({"q": "vekst"}, {"Bergen Vekst"}),
    ({"q": "%"}, set()),
    ({"record_type": "startups"}, {"Åsgard Onkologi"}),
    ({"record_type": "users"}, {"Marte Sæther"}),
    ({"action": "update"}, {"Østlandet Invest"}),
    ({"action": "create", "record_type": "investors"}, {"Østlandet Invest", "Bergen Vekst"}),
    ({"user": "marte@"}, {"Østlandet Invest"}),
    ({"user": "ADMIN@example.com"}, {"Åsgard Onkologi", "Østlandet Invest", "Bergen Vekst"}),
    ({"date_from": "2026-01-10", "date_to": "2026-01-10"}, {"Østlandet Invest"}),
    ({"date_from": "2026-01-11", "date_to": "2026-01-11"}, {"Åsgard Onkologi"}),  # Oslo dates
    ({"date_from": "2026-02-01"}, {"Østlandet Invest", "Bergen Vekst"}),
    ({"date_to": "2026-01-31"}, {"Østlandet Invest", "Åsgard Onkologi", "Marte Sæther"}),
    ({"record_type": "nonsense", "action": "nonsense", "date_from": "not a date", "q": "bergen"}, {"Bergen Vekst"}),
])
def test_the_admin_log_filters_by_record_kind_change_user_and_date(logged, admin_client, query, found):
    labels = _log_labels(admin_client.get("/audit/", query_string=query))
    names = {label.split(" · ", 1)[1] for label in labels}
    assert names - {"Admin User"} == found  # the admin's own account was created when the test began
    if not found:
        assert "No entries match." in Page(admin_client.get("/audit/", query_string=query)).text


def test_the_admin_log_shows_who_when_and_the_fields_newest_first(logged, admin_client):
    page = Page(admin_client.get("/audit/", query_string={"q": "Østlandet"}))
    rows = [row for row in page.rows if len(row) == 5 and row[0] != "When"]
    assert [row[2] for row in rows] == ["Changed", "Created"]
    changed, created = rows
    assert changed[1] == ADMIN and created[1] == "marte@example.com"
    assert changed[3] == f"Investors #{logged.id} · Østlandet Invest"
    assert changed[4] == "Notes: — → Ny runde i mars"
    assert "Name: — → Østlandet Invest" in created[4]
    assert "2/3/26" in changed[0] and "1/10/26" in created[0]


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_only_admins_see_the_log(request, logged, role):
    client = request.getfixturevalue(f"{role}_client")
    response = client.get("/audit/", query_string={"q": "Østlandet"})
    assert response.status_code == 403
    assert "Østlandet" not in page_text(response)
    assert "/audit/" not in page_text(client.get("/"))  # and the menu does not offer it


# --- append-only ----------------------------------------------------------------------------------

def _an_entry(db) -> AuditEntry:
    factories.make_investor(name="Fjordinvest")
    db.session.commit()
    return entries(db, "investors")[0]


def test_an_entry_cannot_be_changed_through_the_orm(db):
    entry = _an_entry(db)
    entry.changes = {"name": [None, "Something else"]}
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    assert entries(db, "investors")[0].changes["name"] == [None, "Fjordinvest"]


def test_an_entry_cannot_be_deleted_through_the_orm(db):
    entry = _an_entry(db)
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    assert len(entries(db, "investors")) == 1


@pytest.mark.parametrize("statement", [
    lambda: update(AuditEntry).values(user_label="someone else"),
    lambda: update(AuditEntry).where(AuditEntry.record_type == "investors").values(changes={}),
    lambda: delete(AuditEntry),
    lambda: delete(AuditEntry).where(AuditEntry.record_type == "investors"),
], ids=["update all", "update some", "delete all", "delete some"])
def test_an_orm_bulk_update_or_delete_of_the_log_is_refused(db, statement):
    _an_entry(db)
    with pytest.raises(PermissionError):
        db.session.execute(statement())
    db.session.rollback()
    (entry,) = entries(db, "investors")
    assert entry.user_label == "" and entry.changes["name"] == [None, "Fjordinvest"]


# --- the log commits with the change, or not at all -----------------------------------------------

def test_a_save_that_is_rolled_back_leaves_no_entry(db):
    before = audit_count(db)
    investor = create_investor(InvestorData(name="Fjordinvest", kind=InvestorKind.BANK,
                                            status=InvestorStatus.ACTIVE, country="NO"), None)
    assert investor.id is not None  # flushed: the row and its audit entry were written
    assert audit_count(db) == before + 1
    db.session.rollback()
    assert audit_count(db) == before
    assert db.session.scalar(select(func.count(Investor.id))) == 0


def test_a_save_that_fails_after_writing_leaves_no_entry(db, manager_client, monkeypatch):
    from crm.investors import services

    def create_then_fail(*args, **kwargs):
        services_create(*args, **kwargs)  # the INSERTs and the audit row are written here
        raise RuntimeError("the disk is full")

    services_create = services.create_investor
    monkeypatch.setattr(services, "create_investor", create_then_fail)
    before = audit_count(db)

    response = manager_client.post("/investors/new", data=_investor_form())

    assert response.status_code == 500
    assert audit_count(db) == before
    assert db.session.scalar(select(func.count(Investor.id))) == 0


def test_an_entry_records_the_time_of_the_change_in_utc(db, manager_client):
    before = utcnow() - timedelta(seconds=1)
    investor_id = created_id(manager_client.post("/investors/new", data=_investor_form()))
    (entry,) = entries(db, "investors", investor_id)
    assert entry.at.utcoffset() == timedelta(0)
    assert before <= entry.at <= utcnow()


def test_deal_moves_and_share_links_are_in_the_log(db, admin_client):
    from crm.models import AuditAction, AuditEntry, DealStage
    from sqlalchemy import select

    startup = factories.make_startup(name="Loggført AS")
    investor = factories.make_investor(name="Fjord Logg")
    factories.make_profile(startup)
    deal = factories.make_deal(startup, investor)
    factories.move(deal, DealStage.CONTACTED)
    link, _token = factories.make_share_link(startup, investor)
    db.session.commit()

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type.in_(["deals", "share_links"]))
                                 .order_by(AuditEntry.id)).all()
    deal_entries = [e for e in entries if e.record_type == "deals"]
    assert [e.action for e in deal_entries] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert deal_entries[1].changes["stage"] == ["identified", "contacted"]
    link_entries = [e for e in entries if e.record_type == "share_links"]
    assert [e.action for e in link_entries] == [AuditAction.CREATE]
    assert "token_hash" not in link_entries[0].changes
    page = Page(admin_client.get("/audit/", query_string={"record_type": "deals"}))
    assert "Changed" in page.text and "Stage: identified → contacted" in page.text
    assert "Loggført AS" not in [row[3] for row in page.rows if len(row) == 5 and "Share links" in row[3]]
    assert all("Deals #" in row[3] for row in page.rows if len(row) == 5 and row[0] != "When")
