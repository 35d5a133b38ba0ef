"""Spreadsheet imports: reading every kind of file, mapping, the preview's verdicts, the import's one transaction, undo."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db as _db
from crm.models import (AuditAction, AuditEntry, Contact, ImportRow, ImportStatus, Investor, InvestorKind, RowAction,
                        Startup)
from tests import factories
from tests.conftest import NOW
from tests.spreadsheets import check_rows, commit, csv_bytes, latest_batch, preview, upload, xlsx_bytes

HEADERS_NO = ["Navn", "Type", "Land", "Org.nr.", "Nettside", "E-post"]


def _count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def _verdicts(batch) -> dict[int, RowAction]:
    rows = _db.session.scalars(select(ImportRow).where(ImportRow.batch_id == batch.id).order_by(ImportRow.row_number))
    return {row.row_number: row.action for row in rows}


def _row(batch, number) -> ImportRow:
    return _db.session.scalar(select(ImportRow).where(ImportRow.batch_id == batch.id, ImportRow.row_number == number))


def test_norwegian_headers_are_mapped_and_a_utf8_csv_with_bom_imports(manager_client, db):
    data = csv_bytes([["Navn", "Type", "Land", "Org.nr.", "Nettside", "Billett fra"],
                      ["Fjord Kapital AS", "Venturefond", "Norge", "923 609 016", "fjordkapital.no", "1 500 000"],
                      ["Nordic Pharma Ventures", "Corporate VC", "Sverige", "", "", ""]])
    batch, page = preview(manager_client, "investors", data)
    assert batch.mapping == ["name", "kind", "country", "org_number", "website", "ticket_min"]
    assert batch.counts == {"create": 2}
    assert "Nothing is saved yet" in page.get_data(as_text=True)
    assert _count(Investor) == 0
    result = commit(manager_client, batch)
    assert "2 added, 0 updated" in result.get_data(as_text=True)
    fjord = _db.session.scalar(select(Investor).where(Investor.org_number == "923609016"))
    assert (fjord.kind, fjord.country, fjord.website, fjord.ticket_min) == (
        InvestorKind.VENTURE_FUND, "NO", "https://fjordkapital.no", Decimal("1500000"))
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.IMPORT))
    assert entry.changes["created"] == [None, 2] and entry.record_id == batch.id
    assert _db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == AuditAction.CREATE, AuditEntry.record_type == "investors")) == 2


def test_a_windows_1252_file_keeps_aeoeaa(manager_client, db):
    data = csv_bytes([["Navn", "Type", "Land"], ["Ærlig Øst Ålesund Kapital", "Bank", "Norge"]],
                     encoding="cp1252")
    assert "Æ".encode("cp1252") in data
    batch, _page = preview(manager_client, "investors", data)
    commit(manager_client, batch)
    assert _db.session.scalar(select(Investor.name)) == "Ærlig Øst Ålesund Kapital"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(manager_client, db, delimiter):
    data = csv_bytes([["Name", "Type", "Country"], ["Tab Fund, Oslo", "Bank", "NO"], ["Other", "Bank", "SE"]],
                     delimiter=delimiter, encoding="utf-8") if delimiter != "," else \
        b'Name,Type,Country\r\n"Tab Fund, Oslo",Bank,NO\r\nOther,Bank,SE\r\n'
    batch, _page = preview(manager_client, "investors", data)
    assert batch.counts == {"create": 2}


def test_the_preview_says_why_a_row_is_invalid_with_the_forms_rules(manager_client, db):
    data = csv_bytes([["Name", "Type", "Country", "Organisation number", "Website", "Ticket from", "Ticket up to"],
                      ["Good Fund", "Bank", "NO", "", "", "", ""],
                      ["Bad Number", "Bank", "NO", "123456789", "", "", ""],
                      ["", "Bank", "NO", "", "", "", ""],
                      ["Odd Country", "Bank", "Narnia", "", "", "", ""],
                      ["Odd Ticket", "Bank", "NO", "", "not a site", "lots", ""],
                      ["Upside Down", "Bank", "NO", "", "", "500", "100"],
                      ["Foreign Number", "Bank", "SE", "923609016", "", "", ""]])
    batch, page = preview(manager_client, "investors", data)
    text = page.get_data(as_text=True)
    assert _verdicts(batch) == {2: RowAction.CREATE, **{n: RowAction.INVALID for n in range(3, 9)}}
    for message in ("Enter a valid Norwegian organisation number", "This field is required",
                    "“Narnia” is not a country we know", "Enter a web address", "Enter an amount",
                    "The largest ticket must be at least the smallest",
                    "Only Norwegian investors have a Norwegian organisation number"):
        assert message in text
    commit(manager_client, batch)
    assert [i.name for i in _db.session.scalars(select(Investor))] == ["Good Fund"]


def test_contacts_are_checked_like_the_form_and_attach_to_their_organisation(manager_client, db, manager_user):
    investor = factories.make_investor(name="Fjord Kapital AS", org_number="923609016")
    startup = factories.make_startup(name="Onco Bio")
    _db.session.commit()
    data = csv_bytes([["Navn", "Organisasjon", "E-post", "Telefon", "Behandlingsgrunnlag", "Samtykke gitt"],
                      ["Kari Nordmann", "923609016", "KARI@Example.com", "22 33 44 55", "", ""],
                      ["Ola Hansen", "onco bio", "ola@example.com", "+46 8 123 456 78", "Samtykke", "01.02.2026"],
                      ["Per Feil", "Nobody Inc", "not-an-email", "12", "", ""],
                      ["Siri Samtykke", "Onco Bio", "siri@example.com", "", "consent", ""]])
    batch, page = preview(manager_client, "contacts", data)
    assert _verdicts(batch) == {2: RowAction.CREATE, 3: RowAction.CREATE, 4: RowAction.INVALID,
                                5: RowAction.INVALID}
    text = page.get_data(as_text=True)
    assert "No investor or startup is called “Nobody Inc”" in text and "Enter a valid email address" in text
    assert "Enter the date the person gave consent" in text
    commit(manager_client, batch)
    kari = _db.session.scalar(select(Contact).where(Contact.name == "Kari Nordmann"))
    ola = _db.session.scalar(select(Contact).where(Contact.name == "Ola Hansen"))
    assert (kari.investor_id, kari.email, kari.phone) == (investor.id, "KARI@example.com", "+4722334455")
    assert (ola.startup_id, ola.legal_basis.value, ola.consent_on.isoformat()) == (startup.id, "consent", "2026-02-01")


def test_startups_import_with_norwegian_choice_words(manager_client, db):
    data = csv_bytes([["Navn", "Terapiområde", "Modalitet", "Utviklingsfase", "Runde", "Mål", "Valuta"],
                      ["Celle AS", "Immunonkologi", "Celleterapi", "Fase I", "Såkorn", "10 000 000", "NOK"]])
    batch, _page = preview(manager_client, "startups", data)
    commit(manager_client, batch)
    startup = _db.session.scalar(select(Startup))
    assert (startup.therapeutic_area.value, startup.modality.value, startup.development_stage.value,
            startup.round_kind.value, startup.round_target) == (
        "immuno_oncology", "cell_therapy", "phase_1", "seed", Decimal("10000000"))


def test_xlsx_formulas_are_read_as_their_saved_values_and_merged_cells_fill_their_range(manager_client, db):
    rows = [["Investors to import", None, None, None],
            ["Name", "Type", "Country", "Ticket from"],
            ["Formula Fund", "Bank", "NO", "=1000*2"],
            ["Merged One", "Venture fund", "SE", None],
            ["Merged Two", None, None, None],
            ["Unsaved Formula", "Bank", "NO", "=A1&A2"]]
    data = xlsx_bytes(rows, merged=("A1:D1", "B4:B5", "C4:C5"), cached={"D3": "2000"})
    batch, page = preview(manager_client, "investors", data, filename="investors.xlsx")
    assert batch.headers == ["Name", "Type", "Country", "Ticket from"], "the merged title row above is passed over"
    assert _verdicts(batch) == {3: RowAction.CREATE, 4: RowAction.CREATE, 5: RowAction.CREATE,
                                6: RowAction.INVALID}
    assert "Cell D6 holds a formula without a saved result" in page.get_data(as_text=True)
    commit(manager_client, batch)
    investors = {i.name: i for i in _db.session.scalars(select(Investor))}
    assert investors["Formula Fund"].ticket_min == Decimal("2000")
    assert (investors["Merged Two"].kind, investors["Merged Two"].country) == (InvestorKind.VENTURE_FUND, "SE")


@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "This file is not a spreadsheet"),
    (b"PK\x03\x04" + b"\x00" * 200, "This file is not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "This is an old Excel file (.xls)"),
    (b"", "The file is empty"),
    (bytes(range(256)) * 8, "This file is not a spreadsheet"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(manager_client, db, data, message):
    response = upload(manager_client, "investors", data, "thing.csv")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert latest_batch() is None


def test_a_docx_is_not_a_workbook(manager_client, db):
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(manager_client, "investors", out.getvalue(), "letter.docx")
    assert "This file is not a spreadsheet" in response.get_data(as_text=True)


def test_the_mapping_needs_the_required_fields_once_each(manager_client, db):
    upload(manager_client, "investors", csv_bytes([["A", "B", "C"], ["x", "Bank", "NO"]]))
    batch = latest_batch()
    assert batch.mapping == ["", "", ""]
    response = manager_client.post(f"/imports/{batch.id}/columns", data={"column_0": "name", "column_1": "kind"})
    assert "Choose a column for: Country." in response.get_data(as_text=True)
    response = manager_client.post(f"/imports/{batch.id}/columns",
                                   data={"column_0": "name", "column_1": "name", "column_2": "country"})
    assert "Each field can take one column only: Name." in response.get_data(as_text=True)
    response = manager_client.post(f"/imports/{batch.id}/columns",
                                   data={"column_0": "name", "column_1": "kind", "column_2": "country"})
    assert response.status_code == 302
    assert check_rows(manager_client, batch.id).status_code == 200


def test_progress_is_shown_between_chunks(manager_client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_STEP_SECONDS", 0)
    rows = [["Name", "Type", "Country"]] + [[f"Fund {i}", "Bank", "NO"] for i in range(600)]
    upload(manager_client, "investors", csv_bytes(rows))
    batch = latest_batch()
    manager_client.post(f"/imports/{batch.id}/columns", data={f"column_{i}": n for i, n in enumerate(batch.mapping)})
    page = manager_client.get(f"/imports/{batch.id}/progress")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<meta http-equiv="refresh" content="1">' in text
    assert "250 of 600 rows checked" in text and '<progress class="w-100" max="600" value="250"' in text
    assert check_rows(manager_client, batch.id).status_code == 200
    assert latest_batch().counts == {"create": 600}


def test_a_row_that_fails_at_import_saves_nothing_even_the_rows_before_it(manager_client, db):
    rows = [["Name", "Type", "Country", "Organisation number"],
            ["First Fund", "Bank", "NO", ""], ["Second Fund", "Bank", "NO", ""],
            ["Middle Fund", "Bank", "NO", "923609016"], ["Last Fund", "Bank", "NO", ""]]
    batch, _page = preview(manager_client, "investors", csv_bytes(rows))
    assert batch.counts == {"create": 4}
    factories.make_investor(name="Took The Number Meanwhile", org_number="923609016")  # after the preview
    _db.session.commit()
    response = commit(manager_client, batch)
    assert "already has this organisation number" in response.get_data(as_text=True)
    assert [i.name for i in _db.session.scalars(select(Investor))] == ["Took The Number Meanwhile"]
    assert latest_batch().status is ImportStatus.READY


def test_a_bad_row_in_the_middle_of_a_file_is_left_out_and_named(manager_client, db):
    rows = [["Name", "Type", "Country"], ["Alpha", "Bank", "NO"], ["Beta", "Spaceship", "NO"], ["Gamma", "Bank", "NO"]]
    batch, page = preview(manager_client, "investors", csv_bytes(rows))
    assert _verdicts(batch) == {2: RowAction.CREATE, 3: RowAction.INVALID, 4: RowAction.CREATE}
    assert "“Spaceship” is not one of the choices" in page.get_data(as_text=True)
    assert _count(Investor) == 0, "nothing is written before the user confirms"


@pytest.fixture()
def known(db, manager_user):
    investor = factories.make_investor(name="Fjord Kapital AS", org_number="923609016",
                                       website="https://www.fjordkapital.no/om")
    other = factories.make_investor(name="Bergen Angels", country="NO")
    startup = factories.make_startup(name="Onco Bio")
    contact = factories.make_contact(investor, name="Kari Nordmann", email="kari@fjordkapital.no")
    _db.session.commit()
    return {"investor": investor, "other": other, "startup": startup, "contact": contact}


def test_likely_duplicates_of_every_kind_are_shown_with_their_reason(manager_client, known):
    rows = [["Name", "Type", "Country", "Organisation number", "Website"],
            ["Totally Different", "Bank", "NO", "923609016", ""],
            ["Another Name", "Bank", "NO", "", "http://fjordkapital.no"],
            ["Bergen Angels AS", "Angel network", "NO", "", ""],
            ["Bergen Angles", "Angel network", "NO", "", ""],
            ["Someone New", "Bank", "NO", "", ""],
            ["Twice In File", "Bank", "NO", "974760673", ""],
            ["Twice Again", "Bank", "NO", "974760673", ""]]
    batch, page = preview(manager_client, "investors", csv_bytes(rows))
    assert _verdicts(batch) == {2: RowAction.DUPLICATE, 3: RowAction.DUPLICATE, 4: RowAction.DUPLICATE,
                                5: RowAction.DUPLICATE, 6: RowAction.CREATE, 7: RowAction.CREATE,
                                8: RowAction.INVALID}
    assert _row(batch, 2).messages == {"duplicate": ["Same organisation number"]}
    assert _row(batch, 3).messages == {"duplicate": ["Same website domain"]}
    assert _row(batch, 4).record_id == known["other"].id
    assert _row(batch, 5).messages == {"duplicate": ["Similar name"]}
    assert "Row 7 of this file is the same record" in page.get_data(as_text=True)
    contacts = csv_bytes([["Name", "Organisation", "Email"],
                          ["K. Someone", "Onco Bio", "Kari@FjordKapital.no"],
                          ["Kari Nordman", "Fjord Kapital AS", ""],
                          ["Kari Nordman", "Onco Bio", ""]])
    batch, _page = preview(manager_client, "contacts", contacts)
    assert _verdicts(batch) == {2: RowAction.DUPLICATE, 3: RowAction.DUPLICATE, 4: RowAction.CREATE}
    assert _row(batch, 2).messages == {"duplicate": ["Same email"]}
    startups = csv_bytes([["Name", "Therapeutic area", "Modality", "Development stage"],
                          ["Onco Bio AS", "Solid tumours", "Antibody", "Discovery"]])
    batch, _page = preview(manager_client, "startups", startups)
    assert _verdicts(batch) == {2: RowAction.DUPLICATE}


@pytest.mark.parametrize("policy,expected", [("skip", ("Fjord Kapital AS", 2)), ("update", ("Fjord Kapital AS", 2)),
                                             ("create", ("Fjord Kapital AS", 3))])
def test_the_user_chooses_what_happens_to_duplicates(manager_client, known, policy, expected):
    rows = [["Name", "Type", "Country", "Website", "Description"],
            ["Fjord Kapital", "Bank", "NO", "fjordkapital.no", "From the file"]]
    batch, _page = preview(manager_client, "investors", csv_bytes(rows))
    commit(manager_client, batch, policy)
    investor = _db.session.get(Investor, known["investor"].id)
    assert (investor.name, _count(Investor)) == (expected[0] if policy != "update" else "Fjord Kapital", expected[1])
    assert (investor.description == "From the file") == (policy == "update")
    if policy == "update":
        assert investor.org_number == "923609016", "an update keeps the fields the file leaves out"


def test_an_id_column_updates_that_record(manager_client, known):
    rows = [["Id", "Title", "Phone"], [str(known["contact"].id), "Partner", "22 33 44 55"], ["999999", "X", ""]]
    batch, page = preview(manager_client, "contacts", csv_bytes(rows))
    assert _verdicts(batch) == {2: RowAction.UPDATE, 3: RowAction.INVALID}
    assert "There is no record with the id 999999" in page.get_data(as_text=True)
    commit(manager_client, batch)
    contact = _db.session.get(Contact, known["contact"].id)
    assert (contact.name, contact.title, contact.phone) == ("Kari Nordmann", "Partner", "+4722334455")


def test_an_update_is_refused_when_the_record_changed_after_the_preview(manager_client, known):
    rows = [["Id", "Title"], [str(known["contact"].id), "Partner"]]
    batch, _page = preview(manager_client, "contacts", csv_bytes(rows))
    known["contact"].title = "Changed meanwhile"
    _db.session.commit()
    response = commit(manager_client, batch)
    assert "has changed since the preview" in response.get_data(as_text=True)
    assert _db.session.get(Contact, known["contact"].id).title == "Changed meanwhile"


def _imported(client, known) -> object:
    rows = [["Name", "Type", "Country", "Website", "Description"],
            ["New Fund", "Bank", "SE", "", ""], ["Fjord Kapital", "Bank", "NO", "fjordkapital.no", "From the file"]]
    batch, _page = preview(client, "investors", csv_bytes(rows))
    commit(client, batch, "update")
    return latest_batch()


def test_undo_takes_back_the_whole_import(manager_client, known, clock):
    batch = _imported(manager_client, known)
    assert batch.status is ImportStatus.COMMITTED
    clock(NOW + timedelta(hours=23))
    response = manager_client.post(f"/imports/{batch.id}/undo", follow_redirects=True)
    assert "The import is undone." in response.get_data(as_text=True)
    assert {i.name for i in _db.session.scalars(select(Investor))} == {"Fjord Kapital AS", "Bergen Angels"}
    assert _db.session.get(Investor, known["investor"].id).description is None
    assert latest_batch().status is ImportStatus.UNDONE
    assert _db.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.UNDO_IMPORT)) is not None


def test_undo_is_refused_after_24_hours(manager_client, known, clock):
    batch = _imported(manager_client, known)
    clock(NOW + timedelta(hours=24, minutes=1))
    page = manager_client.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "can be undone for 24 hours" in page and "Undo this import" not in page
    manager_client.post(f"/imports/{batch.id}/undo")
    assert _count(Investor) == 3


@pytest.mark.parametrize("change", ["edit", "trash", "meeting"])
def test_undo_is_refused_after_a_later_change_to_an_imported_record(manager_client, known, clock, change):
    batch = _imported(manager_client, known)
    new = _db.session.scalar(select(Investor).where(Investor.name == "New Fund"))
    if change == "edit":
        new.notes = "Called them"
    elif change == "trash":
        from crm.trash.services import move_to_trash
        move_to_trash(new, None)
    else:
        factories.make_meeting(investors=[new])
    _db.session.commit()
    response = manager_client.post(f"/imports/{batch.id}/undo", follow_redirects=True)
    assert "can no longer be undone" in response.get_data(as_text=True)
    assert latest_batch().status is ImportStatus.COMMITTED


def test_uploads_may_be_larger_than_forms_up_to_their_own_limit(manager_client, db, app, monkeypatch):
    rows = [["Name", "Type", "Country", "Notes"]] + [[f"Fund {i}", "Bank", "NO", "x" * 400] for i in range(6000)]
    data = csv_bytes(rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    assert upload(manager_client, "investors", data).status_code == 302
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100 * 1024)
    assert upload(manager_client, "investors", data[:150 * 1024]).status_code == 413
    assert manager_client.post("/investors/new", data={"name": "x" * (3 * 1024 * 1024)}).status_code == 413


def test_a_file_with_too_many_rows_is_refused(manager_client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    response = upload(manager_client, "investors", csv_bytes([["Name"]] + [[f"F{i}"] for i in range(4)]))
    assert "more than 3 rows" in response.get_data(as_text=True)


def test_an_upload_can_be_discarded_and_a_made_import_cannot(manager_client, known):
    upload(manager_client, "investors", csv_bytes([["Name", "Type", "Country"], ["A", "Bank", "NO"]]))
    batch = latest_batch()
    manager_client.post(f"/imports/{batch.id}/discard")
    assert latest_batch() is None
    batch = _imported(manager_client, known)
    response = manager_client.post(f"/imports/{batch.id}/discard", follow_redirects=True)
    assert "undo it instead" in response.get_data(as_text=True)


@pytest.mark.large
def test_twenty_thousand_rows_import_within_time_and_memory(manager_client, db):
    import resource
    import time
    rows = [["Name", "Type", "Country", "Website", "Ticket from"]]
    rows += [[f"Investor {i} {i * 7919 % 100000}", "Venture fund", "SE" if i % 3 else "NO",
              f"https://fund{i}.example.com", "100000"] for i in range(20000)]
    started, memory = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batch, _page = preview(manager_client, "investors", csv_bytes(rows, delimiter=","))
    commit(manager_client, batch)
    elapsed = time.monotonic() - started
    assert _count(Investor) == 20000
    assert elapsed < 120, f"{elapsed:.0f} s"
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory) / 1024
    assert grown_mb < 400, f"{grown_mb:.0f} MB"
