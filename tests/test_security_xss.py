"""Stored cross-site scripting: markup written into every free-text field of every kind of record comes back
escaped on every page that shows it; files and JSON are served as what they are, never as HTML; exports
neutralise formulas; ``javascript:`` addresses are refused where a field takes a web address.

PAGES lists every GET page of the app with what it must show; a GET route with neither an entry there nor
a written exemption in NOT_FETCHED makes test_every_get_page_is_in_the_table fail.
"""
import csv
import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from crm.api.tokens import create_token
from crm.extensions import db
from crm.imports.services import create_batch
from crm.models import DealStage, ImportBatch, InvestorKind, ProfileField, RoundKind, TherapeuticArea
from crm.trash.services import move_to_trash
from tests import factories
from tests.conftest import sign_in
from tests.security import STATIC_ENDPOINTS
from tests.spreadsheets import check_rows
from tests.test_startups import field_errors


def payload(tag: str) -> str:
    """Markup that would run if it reached a page unescaped, in a text or in an attribute."""
    return f'<script>alert("{tag}")</script>"><img src=x onerror=alert("{tag}")>'


# What may never appear in an HTML page: the payload's markup, unescaped.
RAW = ("<script>alert(", "<img src=x")
ESCAPED = "&lt;script&gt;alert("
FORMULA = '=HYPERLINK("https://evil.example","Click")'


def build(admin_user, viewer_user):
    """One record of every kind, each free-text field holding a payload named after it; returns their ids."""
    staff = factories.make_user(role="manager", email="staff@example.com", name=payload("user.name"))
    investor = factories.make_investor(
        name=payload("investor.name"), kind=InvestorKind.VENTURE_FUND, description=payload("investor.description"),
        notes=payload("investor.notes"), website='https://fund.example.com/"><script>alert("investor.website")',
        focus_areas=[TherapeuticArea.SOLID_TUMOURS.value], owner_id=staff.id)
    duplicate = factories.make_investor(name=payload("investor.name") + " AS")
    formula = factories.make_investor(name=FORMULA, description="+SUM(1,1)", notes="@cmd")
    trashed = factories.make_investor(name=payload("trashed.name"))
    contact = factories.make_contact(investor, name=payload("contact.name"), title=payload("contact.title"),
                                     notes=payload("contact.notes"), source=payload("contact.source"),
                                     email="person@example.com")
    startup = factories.make_startup(
        name=payload("startup.name"), indication=payload("startup.indication"), pitch=payload("startup.pitch"),
        team=payload("startup.team"), notes=payload("startup.notes"), round_kind=RoundKind.SEED,
        website='https://startup.example.com/"><script>alert("startup.website")')
    founder = factories.make_contact(startup, name=payload("founder.name"), title=payload("founder.title"))
    event = factories.make_event(name=payload("event.name"), place=payload("event.place"), startups=[startup],
                                 investors=[investor])
    meeting = factories.make_meeting(
        startups=[startup], investors=[investor], contacts=[contact], event=event,
        starts_at=datetime(2026, 3, 16, 9, 0, tzinfo=timezone.utc), title=payload("meeting.title"),
        location=payload("meeting.location"), notes=payload("meeting.notes"), outcome=payload("meeting.outcome"),
        next_steps=payload("meeting.next_steps"), follow_up_on=date(2026, 3, 20),
        follow_up_title=payload("meeting.follow_up_title"))
    deal = factories.make_deal(startup, investor, notes=payload("deal.notes"), owner_id=staff.id)
    passed = factories.make_deal(startup, duplicate, stage=DealStage.CONTACTED)
    factories.move(passed, DealStage.PASSED, reason="other", reason_text=payload("deal.pass_reason_text"))
    follow_up = factories.make_follow_up(deal, date(2026, 3, 20), title=payload("follow_up.title"), assignee=staff)
    for record in (startup, investor, contact, deal):
        factories.make_note(record, payload(f"note.{record.__tablename__}"))
    factories.make_profile(startup, public=tuple(ProfileField), tagline=payload("profile.tagline"), contact=founder)
    item = factories.make_item(startup, title=payload("item.title"), text=payload("item.text"),
                               url='https://dataroom.example.com/"><script>alert("item.url")')
    agreement = factories.make_agreement(investor, startup)
    link, token = factories.make_share_link(startup, investor, contact, label=payload("link.label"))
    rate = factories.make_rate("EUR", "11.50")
    batch = create_batch("investors", payload("import.filename") + ".csv",
                         ("Name;Type;Country;Notes\r\n" + f"{payload('import.cell')};Bank;NO;{FORMULA}\r\n")
                         .encode(), 10, admin_user)
    create_token(viewer_user, payload("token.name")[:100], viewer_user)
    db.session.commit()
    move_to_trash(trashed, admin_user)
    db.session.commit()
    from crm.calendar.services import create_feed
    _feed, feed_token = create_feed(admin_user, admin_user)
    db.session.commit()
    return {"investor_id": investor.id, "startup_id": startup.id, "contact_id": contact.id, "meeting_id": meeting.id,
            "deal_id": deal.id, "follow_up_id": follow_up.id, "event_id": event.id, "item_id": item.id,
            "agreement_id": agreement.id, "link_id": link.id, "token": token, "rate_id": rate.id,
            "batch_id": batch.id, "user_id": staff.id, "kept_id": investor.id, "other_id": duplicate.id,
            "feed_token": feed_token, "formula_id": formula.id}


