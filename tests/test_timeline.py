"""Timelines on the startup, investor, contact and deal pages: every kind of event newest first with who and
when, only what is the record's, notes added from the page, pages of ten, and a fixed number of statements."""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from sqlalchemy import func, select

from crm.followups.services import mark_done
from crm.models import DealStage, Note
from crm.sharing.services import record_share_view
from tests import factories
from tests.pages import plain, section, statements
from tests.test_startups import field_errors, page_text

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def timeline(response) -> list[tuple[str, str]]:
    """(kind, text) of each timeline item on the page, top to bottom."""
    part = response.get_data(as_text=True).split('id="timeline-items"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li class="timeline-item timeline-([a-z_]+)[^"]*">(.*?)</li>', part, re.S)
    return [(kind, plain(text).replace(" :", ":")) for kind, text in items]  # plain() puts a space for each tag


@pytest.fixture()
def cast(db, manager_user):
    tobias = factories.make_user(name="Tobias Lie", email="tobias@example.com")
    orn = factories.make_startup(name="Ørn Biologics")
    other = factories.make_startup(name="Årvåk")
    fjord = factories.make_investor(name="Fjordinvest")
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    kari = factories.make_contact(fjord, name="Kari Nordmann", email="kari@fjordinvest.no")
    db.session.commit()
    return dict(manager=manager_user, tobias=tobias, orn=orn, other=other, fjord=fjord, rhein=rhein, kari=kari)


def _orn_history(c, db):
    """A week of work on Ørn with Fjordinvest, one of each kind, and some that is not Ørn's."""
    orn, fjord = c["orn"], c["fjord"]
    follow_up = factories.make_follow_up(orn, ago(days=1).date(), "Send the deck", c["manager"], by=c["manager"])
    follow_up.created_at = ago(days=5)
    deal = factories.make_deal(orn, fjord, at=ago(days=4))
    factories.make_meeting([orn], [fjord], starts_at=ago(days=3), title="Pitch at Fjordinvest",
                           notes="Internal: they liked the tox data")
    factories.move(deal, DealStage.CONTACTED, at=ago(days=2))
    factories.make_profile(orn)
    link, _token = factories.make_share_link(orn, fjord, contact=c["kari"], now=ago(days=2))
    record_share_view(link, "Mozilla/5.0", "203.0.113.7", now=ago(days=1))
    mark_done(follow_up, c["tobias"], now=ago(hours=2))
    factories.make_note(orn, "Kari prefers morning calls", by=c["manager"], at=ago(hours=1))
    factories.make_meeting([orn], [fjord], starts_at=NOW + timedelta(days=2), title="Planned second meeting")
    factories.make_note(c["other"], "Not about Ørn", at=ago(minutes=30))
    factories.make_meeting([c["other"]], [c["rhein"]], starts_at=ago(days=1), title="Årvåk and Rhein")
    db.session.commit()
    return deal


def test_a_startups_timeline_shows_every_kind_newest_first_with_who_and_when(cast, viewer_client, db):
    _orn_history(cast, db)
    page = viewer_client.get(f"/startups/{cast['orn'].id}")

    items = timeline(page)
    assert [kind for kind, _text in items] == [
        "note", "follow_up_done", "share_view", "stage_change", "meeting", "stage_change", "follow_up"]
    text = dict(reversed(items))  # the first of each kind
    assert "Note · Manager User" in text["note"] and "Kari prefers morning calls" in text["note"]
    assert "Follow-up done · Tobias Lie" in text["follow_up_done"] and "Send the deck" in text["follow_up_done"]
    assert ("The profile of Ørn Biologics, through the link for Kari Nordmann, Fjordinvest"
            in text["share_view"])
    assert "Ørn Biologics · Fjordinvest: Identified → Contacted" in text["stage_change"]
    assert "Meeting · logged by Manager User" in text["meeting"] and "Pitch at Fjordinvest (Pitch)" in text["meeting"]
    assert items[-2][1].endswith("added as Identified")
    assert "Follow-up added · Manager User" in text["follow_up"]
    assert f'datetime="{ago(hours=1).isoformat()}"' in page.get_data(as_text=True)
    oslo = format_datetime(ago(hours=1), "short", tzinfo=ZoneInfo("Europe/Oslo"), locale="en")
    assert plain(oslo) in plain(text["note"])
    shown = section(page, "timeline")
    assert "Planned second meeting" not in shown  # planned, not held
    assert "Not about Ørn" not in shown and "Årvåk and Rhein" not in shown
    assert "they liked the tox data" not in shown  # a meeting's notes stay on the meeting


