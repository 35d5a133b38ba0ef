"""Two saves of one record at the same moment (two workers, two database sessions): the version check in the
UPDATE itself refuses the later one, on SQLite and on PostgreSQL alike.

The per-feature tests cover the usual case, a save from a form loaded before somebody else's save; there the
service sees the old version and refuses before writing. Here both saves pass that check, and only the
database's ``WHERE version = ...`` can tell: the other person's save is let in just after this one's check.
"""
import pytest
from sqlalchemy import select

import crm.contacts.services
import crm.investors.services
import crm.meetings.services
import crm.startups.services
from crm.models import AuditAction, AuditEntry, Contact, Investor, Meeting, Startup
from tests import factories
from tests.conftest import PASSWORD, sign_in
from tests.test_startups import browser_form, page_text

SAME_MOMENT = "Somebody else saved this record at the same moment. Check it and save again."


def _investor():
    return factories.make_investor(name="Fjordinvest")


def _startup():
    return factories.make_startup(name="Årvåk Bio")


def _contact():
    return factories.make_contact(factories.make_investor(name="Fjordinvest"), name="Kari Nordmann", title="Partner")


def _meeting():
    return factories.make_meeting(startups=[factories.make_startup(name="Årvåk Bio")], title="Pitch")


KINDS = {
    "investors": (crm.investors.services, Investor, _investor, "name"),
    "startups": (crm.startups.services, Startup, _startup, "name"),
    "contacts": (crm.contacts.services, Contact, _contact, "title"),
    "meetings": (crm.meetings.services, Meeting, _meeting, "title"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_of_two_saves_at_the_same_moment_the_later_is_refused_and_keeps_what_was_typed(app, db, monkeypatch,
                                                                                       manager_user, kind):
    services, model, make, field = KINDS[kind]
    record = make()
    colleague = factories.make_user(role="manager", email="colleague@example.com", password=PASSWORD)
    db.session.commit()
    record_id = record.id
    mine, theirs = sign_in(app.test_client(), manager_user), sign_in(app.test_client(), colleague)
    url = f"/{kind}/{record_id}/edit"
    my_form, their_form = browser_form(mine.get(url), field), browser_form(theirs.get(url), field)
    my_form[field], their_form[field] = ["Mine"], ["Theirs"]

    real_check = services.check_version
    raced = []

    def check_then_let_the_colleague_save(*args, **kwargs):
        real_check(*args, **kwargs)
        if not raced:  # this save passed the check; now the colleague's lands first
            raced.append("racing")
            raced[0] = theirs.post(url, data=their_form).status_code

    monkeypatch.setattr(services, "check_version", check_then_let_the_colleague_save)

    refused = mine.post(url, data=my_form)

    assert raced == [302]
    assert refused.status_code == 200
    assert SAME_MOMENT in page_text(refused)
    again = browser_form(refused, field)
    assert again[field] == ["Mine"]  # what this person typed is still in the form
    db.session.expire_all()
    assert getattr(db.session.get(model, record_id), field) == "Theirs"
    updates = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == kind,
                                                          AuditEntry.record_id == record_id,
                                                          AuditEntry.action == AuditAction.UPDATE))
    assert [e.user_label for e in updates] == ["colleague@example.com"]  # the refused save left no entry

    assert mine.post(url, data=again).status_code == 302  # saving again is a deliberate overwrite
    db.session.expire_all()
    assert getattr(db.session.get(model, record_id), field) == "Mine"
