"""Deals: the services and their stage rules, the deal pages, adding many at once, the offer after a meeting,
exchange rates and their upkeep, and the deals on the startup and investor pages."""
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.common.money import NokTotal, convert
from crm.deals import services
from crm.deals.services import DealData, MoveData
from crm.errors import ConflictError, ValidationError
from crm.models import Deal, DealStage, DealStageChange, ExchangeRate, PassReason, RoundKind
from crm.rates.queries import rates_on
from tests import factories
from tests.test_startups import OwnContextClient, browser_form, field_errors, page_text

AT = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


@pytest.fixture()
def pair(db, manager_user):
    startup = factories.make_startup(name="Ørn Biologics", round_kind=RoundKind.SEED, round_currency="EUR")
    investor = factories.make_investor(name="Fjordinvest")
    db.session.commit()
    return startup, investor


def history(deal) -> list[tuple]:
    return [(c.from_stage, c.to_stage, c.user.email if c.user else None, c.at) for c in deal.changes]


# --- services ----------------------------------------------------------------------------------

def test_a_new_deal_records_its_first_stage_with_who_and_when(db, pair, manager_user):
    startup, investor = pair
    deal = services.create_deal(DealData(stage=DealStage.IDENTIFIED, startup_id=startup.id, investor_id=investor.id,
                                         round_kind=RoundKind.SEED, currency="EUR"), manager_user, at=AT)
    assert deal.stage is DealStage.IDENTIFIED and deal.stage_changed_at == AT and deal.created_at == AT
    assert history(deal) == [(None, DealStage.IDENTIFIED, "manager@example.com", AT)]


def test_each_move_is_recorded_from_to_who_and_when(db, pair, manager_user, admin_user):
    deal = factories.make_deal(*pair, at=AT)
    later = AT + timedelta(days=12)
    services.move_deal(deal, MoveData(DealStage.CONTACTED), deal.version, admin_user, at=later)
    assert deal.stage is DealStage.CONTACTED and deal.stage_changed_at == later
    assert history(deal)[-1] == (DealStage.IDENTIFIED, DealStage.CONTACTED, "admin@example.com", later)


@pytest.mark.parametrize("move,field,message", [
    (MoveData(DealStage.PASSED), "pass_reason", "Choose why the investor passed."),
    (MoveData(DealStage.PASSED, pass_reason=PassReason.OTHER), "pass_reason_text",
     "Say in a few words why the investor passed."),
    (MoveData(DealStage.COMMITTED), "committed_amount", "Enter the amount the investor committed."),
    (MoveData(DealStage.COMMITTED, committed_amount=Decimal(0)), "committed_amount",
     "The committed amount must be more than zero."),
    (MoveData(DealStage.IDENTIFIED), "stage", "The deal is at this stage already."),
])
def test_the_stage_rules_refuse_a_move_with_a_message_for_the_field(db, pair, move, field, message):
    deal = factories.make_deal(*pair)
    with pytest.raises(ValidationError) as refused:
        services.move_deal(deal, move, deal.version, None)
    assert (refused.value.field, str(refused.value.message)) == (field, message)


@pytest.mark.parametrize("move", [
    MoveData(DealStage.PASSED, pass_reason=PassReason.TICKET_SIZE),
    MoveData(DealStage.PASSED, pass_reason=PassReason.OTHER, pass_reason_text="Fund closed"),
    MoveData(DealStage.COMMITTED, committed_amount=Decimal("0.01")),
    MoveData(DealStage.ON_HOLD),
    MoveData(DealStage.TERM_SHEET),  # stages may be skipped
])
def test_a_move_that_keeps_the_rules_is_made(db, pair, move):
    deal = factories.make_deal(*pair)
    services.move_deal(deal, move, deal.version, None)
    assert deal.stage is move.stage


def test_a_deal_taken_up_again_after_a_pass_carries_no_reason(db, pair):
    deal = factories.make_deal(*pair)
    factories.move(deal, DealStage.PASSED, reason="other", reason_text="Fund closed")
    assert (deal.pass_reason, deal.pass_reason_text) == (PassReason.OTHER, "Fund closed")
    factories.move(deal, DealStage.CONTACTED)
    assert (deal.pass_reason, deal.pass_reason_text) == (None, None)


