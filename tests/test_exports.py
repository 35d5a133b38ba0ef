"""Exports: every list as CSV and XLSX with the list's filters, formula-like cells made plain text, audited."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.models import AuditAction, AuditEntry, InvestorKind
from tests import factories


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, so that Excel reads æ, ø, å"
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.fixture()
def listed(db, manager_user):
    norwegian = factories.make_investor(name="Fjord Kapital", country="NO", kind=InvestorKind.VENTURE_FUND)
    foreign = factories.make_investor(name="=HYPERLINK(\"http://evil.example\")", country="SE",
                                      kind=InvestorKind.BANK, notes="+47 call me", description="@SUM(A1)")
    startup = factories.make_startup(name="Ødegaard Bio", indication="-1+1")
    factories.make_contact(norwegian, name="Kari Nordmann", email="kari@example.com", phone="+4722334455")
    factories.make_meeting(startups=[startup], investors=[norwegian], title="\tTabbed title")
    factories.make_deal(startup, norwegian)
    factories.make_deal(startup, foreign)
    factories.make_follow_up(startup, date(2026, 3, 20), title="=1+1 send the deck", assignee=manager_user)
    db.session.commit()
    return {"norwegian": norwegian, "foreign": foreign, "startup": startup}


def test_investor_csv_keeps_the_list_filters(viewer_client, listed):
    response = viewer_client.get("/exports/investors.csv?origin=foreign&page=3")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'attachment; filename="investors-' in response.headers["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Id", "Name", "Type"]
    assert len(rows) == 1, "only the foreign investor; the page number is not a filter"
    assert rows[0][1] == "'=HYPERLINK(\"http://evil.example\")"


def test_every_list_downloads_as_csv_and_xlsx(viewer_client, listed):
    for name in ("investors", "contacts", "startups", "meetings", "deals", "follow-ups"):
        for fmt in ("csv", "xlsx"):
            response = viewer_client.get(f"/exports/{name}.{fmt}")
            assert response.status_code == 200, (name, fmt)
            rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
            assert len(rows) >= 2, (name, fmt)


def test_xlsx_cells_that_look_like_formulas_are_text(viewer_client, listed):
    rows = _xlsx_rows(viewer_client.get("/exports/investors.xlsx?q=hyperlink"))
    header, row = rows
    values = dict(zip(header, row))
    assert values["Name"] == "'=HYPERLINK(\"http://evil.example\")"
    assert values["Description"] == "'@SUM(A1)"
    assert values["Internal notes"] == "'+47 call me"
    sheet = load_workbook(io.BytesIO(viewer_client.get("/exports/investors.xlsx").get_data())).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_tab_and_minus_starts_are_neutralised_in_every_list(viewer_client, listed):
    startups = dict(zip(*_xlsx_rows(viewer_client.get("/exports/startups.xlsx"))))
    assert startups["Indication"] == "'-1+1"
    assert startups["Name"] == "Ødegaard Bio"
    header, row = _csv_rows(viewer_client.get("/exports/meetings.csv"))
    assert dict(zip(header, row))["Title"] == "'\tTabbed title"
    header, row = _csv_rows(viewer_client.get("/exports/contacts.csv"))
    assert dict(zip(header, row))["Phone"] == "'+47 22 33 44 55"


def test_xlsx_amounts_and_dates_are_typed(viewer_client, listed, db):
    from decimal import Decimal
    factories.make_investor(name="Ticket Fund", ticket_min=Decimal("250000.50"), ticket_max=Decimal("1000000"))
    db.session.commit()
    header, row = _xlsx_rows(viewer_client.get("/exports/investors.xlsx?q=ticket"))
    values = dict(zip(header, row))
    assert values["Ticket from"] == pytest.approx(250000.5)
    assert values["Ticket up to"] == 1000000


def test_deal_export_follows_the_pipeline_filters(viewer_client, listed):
    header, *rows = _csv_rows(viewer_client.get("/exports/deals.csv?origin=foreign"))
    assert [dict(zip(header, r))["Investor"] for r in rows] == ["'=HYPERLINK(\"http://evil.example\")"]
    header, *rows = _csv_rows(viewer_client.get("/exports/deals.csv?stage=committed"))
    assert rows == []


def test_bad_filter_values_are_ignored_as_on_the_list(viewer_client, listed):
    header, *rows = _csv_rows(viewer_client.get("/exports/investors.csv?country=XX&sort=evil"))
    assert len(rows) == 2


def test_an_export_is_recorded_with_its_list_filters_and_row_count(viewer_client, listed, viewer_user, db):
    viewer_client.get("/exports/investors.xlsx?origin=norwegian&kind=venture_fund")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT))
    assert entry.record_type == "investors"
    assert entry.user_id == viewer_user.id
    assert entry.changes == {"format": [None, "xlsx"], "filters": [None, "origin=norwegian&kind=venture_fund&sort=name"],
                             "rows": [None, 1]}


def test_list_pages_link_to_their_exports_with_the_filters(viewer_client, listed):
    page = viewer_client.get("/investors/?origin=foreign").get_data(as_text=True)
    assert "/exports/investors.csv?origin=foreign" in page
    assert "/exports/investors.xlsx?origin=foreign" in page
    for url, name in (("/contacts/", "contacts"), ("/startups/", "startups"), ("/meetings/", "meetings"),
                      ("/deals/table", "deals"), ("/deals/", "deals")):
        assert f"/exports/{name}.csv" in viewer_client.get(url).get_data(as_text=True)


def test_follow_ups_download_by_person_and_status(viewer_client, listed, manager_user, viewer_user, db):
    done = factories.make_follow_up(listed["norwegian"], date(2026, 3, 1), title="Book the room", assignee=viewer_user)
    from crm.followups.services import mark_done
    mark_done(done, viewer_user)
    db.session.commit()
    header, *rows = _csv_rows(viewer_client.get(f"/exports/follow-ups.csv?user={manager_user.id}"))
    assert header[:6] == ["Id", "What to do", "Due", "Whose it is", "About", "Record"]
    assert [row[1:6] for row in rows] == [["'=1+1 send the deck", "2026-03-20", "Manager User", "Startup",
                                          "Ødegaard Bio"]]
    rows = _csv_rows(viewer_client.get("/exports/follow-ups.csv?status=done"))[1:]
    assert [(row[1], row[4], row[5], row[7]) for row in rows] == [("Book the room", "Investor", "Fjord Kapital",
                                                                   "Viewer User")]
    assert len(_csv_rows(viewer_client.get("/exports/follow-ups.csv"))) == 3
    page = viewer_client.get("/follow-ups/").get_data(as_text=True)
    assert f"/exports/follow-ups.csv?user={viewer_user.id}" in page


def test_an_unknown_list_or_format_is_not_found(viewer_client, listed):
    assert viewer_client.get("/exports/users.csv").status_code == 404
    assert viewer_client.get("/exports/investors.pdf").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, listed):
    response = client.get("/exports/investors.csv")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_audit_log_shows_an_export_like_any_entry(admin_client, listed):
    admin_client.get("/exports/startups.csv?q=bio")
    page = admin_client.get("/audit/").get_data(as_text=True)
    assert "Exported" in page and "Startups list" in page and "q=bio" in page
