import pytest
from tests.spreadsheets import *
from crm.models import Investor
def test_smoke(manager_client, db):
    data = csv_bytes([["Navn", "Type", "Land", "Org.nr."], ["Fjord Kapital AS", "Venturefond", "Norge", "923609016"], ["Bad", "xx", "Narnia", ""]])
    batch, page = preview(manager_client, "investors", data)
    print(batch.mapping, batch.counts)
    print(page.get_data(as_text=True)[-3000:])
    r = commit(manager_client, batch)
    print(r.get_data(as_text=True)[-2500:])
    print(db.session.query(Investor).all())