def test_a_move_from_an_outdated_page_is_refused(db, pair):
    deal = factories.make_deal(*pair)
    old_version = deal.version
    factories.move(deal, DealStage.CONTACTED)
    with pytest.raises(ConflictError):
        services.move_deal(deal, MoveData(DealStage.ON_HOLD), old_version, None)


def test_an_investor_is_in_a_rounds_pipeline_once(db, pair):
    startup, investor = pair
    factories.make_deal(startup, investor)
    with pytest.raises(ValidationError) as refused:
        factories.make_deal(startup, investor)
    assert refused.value.field == "investor_id"
    assert str(refused.value.message) == "Fjordinvest is already in the pipeline for Ørn Biologics's Seed."
    factories.make_deal(startup, investor, round_kind=RoundKind.SERIES_A)  # another round is another deal


def test_an_edit_that_changes_the_stage_records_the_move(db, pair, manager_user):
    deal = factories.make_deal(*pair)
    data = services.deal_data(deal)
    data.notes = "Warm intro from the board"
    services.update_deal(deal, data, deal.version, manager_user)
    assert len(deal.changes) == 1
    data.stage, data.committed_amount = DealStage.COMMITTED, Decimal("250000")
    services.update_deal(deal, data, deal.version, manager_user)
    assert [c.to_stage for c in deal.changes] == [DealStage.IDENTIFIED, DealStage.COMMITTED]
    assert deal.committed_amount == Decimal("250000") and deal.notes == "Warm intro from the board"


def test_adding_investors_to_a_round_skips_those_in_it_already(db, pair, manager_user):
    startup, investor = pair
    factories.make_deal(startup, investor)
    other = factories.make_investor(name="Rhein Capital", country="DE")
    result = services.add_investors_to_round(startup, [investor.id, other.id], manager_user)
    assert [d.investor.name for d in result.created] == ["Rhein Capital"]
    assert result.skipped == ["Fjordinvest"]
    created = result.created[0]
    assert (created.stage, created.round_kind, created.currency, created.owner) == (
        DealStage.IDENTIFIED, RoundKind.SEED, "EUR", manager_user)


def test_adding_investors_needs_a_round_open_and_a_choice(db, pair, manager_user):
    startup, investor = pair
    with pytest.raises(ValidationError, match="Choose at least one investor."):
        services.add_investors_to_round(startup, [], manager_user)
    startup.round_kind = None
    with pytest.raises(ValidationError, match="Ørn Biologics has no round open. Open one on the startup first."):
        services.add_investors_to_round(startup, [investor.id], manager_user)


# --- exchange rates and conversion ------------------------------------------------------------------

def test_the_rate_on_a_day_is_the_latest_valid_from_that_day_or_before(db, manager_user):
    factories.make_rate("EUR", "11.00", date(2026, 1, 1))
    factories.make_rate("EUR", "11.50", date(2026, 3, 1))
    factories.make_rate("USD", "10.25", date(2026, 3, 15))
    assert rates_on(date(2025, 12, 31)) == {"NOK": 1}  # no rate yet: nothing is guessed
    assert rates_on(date(2026, 2, 28)) == {"NOK": 1, "EUR": Decimal("11.00")}
    assert rates_on(date(2026, 3, 1)) == {"NOK": 1, "EUR": Decimal("11.50")}
    assert rates_on(date(2026, 6, 1)) == {"NOK": 1, "EUR": Decimal("11.50"), "USD": Decimal("10.25")}


def test_a_rate_is_kept_exactly_and_a_second_one_for_the_same_day_replaces_it(db, manager_user):
    factories.make_rate("SEK", "0.98765432", date(2026, 1, 1))
    factories.make_rate("SEK", "0.97", date(2026, 1, 1))
    db.session.commit()
    db.session.expire_all()
    assert [r.rate_to_nok for r in db.session.scalars(select(ExchangeRate))] == [Decimal("0.97")]