HTML, JSON, CSV, XLSX, ICS = "html", "json", "csv", "xlsx", "ics"

# (endpoint, url, what it is, must it show a payload). Read by a signed-in admin, the share page by anyone.
PAGES = [
    ("dashboard.index", "/", HTML, True),
    ("dashboard.index", "/?date_from=2026-01-01&date_to=2026-12-31", HTML, True),
    ("dashboard.csv", "/dashboard.csv", CSV, False),  # figures only
    ("investors.index", "/investors/", HTML, True),
    ("investors.index", "/investors/?q=script", HTML, True),  # search results
    ("investors.index", "/investors/?sort=-name&focus=solid_tumours", HTML, True),
    ("investors.detail", "/investors/{investor_id}", HTML, True),
    ("investors.edit", "/investors/{investor_id}/edit", HTML, True),
    ("investors.delete", "/investors/{investor_id}/delete", HTML, True),
    ("investors.new", "/investors/new", HTML, False),
    ("contacts.index", "/contacts/", HTML, True),
    ("contacts.index", "/contacts/?q=script", HTML, True),
    ("contacts.detail", "/contacts/{contact_id}", HTML, True),
    ("contacts.edit", "/contacts/{contact_id}/edit", HTML, True),
    ("contacts.delete", "/contacts/{contact_id}/delete", HTML, True),
    ("contacts.new", "/contacts/new?investor_id={investor_id}", HTML, True),
    ("contacts.erase", "/contacts/{contact_id}/erase", HTML, True),
    ("contacts.personal_data", "/contacts/{contact_id}/personal-data", HTML, True),
    ("contacts.personal_data_json", "/contacts/{contact_id}/personal-data.json", JSON, True),
    ("contacts.retention", "/contacts/retention", HTML, False),
    ("startups.index", "/startups/", HTML, True),
    ("startups.index", "/startups/?q=script", HTML, True),
    ("startups.detail", "/startups/{startup_id}", HTML, True),
    ("startups.edit", "/startups/{startup_id}/edit", HTML, True),
    ("startups.delete", "/startups/{startup_id}/delete", HTML, True),
    ("startups.new", "/startups/new", HTML, False),
    ("matching.suggestions", "/startups/{startup_id}/matches", HTML, True),
    ("sharing.profile", "/startups/{startup_id}/profile", HTML, True),
    ("sharing.preview", "/startups/{startup_id}/profile/preview", HTML, True),
    ("sharing.preview", "/startups/{startup_id}/profile/preview?confidential=1", HTML, True),
    ("sharing.new_item", "/startups/{startup_id}/profile/items/new", HTML, True),
    ("sharing.delete_item", "/startups/{startup_id}/profile/items/{item_id}/delete", HTML, True),
    ("sharing.new_link", "/startups/{startup_id}/links/new", HTML, True),
    ("sharing.new_agreement", "/investors/{investor_id}/agreements/new", HTML, True),
    ("sharing.delete_agreement", "/investors/{investor_id}/agreements/{agreement_id}/delete", HTML, True),
    ("public.profile", "/s/{token}", HTML, True),  # the share page, as the outside reader opens it
    ("meetings.index", "/meetings/", HTML, True),
    ("meetings.index", "/meetings/?q=script", HTML, True),
    ("meetings.detail", "/meetings/{meeting_id}", HTML, True),
    ("meetings.edit", "/meetings/{meeting_id}/edit", HTML, True),
    ("meetings.delete", "/meetings/{meeting_id}/delete", HTML, True),
    ("meetings.new", "/meetings/new?startup_id={startup_id}", HTML, True),
    ("meetings.import_invitation", "/meetings/import", HTML, False),
    ("calendar.meeting_ics", "/calendar/meetings/{meeting_id}.ics", ICS, True),
    ("calendar.settings", "/calendar/", HTML, False),
    ("calendar.feed", "/calendar/feed/{feed_token}.ics", ICS, False),
    ("deals.index", "/deals/", HTML, True),  # the pipeline board
    ("deals.table", "/deals/table", HTML, True),
    ("deals.table", "/deals/table?stage=passed", HTML, True),
    ("deals.detail", "/deals/{deal_id}", HTML, True),
    ("deals.edit", "/deals/{deal_id}/edit", HTML, True),
    ("deals.move", "/deals/{deal_id}/move", HTML, True),
    ("deals.delete", "/deals/{deal_id}/delete", HTML, True),
    ("deals.new", "/deals/new?startup_id={startup_id}", HTML, True),
    ("deals.add_investors", "/deals/startup/{startup_id}/add", HTML, True),
    ("deals.add_startups", "/deals/investor/{investor_id}/add", HTML, True),
    ("followups.index", "/follow-ups/", HTML, True),
    ("followups.index", "/follow-ups/?user=all", HTML, True),
    ("followups.edit", "/follow-ups/{follow_up_id}/edit", HTML, True),
    ("followups.delete", "/follow-ups/{follow_up_id}/delete", HTML, True),
    ("followups.new", "/follow-ups/new?deal_id={deal_id}", HTML, True),
    ("timeline.new_note", "/timeline/notes/new?startup_id={startup_id}", HTML, True),
    ("events.index", "/events/", HTML, True),
    ("events.detail", "/events/{event_id}", HTML, True),
    ("events.edit", "/events/{event_id}/edit", HTML, True),
    ("events.delete", "/events/{event_id}/delete", HTML, True),
    ("events.new", "/events/new", HTML, True),
    ("audit.index", "/audit/", HTML, True),
    ("audit.index", "/audit/?q=script", HTML, True),
    ("search.index", "/search?q=script", HTML, True),
    ("trash.index", "/trash/", HTML, True),
    ("merge.index", "/duplicates/", HTML, True),
    ("merge.merge", "/duplicates/investors/{kept_id}/{other_id}", HTML, True),
    ("imports.index", "/imports/", HTML, True),
    ("imports.columns", "/imports/{batch_id}/columns", HTML, True),
    ("imports.progress", "/imports/{batch_id}/progress", HTML, True),  # done: on to the preview
    ("imports.detail", "/imports/{batch_id}", HTML, True),
    ("exports.download", "/exports/investors.csv", CSV, True),
    ("exports.download", "/exports/investors.xlsx", XLSX, True),
    ("exports.download", "/exports/contacts.csv", CSV, True),
    ("exports.download", "/exports/contacts.xlsx", XLSX, True),
    ("exports.download", "/exports/startups.csv", CSV, True),
    ("exports.download", "/exports/startups.xlsx", XLSX, True),
    ("exports.download", "/exports/meetings.csv", CSV, True),
    ("exports.download", "/exports/meetings.xlsx", XLSX, True),
    ("exports.download", "/exports/deals.csv", CSV, True),
    ("exports.download", "/exports/deals.xlsx", XLSX, True),
    ("exports.download", "/exports/follow-ups.csv", CSV, True),
    ("exports.download", "/exports/follow-ups.xlsx", XLSX, True),
    ("api.collection", "/api/v1/investors", JSON, True),
    ("api.collection", "/api/v1/meetings", JSON, True),
    ("api.read", "/api/v1/startups/{startup_id}", JSON, True),
    ("api.read", "/api/v1/deals/{deal_id}", JSON, True),
    ("api.read", "/api/v1/follow-ups/{follow_up_id}", JSON, True),
    ("api.openapi", "/api/v1/openapi.json", JSON, False),
    ("tokens.index", "/account/tokens/", HTML, False),  # the viewer's token; the admin sees their own
    ("users.index", "/users/", HTML, True),
    ("users.edit", "/users/{user_id}/edit", HTML, True),
    ("users.password", "/users/{user_id}/password", HTML, False),
    ("users.new", "/users/new", HTML, False),
    ("users.security", "/users/security", HTML, False),
    ("rates.index", "/rates/", HTML, False),
    ("auth.password", "/auth/password", HTML, False),
    ("auth.two_factor", "/auth/two-factor", HTML, False),
    ("auth.confirm", "/auth/confirm", HTML, False),
]

