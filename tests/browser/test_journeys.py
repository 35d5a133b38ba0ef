"""What managers and viewers do all day, clicked through in Chromium against the running app."""
import itertools
import re

import pytest
from playwright.sync_api import expect

from crm.extensions import db
from crm.models import ProfileField
from tests import factories
from tests.browser.conftest import PASSWORD, guarded_context, sign_in

_numbers = itertools.count(1)


def unique(name: str) -> str:
    """Names differ between tests: they share one database."""
    return f"{name} {next(_numbers)}"


def test_signing_in_lands_on_the_dashboard_with_the_users_name(tab):
    page = tab
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
    sign_in(page, "manager")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Manager Person")


def test_a_wrong_password_keeps_the_user_on_the_sign_in_page(tab):
    page = tab
    page.goto("/auth/login")
    page.get_by_label("Email").fill("manager@browser.example")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.get_by_role("alert")).to_be_visible()


def test_a_manager_adds_an_investor_and_then_its_contact(manager_page):
    page, name = manager_page, unique("Fjordkapital Øst")
    page.get_by_role("link", name="Investors").first.click()
    page.get_by_role("link", name="Add investor").first.click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Type", exact=True).select_option(label="Venture fund")
    page.get_by_label("Country", exact=True).select_option(label="Sweden")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator(".alert-success")).to_contain_text(f"Investor {name} added.")

    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Name", exact=True).fill("Åse Ødegård")
    page.get_by_label("Email", exact=True).fill("ase@fjordkapital.example")
    page.get_by_label("Phone", exact=True).fill("+46 8 123 456 78")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Contact Åse Ødegård added to {name}.")
    expect(page.get_by_role("link", name="Åse Ødegård")).to_be_visible()

    # and the navigation's search finds both
    page.get_by_role("searchbox", name="Search investors, contacts and startups").first.fill("ødegård")
    page.get_by_role("searchbox", name="Search investors, contacts and startups").first.press("Enter")
    expect(page.locator("#results-contacts")).to_contain_text("1")
    expect(page.get_by_role("link", name="Åse Ødegård")).to_be_visible()