def test_conversion_is_exact_and_keeps_what_has_no_rate_apart():
    rates = {"NOK": Decimal(1), "EUR": Decimal("11.4825"), "USD": Decimal("10")}
    assert convert(Decimal("1000.00"), "EUR", "NOK", rates) == Decimal("11482.50")
    assert convert(Decimal("11482.50"), "NOK", "EUR", rates) == Decimal("1000.00")
    assert convert(Decimal("100"), "USD", "EUR", rates) == Decimal("87.09")
    assert convert(Decimal("100"), "CHF", "NOK", rates) is None
    total = NokTotal().add(Decimal("10"), "EUR", rates).add(Decimal("5"), "CHF", rates).add(None, "USD", rates)
    total = total + NokTotal().add(Decimal("7"), "CHF", rates).add(Decimal("1.5"), "NOK", rates)
    assert (total.nok, total.apart) == (Decimal("116.33"), {"CHF": Decimal("12")})


# --- the deal pages ----------------------------------------------------------------------------------

def deal_form(startup, investor, **changes) -> dict:
    data = {"startup_id": str(startup.id), "investor_id": str(investor.id), "round_kind": "seed",
            "stage": "identified", "owner_id": "0", "expected_amount": "", "committed_amount": "",
            "currency": "NOK", "pass_reason": "", "pass_reason_text": "", "notes": ""}
    data.update(changes)
    return data


def test_a_new_deal_from_a_startup_page_starts_in_its_round_and_currency(manager_client, pair):
    startup, investor = pair
    form = browser_form(manager_client.get(f"/deals/new?startup_id={startup.id}&investor_id={investor.id}"),
                        "startup_id")
    assert (form["startup_id"], form["investor_id"], form["round_kind"], form["currency"], form["stage"]) == (
        [str(startup.id)], [str(investor.id)], ["seed"], ["EUR"], ["identified"])
    response = manager_client.post("/deals/new", data=form)
    assert response.status_code == 302
    page = page_text(manager_client.get(response.location))
    assert "Deal added: Ørn Biologics and Fjordinvest." in page
    assert re.search(r"<td>\(added\)</td>\s*<td>Identified</td>\s*<td>Manager User</td>", page)