# GET routes not fetched above, and why.
NOT_FETCHED = {
    "auth.login": "shows no stored record; a signed-in user is sent on to the dashboard",
    "auth.login_code": "shows no stored record; only reachable half-way through a sign-in",
}


def test_every_get_page_is_in_the_table(app):
    gets = {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in STATIC_ENDPOINTS}
    listed = {endpoint for endpoint, *_rest in PAGES}
    assert gets - listed - set(NOT_FETCHED) == set(), "GET pages without an entry in PAGES or NOT_FETCHED"
    assert (listed | set(NOT_FETCHED)) - gets == set(), "entries for routes that no longer exist"


def _problems(response, kind, shows) -> list[str]:
    """What is wrong with one answer: markup unescaped, the wrong type, a file shown inline, no payload."""
    found = []
    mimetype = response.mimetype
    if kind == HTML:
        body = response.get_data(as_text=True)
        found += [f"unescaped {raw!r}" for raw in RAW if raw in body]
        found += ["a javascript: link"] if 'href="javascript:' in body.lower() else []
        if mimetype != "text/html":
            found.append(f"type {mimetype}")
        if shows and ESCAPED not in body:
            found.append("no payload shown: the page cannot show that it escapes it")
        return found
    if "html" in mimetype:
        found.append(f"a {kind} answer served as {mimetype}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no nosniff")
    if kind == JSON:
        found += [] if mimetype == "application/json" else [f"type {mimetype}"]
        text = response.get_data(as_text=True)
        if shows and "alert(" not in text:
            found.append("no payload in the JSON")
    if kind in (CSV, XLSX):
        if not response.headers.get("Content-Disposition", "").startswith("attachment"):
            found.append("not an attachment")
        cells = _cells(response, kind)
        if shows and not any("alert(" in cell for cell in cells):
            found.append("no payload in the file")
        found += [f"formula not neutralised: {cell!r}" for cell in cells
                  if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell)]
    if kind == ICS:
        found += [] if mimetype == "text/calendar" else [f"type {mimetype}"]
        if shows and "alert(" not in response.get_data(as_text=True):
            found.append("no payload in the calendar file")
    return found


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _cells(response, kind) -> list[str]:
    if kind == CSV:
        return [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
                for cell in row]
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    try:
        return [str(value) for row in book.worksheets[0].iter_rows(values_only=True) for value in row
                if isinstance(value, str)]
    finally:
        book.close()


