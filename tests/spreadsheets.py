"""Building the files the import tests upload: CSV in any encoding, XLSX with formulas and merged cells."""
import io
import re
import zipfile

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from crm.extensions import db
from crm.models import ImportBatch


def csv_bytes(rows: list[list], delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(delimiter.join(str(v) for v in row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list], merged: tuple[str, ...] = (), cached: dict[str, str] | None = None) -> bytes:
    """A workbook of ``rows``; ``cached`` gives formula cells the saved result Excel would have written."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    if not cached:
        return out.getvalue()
    source, target = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for cell, value in cached.items():
                    text = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\g<1><v>{value}</v>", text)
                content = text.encode()
            archive.writestr(item, content)
    return target.getvalue()


def upload(client, kind: str, data: bytes, filename: str = "file.csv"):
    # Encoded here, in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "kind": kind,
                                       "file": FileStorage(io.BytesIO(data), filename)})
    return client.post("/imports/", data=body, content_type=f"multipart/form-data; boundary={boundary}", csrf=False)


def latest_batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.query(ImportBatch).order_by(ImportBatch.id.desc()).first()


def check_rows(client, batch_id: int, limit: int = 200):
    """Follow the progress page until the preview is ready; returns the preview page."""
    for _ in range(limit):
        response = client.get(f"/imports/{batch_id}/progress")
        if response.status_code == 302:
            return client.get(response.location)
        assert response.status_code == 200 and b'http-equiv="refresh"' in response.data
    raise AssertionError("the preview did not finish")


def preview(client, kind: str, data: bytes, filename: str = "file.csv", mapping: dict | None = None):
    """Upload, keep (or change) the automatic mapping, check every row: the batch and the preview page."""
    response = upload(client, kind, data, filename)
    assert response.status_code == 302, response.get_data(as_text=True)
    batch = latest_batch()
    form = {f"column_{i}": name for i, name in enumerate(batch.mapping)}
    form.update(mapping or {})
    response = client.post(f"/imports/{batch.id}/columns", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = check_rows(client, batch.id)
    return latest_batch(), page


def commit(client, batch, policy: str = "skip"):
    return client.post(f"/imports/{batch.id}/commit", data={"policy": policy}, follow_redirects=True)