@pytest.mark.parametrize("changes,field,message", [
    ({"stage": "passed"}, "pass_reason", "Choose why the investor passed."),
    ({"stage": "committed", "committed_amount": ""}, "committed_amount", "Enter the amount the investor committed."),
    ({"stage": "committed", "committed_amount": "12,345"}, "committed_amount", "Use at most two decimals."),
    ({"startup_id": "0"}, "startup_id", "Choose a startup from the list."),
    ({"round_kind": ""}, "round_kind", "Choose the round this deal is for."),
    ({"expected_amount": "a lot"}, "expected_amount", "Enter an amount, like 1 500 000."),
])
def test_a_deal_that_breaks_a_rule_shows_the_message_by_the_field_and_keeps_what_was_typed(
        manager_client, db, pair, changes, field, message):
    response = manager_client.post("/deals/new", data=deal_form(*pair, notes="Møtte dem på Oslo Innovation Week",
                                                                **changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Møtte dem på Oslo Innovation Week" in page_text(response)
    assert db.session.scalar(select(func.count(Deal.id))) == 0


def test_a_second_deal_for_the_same_round_is_refused_by_the_investor_field(manager_client, db, pair):
    factories.make_deal(*pair)
    db.session.commit()
    response = manager_client.post("/deals/new", data=deal_form(*pair))
    assert "Fjordinvest is already in the pipeline for Ørn Biologics's Seed." in field_errors(response, "investor_id")


def test_a_duplicate_saved_at_the_same_instant_is_a_message_not_an_error_page(manager_client, db, pair, monkeypatch):
    """The other manager's deal was committed after this request's check: the unique constraint catches it."""
    from crm.deals import services
    from crm.models import Investor, Startup
    factories.make_deal(*pair)
    db.session.commit()
    monkeypatch.setattr(services, "_check_parties", lambda data, deal: (
        db.session.get(Startup, data.startup_id), db.session.get(Investor, data.investor_id)))
    response = manager_client.post("/deals/new", data=deal_form(*pair, notes="Fra partnering-møtet"))
    assert response.status_code == 200
    assert "Somebody else saved the same record at the same moment" in page_text(response)
    assert "Fra partnering-møtet" in page_text(response)
    assert db.session.scalar(select(func.count(Deal.id))) == 1


def test_the_move_page_keeps_the_stage_chosen_and_asks_for_the_amount(manager_client, db, pair):
    deal = factories.make_deal(*pair)
    db.session.commit()
    page = manager_client.get(f"/deals/{deal.id}/move?stage=committed")
    assert browser_form(page, "committed_amount")["stage"] == ["committed"]
    refused = manager_client.post(f"/deals/{deal.id}/move", data={"stage": "committed", "committed_amount": "",
                                                                 "version": deal.version})
    assert refused.status_code == 200
    assert "Enter the amount the investor committed." in field_errors(refused, "committed_amount")
    assert browser_form(refused, "committed_amount")["stage"] == ["committed"]
    done = manager_client.post(f"/deals/{deal.id}/move", data={"stage": "committed", "committed_amount": "750 000",
                                                              "version": deal.version})
    assert done.location == f"/deals/{deal.id}"
    page = page_text(manager_client.get(done.location))
    assert "NOK\xa0750,000" in page
    assert re.search(r"<td>Identified</td>\s*<td>Committed</td>\s*<td>Manager User</td>", page)


def test_a_card_moved_from_an_outdated_board_shows_the_conflict_and_moves_nothing(manager_client, db, pair):
    deal = factories.make_deal(*pair)
    db.session.commit()
    seen_version = deal.version
    factories.move(deal, DealStage.CONTACTED)  # somebody else, meanwhile
    db.session.commit()
    refused = manager_client.post(f"/deals/{deal.id}/move", data={"stage": "on_hold", "version": seen_version,
                                                                 "next": "/deals/"})
    assert refused.status_code == 200
    assert "Somebody else saved this record" in page_text(refused)
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).stage is DealStage.CONTACTED
    again = manager_client.post(f"/deals/{deal.id}/move", data=browser_form(refused, "committed_amount"))
    assert again.location == "/deals/"  # the page now carries the saved version: moving again is deliberate
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).stage is DealStage.ON_HOLD


def test_the_edit_form_shows_the_saved_deal_and_saving_it_unchanged_changes_nothing(manager_client, db, pair):
    deal = factories.make_deal(*pair, expected_amount=Decimal("1500000.50"), currency="EUR", notes="Notat æøå")
    factories.move(deal, DealStage.PASSED, reason="other", reason_text="Fund closed")
    db.session.commit()
    form = browser_form(manager_client.get(f"/deals/{deal.id}/edit"), "startup_id")
    assert (form["stage"], form["expected_amount"], form["currency"], form["pass_reason"], form["pass_reason_text"],
            form["notes"]) == (["passed"], ["1500000.5"], ["EUR"], ["other"], ["Fund closed"], ["Notat æøå"])
    before = services.deal_data(deal)
    assert manager_client.post(f"/deals/{deal.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Deal, deal.id)
    assert services.deal_data(saved) == before
    assert len(saved.changes) == 2


def test_two_managers_editing_one_deal_cannot_overwrite_each_other(app, db, pair, manager_user, admin_user):
    deal = factories.make_deal(*pair)
    db.session.commit()
    mine, theirs = OwnContextClient(app, manager_user), OwnContextClient(app, admin_user)
    url = f"/deals/{deal.id}/edit"
    my_form, their_form = browser_form(mine.get(url), "startup_id"), browser_form(theirs.get(url), "startup_id")
    their_form["notes"] = ["Theirs"]
    assert theirs.post(url, data=their_form).status_code == 302
    my_form["notes"] = ["Mine"]
    refused = mine.post(url, data=my_form)
    assert refused.status_code == 200
    assert "Somebody else saved this record" in page_text(refused)
    assert "Mine" in page_text(refused)
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).notes == "Theirs"