def test_the_investor_contact_and_deal_pages_show_what_is_theirs(viewer_client, cast, db):
    deal = _orn_history(cast, db)
    factories.make_note(cast["kari"], "Kari moves to London in May", at=ago(minutes=10))
    other_deal = factories.make_deal(cast["orn"], cast["rhein"], at=ago(days=1))
    factories.make_meeting([cast["orn"]], [cast["rhein"]], starts_at=ago(hours=5), title="Ørn and Rhein")
    db.session.commit()

    fjord = timeline(viewer_client.get(f"/investors/{cast['fjord'].id}"))
    assert fjord[0] == ("note", fjord[0][1]) and "Kari moves to London in May" in fjord[0][1]  # her note, at her firm
    assert "Ørn and Rhein" not in str(fjord)

    kari = timeline(viewer_client.get(f"/contacts/{cast['kari'].id}"))
    assert [kind for kind, _text in kari] == ["note", "share_view"]  # her note and the link made for her

    on_deal = timeline(viewer_client.get(f"/deals/{deal.id}"))
    assert [kind for kind, _text in on_deal] == ["share_view", "stage_change", "meeting", "stage_change"]
    assert "Ørn and Rhein" not in str(on_deal) and "Rhein" not in str(on_deal)
    assert [kind for kind, _t in timeline(viewer_client.get(f"/deals/{other_deal.id}"))] == ["meeting", "stage_change"]


def test_a_note_added_from_the_page_shows_on_its_timeline_with_its_author(manager_client, cast, db):
    orn = cast["orn"]
    response = manager_client.post(f"/timeline/notes/new?startup_id={orn.id}",
                                   data={"text": "  Ask about the orphan drug designation.  "})
    assert response.status_code == 302
    assert response.location == f"/startups/{orn.id}#timeline"
    page = manager_client.get(f"/startups/{orn.id}")
    assert "Note added." in page_text(page)
    kind, text = timeline(page)[0]
    assert kind == "note" and "Manager User" in text and "Ask about the orphan drug designation." in text


@pytest.mark.parametrize("text,message", [("   ", "Write the note first."),
                                          ("ø" * 5001, "Field cannot be longer than 5000 characters.")])
def test_an_empty_or_too_long_note_is_refused_with_a_message_and_kept(manager_client, cast, db, text, message):
    response = manager_client.post(f"/timeline/notes/new?startup_id={cast['orn'].id}", data={"text": text})
    assert response.status_code == 200
    assert message in field_errors(response, "text")
    assert "About Ørn Biologics" in page_text(response)
    assert db.session.scalar(select(func.count(Note.id))) == 0


def test_a_viewer_reads_the_timeline_but_gets_no_note_form(viewer_client, cast, db):
    factories.make_note(cast["orn"], "Only staff read this")
    db.session.commit()
    page = viewer_client.get(f"/startups/{cast['orn'].id}")
    assert "Only staff read this" in section(page, "timeline")
    assert "/timeline/notes/new" not in page.get_data(as_text=True)