def test_a_manager_adds_a_startup(manager_page):
    page, name = manager_page, unique("Blåbær Onkologi")
    page.get_by_role("link", name="Startups").first.click()
    page.get_by_role("link", name="Add startup").first.click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Therapeutic area", exact=True).select_option(label="Haematological cancers")
    page.get_by_label("Modality", exact=True).select_option(label="Antibody")
    page.get_by_label("Development stage", exact=True).select_option(label="Preclinical")
    page.get_by_label("Current round", exact=True).select_option(label="Seed")
    page.get_by_label("Round target", exact=True).fill("15 000 000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("Antibody")


def test_a_manager_logs_a_meeting_with_two_investors(live_server, manager_page):
    startup_name, first, second = unique("Meeting Startup"), unique("Nordic Angels"), unique("Helse Ventures")
    with live_server.data():
        factories.make_startup(name=startup_name)
        factories.make_investor(name=first)
        factories.make_investor(name=second, country="DK")
        db.session.commit()
    page = manager_page
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Log meeting").first.click()
    page.get_by_label("Date and time").fill("2026-03-10T09:30")
    page.get_by_label("Kind", exact=True).select_option(label="Pitch")
    page.get_by_label("Startups", exact=True).select_option(label=startup_name)
    page.get_by_label("Investors", exact=True).select_option(label=[first, second])
    page.get_by_label("Outcome", exact=True).fill("Both want the data room.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("link", name=first)).to_be_visible()
    expect(main.get_by_role("link", name=second)).to_be_visible()
    expect(main).to_contain_text("Both want the data room.")


def _card(page, stage: str, startup: str):
    return page.locator(f"#column-{stage} .deal-card", has_text=startup)


def test_a_manager_adds_a_deal_and_moves_it_by_dragging_and_by_the_keyboard(live_server, manager_page):
    startup_name, investor_name = unique("Pipeline Startup"), unique("Pipeline Fund")
    with live_server.data():
        factories.make_startup(name=startup_name)
        factories.make_investor(name=investor_name)
        db.session.commit()
    page = manager_page
    page.get_by_role("link", name="Pipeline").first.click()
    page.get_by_role("link", name="Add deal").first.click()
    page.get_by_label("Startup", exact=True).select_option(label=startup_name)
    page.get_by_label("Investor", exact=True).select_option(label=investor_name)
    page.get_by_label("Round", exact=True).select_option(label="Seed")
    page.get_by_label("Expected amount", exact=True).fill("2 000 000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Deal added: {startup_name} and {investor_name}.")

    page.get_by_role("link", name="Pipeline").first.click()
    card = _card(page, "identified", startup_name)
    expect(card).to_be_visible()

    # by mouse: drag the card onto the next column
    card.drag_to(page.locator("#column-contacted"))
    expect(page.locator(".alert-success")).to_contain_text("moved to Contacted")
    expect(_card(page, "contacted", startup_name)).to_be_visible()
    expect(_card(page, "identified", startup_name)).to_have_count(0)

    # by keyboard: the moved card has the focus again; the right arrow moves it one column on
    moved = _card(page, "contacted", startup_name)
    expect(moved).to_be_focused()
    moved.press("ArrowRight")
    expect(page.locator(".alert-success")).to_contain_text("moved to Meeting held")
    expect(_card(page, "meeting_held", startup_name)).to_be_focused()
    expect(page.locator("#board-status")).to_contain_text("moved to Meeting held")
    _card(page, "meeting_held", startup_name).press("ArrowLeft")
    expect(_card(page, "contacted", startup_name)).to_be_visible()

    # the deal's history has every move, as for the form without JavaScript
    page.locator("#column-contacted").get_by_role("link", name=startup_name).click()
    history = page.locator("main")
    expect(history).to_contain_text("Meeting held")
    expect(history).to_contain_text("Contacted")


def test_dragging_a_card_to_committed_asks_for_the_amount(live_server, open_context):
    startup_name, investor_name = unique("Commit Startup"), unique("Commit Fund")
    with live_server.data():
        startup = factories.make_startup(name=startup_name)
        factories.make_deal(startup, factories.make_investor(name=investor_name))
        db.session.commit()
    # a projector-wide screen, so that the committed column is in view without scrolling mid-drag
    page = sign_in(open_context(viewport={"width": 2200, "height": 1000}).new_page(), "manager")
    page.goto("/deals/")
    _card(page, "identified", startup_name).drag_to(page.locator("#column-committed"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Move the deal of {startup_name}")
    expect(page.get_by_label("Stage", exact=True)).to_have_value("committed")
    page.get_by_label("Committed amount").fill("500 000")
    page.get_by_role("button", name="Move").click()
    expect(page.locator(".alert-success")).to_contain_text("moved to Committed")


def test_the_board_moves_cards_without_javascript(live_server, open_context):
    startup_name = unique("No Script Startup")
    with live_server.data():
        startup = factories.make_startup(name=startup_name)
        factories.make_deal(startup, factories.make_investor(name=unique("No Script Fund")))
        db.session.commit()
    page = sign_in(open_context(java_script_enabled=False).new_page(), "manager")
    page.goto("/deals/")
    card = _card(page, "identified", startup_name)
    card.get_by_label(re.compile("Move the deal of")).select_option(label="Term sheet")
    card.get_by_role("button", name="Move").click()
    expect(_card(page, "term_sheet", startup_name)).to_be_visible()


def test_a_share_link_opens_signed_out_and_shows_revoked_once_revoked(live_server, manager_page, open_context):
    startup_name, investor_name = unique("Shared Startup"), unique("Reader Fund")
    with live_server.data():
        startup = factories.make_startup(name=startup_name, pitch="We find tumours early.")
        factories.make_profile(startup, public=(ProfileField.NAME, ProfileField.PITCH))
        factories.make_investor(name=investor_name)
        db.session.commit()
        startup_id = startup.id
    page = manager_page
    page.goto(f"/startups/{startup_id}")
    page.get_by_role("link", name="Share link").click()
    page.get_by_label("Investor", exact=True).select_option(label=investor_name)
    page.get_by_role("button", name=re.compile("Create|Make|Save")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Link created")
    address = page.get_by_label("Address of the link").input_value()
    assert address.startswith(live_server.url + "/s/")

    reader = open_context().new_page()  # a fresh browser, signed out
    reader.goto(address)
    expect(reader.get_by_role("heading", level=1)).to_contain_text(startup_name)
    expect(reader.locator("body")).to_contain_text("We find tumours early.")
    expect(reader.get_by_role("navigation", name="Main navigation")).to_have_count(0)

    page.get_by_role("link", name="Done").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#public-profile").get_by_role("button", name="Revoke").click()
    expect(page.locator(".alert-success")).to_contain_text("The link is revoked")

    reader.reload()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("This link no longer works")
    expect(reader.locator("body")).not_to_contain_text("We find tumours early.")


def test_a_manager_who_cancels_the_revoke_question_keeps_the_link(live_server, manager_page):
    with live_server.data():
        startup = factories.make_startup(name=unique("Kept Link Startup"))
        factories.make_profile(startup)
        factories.make_share_link(startup, factories.make_investor(name=unique("Kept Link Fund")))
        db.session.commit()
        startup_id = startup.id
    page = manager_page
    page.goto(f"/startups/{startup_id}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#public-profile").get_by_role("button", name="Revoke").click()
    expect(page.locator("#public-profile .share-link-active")).to_have_count(1)


def _choose_norwegian(page):
    """The navigation's language switch: the button for Norsk (the menu opened first on a narrow screen)."""
    switch = page.locator('nav form[action="/auth/language"] button[value=nb]')
    if not switch.is_visible():
        page.locator("nav .navbar-toggler").click()
    switch.click()


def test_a_user_switches_the_language_to_norwegian_and_sees_the_dashboard_in_norwegian(live_server, tab):
    email = f"norsk{next(_numbers)}@browser.example"  # a user of its own: the choice stays on the account
    with live_server.data():
        factories.make_user(role="manager", email=email, name="Norsk Bruker", password=PASSWORD)
        db.session.commit()
    page = sign_in(tab, "manager", email=email)
    _choose_norwegian(page)
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.goto("/")  # the choice is saved on the account, not only on the page that made it
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    navigation = page.get_by_role("navigation").first
    expect(navigation).to_contain_text("Investorer")
    expect(navigation).to_contain_text("Møter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversikt")


def test_a_viewer_sees_no_edit_buttons_and_is_refused_the_edit_page(live_server, viewer_page):
    with live_server.data():
        investor = factories.make_investor(name=unique("Viewed Fund"))
        startup = factories.make_startup(name=unique("Viewed Startup"))
        deal = factories.make_deal(startup, investor)
        db.session.commit()
        investor_id, deal_id = investor.id, deal.id
    page = viewer_page
    page.goto(f"/investors/{investor_id}")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Edit")).to_have_count(0)
    expect(main.get_by_role("link", name="Delete")).to_have_count(0)
    expect(main.get_by_role("link", name="Add contact")).to_have_count(0)
    page.goto("/deals/")
    expect(page.locator(f"#deal-{deal_id}")).to_be_visible()
    expect(page.locator(f"#deal-{deal_id} form")).to_have_count(0)
    expect(page.locator(f"#deal-{deal_id}")).not_to_have_attribute("draggable", "true")

    response = page.goto(f"/investors/{investor_id}/edit")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("Not allowed")
    assert page.goto(f"/deals/{deal_id}/move?stage=contacted").status == 403


def test_the_guard_refuses_and_reports_a_request_outside_127_0_0_1(chromium, live_server):
    # The app's CSP already blocks other hosts, so a blank page without it stands in for a careless template.
    outside = []
    context = guarded_context(chromium, live_server, outside)
    try:
        page = context.new_page()
        page.set_content('<img src="http://192.0.2.1/pixel.png" alt="">')
        page.wait_for_load_state("load")
        assert outside == ["http://192.0.2.1/pixel.png"]
    finally:
        context.close()