def test_deleting_a_deal_asks_first_then_removes_it_with_its_history(manager_client, db, pair):
    deal = factories.make_deal(*pair)
    factories.move(deal, DealStage.CONTACTED)
    db.session.commit()
    confirm = manager_client.get(f"/deals/{deal.id}/delete")
    assert ("Delete the deal between Ørn Biologics and Fjordinvest, with its history of 2 stage changes?"
            in page_text(confirm))
    response = manager_client.post(f"/deals/{deal.id}/delete")
    assert response.location == "/deals/"
    assert db.session.scalar(select(func.count(DealStageChange.id))) == 0
    assert manager_client.get(f"/deals/{deal.id}").status_code == 404


def test_a_viewer_reads_a_deal_but_gets_no_move_edit_or_delete(viewer_client, db, pair):
    deal = factories.make_deal(*pair)
    db.session.commit()
    page = page_text(viewer_client.get(f"/deals/{deal.id}"))
    assert "Ørn Biologics" in page and "Stage history" in page
    assert "/move" not in page and "/edit" not in page and "/delete" not in page


def test_deleting_a_startup_takes_its_deals_to_the_trash_and_restoring_brings_them_back(manager_client, db, pair):
    startup, investor = pair
    factories.make_deal(startup, investor)
    factories.make_deal(startup, factories.make_investor(name="Rhein"))
    db.session.commit()
    startup_id = startup.id
    page = page_text(manager_client.get(f"/startups/{startup_id}/delete"))
    assert "Its 2 deals go to the trash with it." in page
    assert manager_client.post(f"/startups/{startup_id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(Deal.id))) == 0
    manager_client.get("/startups/")  # shows the flash message, which names the startup
    assert "Ørn Biologics" not in page_text(manager_client.get("/deals/"))
    assert manager_client.post(f"/trash/startups/{startup_id}/restore").status_code == 302
    assert db.session.scalar(select(func.count(Deal.id))) == 2


def test_a_deal_whose_parties_are_both_in_the_trash_comes_back_only_with_both(manager_client, db, pair):
    startup, investor = pair
    factories.make_deal(startup, investor)
    db.session.commit()
    startup_id, investor_id = startup.id, investor.id
    assert manager_client.post(f"/startups/{startup_id}/delete").status_code == 302
    assert manager_client.post(f"/investors/{investor_id}/delete").status_code == 302
    assert manager_client.post(f"/trash/startups/{startup_id}/restore").status_code == 302
    assert db.session.scalar(select(func.count(Deal.id))) == 0  # still waiting for its investor
    assert manager_client.get("/deals/").status_code == 200
    assert manager_client.post(f"/trash/investors/{investor_id}/restore").status_code == 302
    assert db.session.scalar(select(func.count(Deal.id))) == 1


# --- adding many at once ---------------------------------------------------------------------------

def test_the_startup_page_adds_investors_not_yet_in_its_round(manager_client, db, pair):
    startup, investor = pair
    factories.make_deal(startup, investor)
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    boston = factories.make_investor(name="Boston Bio", country="US")
    db.session.commit()
    picker = manager_client.get(f"/deals/startup/{startup.id}/add")
    choices = browser_form(picker, "csrf_token")
    page = page_text(picker)
    assert "Rhein Capital · Foreign" in page and "Boston Bio · Foreign" in page
    assert f'value="{investor.id}"' not in picker.get_data(as_text=True).split("investor_ids")[1]
    refused = manager_client.post(f"/deals/startup/{startup.id}/add", data={"csrf_token": choices["csrf_token"]})
    assert "Choose at least one investor." in field_errors(refused, "investor_ids")
    response = manager_client.post(f"/deals/startup/{startup.id}/add", data={"investor_ids": [rhein.id, boston.id]})
    assert response.location == f"/startups/{startup.id}"
    assert "2 deals added to the pipeline as identified." in page_text(manager_client.get(response.location))


def test_a_startup_without_a_round_says_to_open_one_first(manager_client, db):
    startup = factories.make_startup(name="Uten Runde")
    db.session.commit()
    page = page_text(manager_client.get(f"/deals/startup/{startup.id}/add"))
    assert "Uten Runde has no round open. Open one on the startup first" in page


def test_the_investor_page_adds_the_investor_to_startups_with_a_round_open(manager_client, db, pair):
    startup, investor = pair
    other = factories.make_startup(name="Årvåk", round_kind=RoundKind.SERIES_A)
    closed = factories.make_startup(name="Ingen Runde")
    factories.make_deal(startup, investor)
    db.session.commit()
    page = page_text(manager_client.get(f"/deals/investor/{investor.id}/add"))
    assert "Årvåk · Series A" in page
    assert "Ingen Runde" not in page and "Ørn Biologics" not in page
    response = manager_client.post(f"/deals/investor/{investor.id}/add", data={"startup_ids": [other.id]})
    assert response.location == f"/investors/{investor.id}"
    refused = manager_client.post(f"/deals/investor/{investor.id}/add", data={"startup_ids": [closed.id]})
    assert refused.status_code == 200  # not offered, so not a valid choice
    deals = page_text(manager_client.get(f"/investors/{investor.id}"))
    assert "Ørn Biologics" in deals and "Årvåk" in deals


# --- after a meeting ----------------------------------------------------------------------------------

def log_meeting(client, startup, investors, when):
    response = client.post("/meetings/new", data={
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60", "kind": "pitch",
        "startup_ids": [str(startup.id)], "investor_ids": [str(i.id) for i in investors]})
    assert response.status_code == 302
    return response.location


def test_a_meeting_held_offers_to_move_earlier_deals_to_meeting_held_in_one_click(manager_client, db, pair):
    startup, investor = pair
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    early = factories.make_deal(startup, investor)
    factories.move(early, DealStage.CONTACTED)
    later = factories.make_deal(startup, rhein)
    factories.move(later, DealStage.DUE_DILIGENCE)
    db.session.commit()

    meeting_url = log_meeting(manager_client, startup, [investor, rhein], datetime.now() - timedelta(hours=2))
    page = page_text(manager_client.get(meeting_url))
    assert page.count("Move to “Meeting held”") == 1  # the deal in due diligence is past it
    assert "Ørn Biologics · Fjordinvest" in page

    response = manager_client.post(f"/deals/{early.id}/move", data={"stage": "meeting_held", "version": early.version,
                                                                    "next": meeting_url})
    assert response.location == meeting_url
    page = page_text(manager_client.get(meeting_url))
    assert "Move to “Meeting held”" not in page
    db.session.expire_all()
    assert db.session.get(Deal, early.id).stage is DealStage.MEETING_HELD


def test_a_planned_meeting_offers_nothing_and_a_viewer_is_offered_nothing(manager_client, viewer_client, db, pair):
    startup, investor = pair
    factories.make_deal(startup, investor)
    db.session.commit()
    planned = log_meeting(manager_client, startup, [investor], datetime.now() + timedelta(days=3))
    assert "Move to “Meeting held”" not in page_text(manager_client.get(planned))
    held = log_meeting(manager_client, startup, [investor], datetime.now() - timedelta(days=1))
    assert "Move to “Meeting held”" in page_text(manager_client.get(held))
    assert "Move to “Meeting held”" not in page_text(viewer_client.get(held))


# --- the round on the startup page, the deals on the investor page ---------------------------------------

def test_the_round_box_sums_committed_deals_in_the_round_currency_and_keeps_unconvertible_ones_apart(
        viewer_client, db, pair):
    startup, investor = pair  # a seed round in EUR
    startup.round_target = Decimal("2000000")
    factories.make_rate("EUR", "11.50")
    deals = [factories.make_deal(startup, factories.make_investor(name=name, country=country), currency=currency)
             for name, country, currency in [("Norsk Kapital", "NO", "NOK"), ("Rhein", "DE", "EUR"),
                                             ("Zürich", "CH", "CHF"), ("Boston", "US", "USD")]]
    for deal, amount in zip(deals[:3], ["1150000", "400000", "300000"]):
        factories.move(deal, DealStage.COMMITTED, committed=amount)
    factories.move(deals[3], DealStage.PASSED, reason="ticket_size")
    factories.make_deal(startup, investor, round_kind=RoundKind.PRE_SEED)  # an earlier round: not in the box
    factories.make_meeting([startup], [investor], starts_at=datetime.now(timezone.utc) - timedelta(days=3))
    db.session.commit()

    page = page_text(viewer_client.get(f"/startups/{startup.id}"))
    # NOK 1,150,000 / 11.50 = EUR 100,000; + EUR 400,000
    assert re.search(r'Committed so far: <strong class="round-committed">€500,000</strong>\s*'
                     r'<span class="text-warning-emphasis no-rate">\+ CHF\xa0300,000', page)
    assert "25 %" in page
    assert dict(re.findall(r">([A-Za-z ]+): (\d+)</a>", page.split("Deals in this round", 1)[1])) == {
        "Committed": "3", "Passed": "1"}
    met = page.split('class="list-unstyled mb-0 small investors-met"', 1)[1].split("</ul>", 1)[0]
    assert "Fjordinvest" in met and "Rhein" not in met
    deal_list = page.split("<h2 class=\"h5 mb-2\">Deals</h2>", 1)[1].split(">Meetings</h2>", 1)[0]
    assert deal_list.count("list-group-item") == 5  # every round's deals


# --- the administrators' exchange rates --------------------------------------------------------------------

def rate_form(**changes) -> dict:
    data = {"currency": "EUR", "rate_to_nok": "11,4825", "valid_from": "2026-03-01"}
    data.update(changes)
    return data


def test_an_admin_adds_a_rate_and_sees_it_in_force(admin_client, db):
    response = admin_client.post("/rates/", data=rate_form(valid_from="2020-01-01"))
    assert response.location == "/rates/"
    page = page_text(admin_client.get(response.location))
    assert "Rate for EUR from 2020-01-01 saved." in page
    assert re.search(r"<tr><td>EUR</td><td class=\"text-end\">11\.4825</td></tr>", page)
    assert db.session.scalar(select(ExchangeRate.rate_to_nok)) == Decimal("11.4825")


@pytest.mark.parametrize("changes,field,message", [
    ({"rate_to_nok": "0"}, "rate_to_nok", "The rate must be more than zero."),
    ({"rate_to_nok": "-1"}, "rate_to_nok", "The amount cannot be negative."),
    ({"rate_to_nok": "1.123456789"}, "rate_to_nok", "Use at most 8 decimals."),
    ({"rate_to_nok": "elleve"}, "rate_to_nok", "Enter an amount, like 1 500 000."),
    ({"rate_to_nok": ""}, "rate_to_nok", "Enter the rate."),
    ({"valid_from": ""}, "valid_from", "Enter the date the rate applies from."),
    ({"currency": "NOK"}, "currency", "Not a valid choice."),
])
def test_a_bad_rate_is_refused_by_its_field(admin_client, db, changes, field, message):
    response = admin_client.post("/rates/", data=rate_form(**changes))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert db.session.scalar(select(func.count(ExchangeRate.id))) == 0


def test_nok_is_refused_by_the_service_too(db, admin_user):
    from crm.rates.services import RateData, set_exchange_rate
    with pytest.raises(ValidationError, match="NOK is what the rates convert to"):
        set_exchange_rate(RateData("NOK", date(2026, 1, 1), Decimal(1)), admin_user)


def test_an_admin_deletes_a_rate(admin_client, db, admin_user):
    rate = factories.make_rate("USD", "10.5")
    db.session.commit()
    response = admin_client.post(f"/rates/{rate.id}/delete")
    assert response.location == "/rates/"
    assert db.session.scalar(select(func.count(ExchangeRate.id))) == 0


def test_only_admins_see_the_exchange_rates_link(admin_client, manager_client):
    assert 'href="/rates/"' in admin_client.get("/deals/").get_data(as_text=True)
    page = manager_client.get("/deals/").get_data(as_text=True)
    assert 'href="/rates/"' not in page
    assert 'href="/">' in page and 'href="/deals/">' in page  # Dashboard and Pipeline in the navigation