def test_a_long_timeline_comes_in_pages_of_ten_newest_first(viewer_client, cast, db):
    for n in range(25):
        factories.make_note(cast["orn"], f"Note number {n:02d}", at=ago(hours=n))
    db.session.commit()
    url = f"/startups/{cast['orn'].id}"

    first = viewer_client.get(url)
    assert [text.rsplit(" ", 1)[-1] for _k, text in timeline(first)] == [f"{n:02d}" for n in range(10)]
    assert "1–10 of 25" in plain(section(first, "timeline"))
    assert f'href="{url}?page=2#timeline">Older<' in first.get_data(as_text=True)
    last = viewer_client.get(url, query_string={"page": 3})
    assert [text.rsplit(" ", 1)[-1] for _k, text in timeline(last)] == [f"{n:02d}" for n in range(20, 25)]
    assert "Older" not in section(last, "timeline") and "Newer" in section(last, "timeline")
    assert "Nothing has happened yet." in section(viewer_client.get(f"/startups/{cast['other'].id}"), "timeline")


def _rounds(c, db, first: int, last: int) -> None:
    """Rounds ``first`` to ``last - 1`` of: a meeting, a stage change (the deal's creation in round 0), a share-link
    view, an open follow-up and a note, an hour apart, each round a day before the next."""
    from crm.models import Deal, ShareLink
    orn, fjord = c["orn"], c["fjord"]
    if first == 0:
        factories.make_profile(orn)
        factories.make_share_link(orn, fjord, now=ago(days=200))
    link = db.session.scalar(select(ShareLink).where(ShareLink.startup_id == orn.id))
    for n in range(first, last):
        at = lambda hours: ago(days=100 - n, hours=hours)  # noqa: E731
        factories.make_meeting([orn], [fjord], starts_at=at(5), title=f"Meeting {n}")
        if n == 0:
            factories.make_deal(orn, fjord, at=at(4))
        else:
            deal = db.session.scalar(select(Deal).where(Deal.startup_id == orn.id))
            factories.move(deal, DealStage.CONTACTED if n % 2 else DealStage.IDENTIFIED, at=at(4))
        record_share_view(link, "Mozilla/5.0", "203.0.113.9", now=at(3))
        factories.make_follow_up(orn, NOW.date() + timedelta(days=3), f"Follow-up {n}").created_at = at(2)
        factories.make_note(orn, f"Note {n}", at=at(1))
    db.session.commit()


def test_the_timeline_runs_the_same_statements_for_five_items_and_for_fifty(viewer_client, cast, db):
    url = f"/startups/{cast['orn'].id}"
    _rounds(cast, db, 0, 1)
    assert plain(section(viewer_client.get(url), "timeline")).startswith("Timeline 5 ")
    few = statements(viewer_client, url)

    _rounds(cast, db, 1, 10)
    page = viewer_client.get(url)
    assert plain(section(page, "timeline")).startswith("Timeline 50 ")
    assert len(timeline(page)) == 10
    assert statements(viewer_client, url) == few, few


def test_a_persons_notes_and_follow_ups_are_in_their_personal_data_and_lose_their_name_on_erasure(cast, db):
    from crm.contacts import gdpr
    from crm.models import AuditEntry, FollowUp
    kari = cast["kari"]
    note = factories.make_note(kari, "Kari Nordmann prefers English")
    follow_up = factories.make_follow_up(kari, NOW.date(), "Call Kari Nordmann back")
    db.session.commit()
    data = gdpr.personal_data(kari)
    assert [n["text"] for n in data["notes"]] == ["Kari Nordmann prefers English"]
    assert [f["title"] for f in data["follow_ups"]] == ["Call Kari Nordmann back"]

    gdpr.erase_contact(kari, cast["manager"])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Note, note.id).text == "[erased] prefers English"
    assert db.session.get(FollowUp, follow_up.id).title == "Call [erased] back"
    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "follow_ups")).all()
    assert logged and all("Kari Nordmann" not in f"{entry.changes} {entry.record_label}" for entry in logged)