def test_markup_in_every_field_comes_back_escaped_on_every_page(app, db, admin_user, viewer_user):
    ids = build(admin_user, viewer_user)
    admin = sign_in(app.test_client(), admin_user)
    batch = db.session.get(ImportBatch, ids["batch_id"])
    admin.post(f"/imports/{batch.id}/columns", data={f"column_{i}": name for i, name in enumerate(batch.mapping)})
    check_rows(admin, batch.id)  # the import's preview, with the file's rows
    outsider = app.test_client()
    problems = {}
    for endpoint, url, kind, shows in PAGES:
        url = url.format(**ids)
        client = outsider if endpoint == "public.profile" else admin
        response = client.get(url)
        if response.status_code == 302 and response.location.startswith("/"):
            response = client.get(response.location)
        if response.status_code != 200:
            problems[url] = [f"status {response.status_code}"]
            continue
        found = _problems(response, kind, shows)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_exports_turn_a_formula_into_text(app, db, admin_user, viewer_user):
    build(admin_user, viewer_user)
    admin = sign_in(app.test_client(), admin_user)
    for fmt in (CSV, XLSX):
        cells = _cells(admin.get(f"/exports/investors.{fmt}"), fmt)
        assert "'" + FORMULA in cells and "'+SUM(1,1)" in cells and "'@cmd" in cells
        assert FORMULA not in cells


# --- web addresses --------------------------------------------------------------------------------------

SCRIPT_ADDRESSES = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
                    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                    "javascript://example.com/%0Aalert(1)"]


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_a_script_address_is_refused_in_every_web_address_field(db, manager_client, address):
    startup = factories.make_startup(name="Address Startup")
    db.session.commit()
    forms = [
        ("/investors/new", {"name": "Address Capital", "kind": "bank", "country": "NO", "website": address},
         "website"),
        ("/startups/new", {"name": "Address Bio", "incubator_status": "incubatee",
                           "therapeutic_area": "solid_tumours", "modality": "small_molecule",
                           "development_stage": "preclinical", "website": address}, "website"),
        (f"/startups/{startup.id}/profile/items/new", {"kind": "deck", "title": "Deck", "url": address}, "url"),
    ]
    for url, data, field in forms:
        response = manager_client.post(url, data=data)
        assert response.status_code == 200, url
        assert "Enter a web address" in field_errors(response, field), url


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES[:3])
def test_the_api_refuses_a_script_address_too(app, db, manager_user, address):
    _row, secret = create_token(manager_user, "ci", manager_user)
    db.session.commit()
    response = app.test_client().open("/api/v1/investors", method="POST",
                                      headers={"Authorization": f"Bearer {secret}"},
                                      json={"name": "Api Address AS", "kind": "bank", "country": "NO",
                                            "website": address})
    assert response.status_code == 422
    assert "website" in response.get_json()["errors"]
