"""The pipeline board and table: column totals worked out by hand (tests/dataset.py), cards, filters in the URL,
moving without JavaScript, a fixed statement count; and a startup's round run end to end."""
import re
from datetime import timedelta

import pytest

from crm.followups.services import mark_done
from crm.models import Deal, DealStage, RoundKind
from tests import dataset, factories
from tests.pages import card, column, section, statements, table
from tests.test_startups import browser_form, field_errors, page_text


# --- the columns ---------------------------------------------------------------------------------

def test_each_column_counts_its_deals_and_totals_them_in_nok_at_todays_rates(viewer_client, cluster):
    board = viewer_client.get("/deals/")
    assert board.status_code == 200
    apart = lambda amount: f" + CHF {amount} (no exchange rate)"  # noqa: E731
    totals = {stage: column(board, stage)[:3] for stage in DealStage}
    assert totals == {
        DealStage.IDENTIFIED: (3, "NOK 6,200,000" + apart("50,000"), None),  # EUR 400k × 13 + USD 100k × 10
        DealStage.CONTACTED: (0, "NOK 0", None),
        DealStage.MEETING_HELD: (0, "NOK 0", None),
        DealStage.DUE_DILIGENCE: (1, "NOK 5,000,000", None),
        DealStage.TERM_SHEET: (1, "NOK 3,000,000", None),
        # expected 2,000,000 + EUR 300k × 13; committed 1,500,000 + EUR 200k × 13
        DealStage.COMMITTED: (3, "NOK 5,900,000" + apart("1,000,000"), "NOK 4,100,000" + apart("800,000")),
        DealStage.ON_HOLD: (1, "NOK 1,000,000", None),
        DealStage.PASSED: (1, "NOK 5,000,000", None),  # USD 500k × 10
    }


def test_a_card_shows_the_parties_the_foreign_mark_amount_owner_and_days_in_stage(viewer_client, cluster):
    board = viewer_client.get("/deals/")
    days = (cluster.now - dataset.utc(2023, 6, 1)).days
    assert card(board, cluster.d6) == ("Bølge Bio Rhein Capital Foreign €400,000 · Series A "
                                       f"Tobias Lie · {days} days in this stage")
    assert "Foreign" not in card(board, cluster.d4)
    assert card(board, cluster.d1).startswith("Aurora Onkologi Fjordinvest NOK 1,500,000 · Seed Mari Haugen")


def test_a_card_is_marked_while_a_follow_up_on_the_deal_or_on_a_meeting_of_its_two_parties_is_overdue(
        viewer_client, db, cluster):
    day = lambda days_ago: (cluster.today - timedelta(days=days_ago)).strftime("%b %-d, %Y")  # noqa: E731
    board = viewer_client.get("/deals/")
    assert f"Follow-up overdue since {day(5)}" in card(board, cluster.d9)  # M11's follow-up, still open
    assert "overdue" not in card(board, cluster.d10)  # M10's follow-up is in three days
    assert "overdue" not in card(board, cluster.d4)  # M3 set no follow-up

    factories.make_meeting([cluster.c], [cluster.f2], starts_at=cluster.now - timedelta(days=1))
    db.session.commit()
    assert "overdue" in card(viewer_client.get("/deals/"), cluster.d9)  # meeting again does not do the follow-up
    mark_done(cluster.m11.follow_ups[0], cluster.mari)
    factories.make_follow_up(cluster.c, cluster.today - timedelta(days=9), title="Ask Cæsar for the deck")
    factories.make_follow_up(cluster.d10, cluster.today - timedelta(days=2), title="Send Zürich the data room")
    db.session.commit()
    board = viewer_client.get("/deals/")
    assert "overdue" not in card(board, cluster.d9)  # done; one on the startup alone is not about this deal
    assert f"Follow-up overdue since {day(2)}" in card(board, cluster.d10)  # one on the deal itself


def test_a_long_column_shows_its_newest_cards_and_links_to_all_of_them(viewer_client, db, cluster):
    extra = []
    for n in range(4):
        investor = factories.make_investor(name=f"Ny investor {n}")
        extra.append(factories.make_deal(cluster.c, investor, at=cluster.now - timedelta(hours=n)))
    db.session.commit()
    board = viewer_client.get("/deals/")
    count, _expected, _committed, cards = column(board, DealStage.IDENTIFIED)
    assert count == 7
    assert cards == [d.id for d in extra] + [cluster.d9.id]  # five (the test setting), newest activity first
    assert 'href="/deals/table?stage=identified&amp;sort=-updated">Show all 7</a>' in board.get_data(as_text=True)
    assert "Show all" not in section(board, "column-passed")


# --- filters -------------------------------------------------------------------------------------

def board_counts(client, **args) -> dict[str, int]:
    board = client.get("/deals/", query_string=args)
    assert board.status_code == 200
    return {stage.value: column(board, stage)[0] for stage in DealStage if column(board, stage)[0]}


@pytest.mark.parametrize("args,expected", [
    ({"origin": "foreign"}, {"identified": 3, "committed": 2, "passed": 1}),
    ({"origin": "norwegian"}, {"due_diligence": 1, "term_sheet": 1, "committed": 1, "on_hold": 1}),
    ({"country": "DE"}, {"identified": 1, "committed": 1}),
    ({"round": "series_a"}, {"identified": 1, "due_diligence": 1, "term_sheet": 1, "committed": 1}),
    ({"area": "immuno_oncology"}, {"identified": 1, "committed": 2, "passed": 1, "on_hold": 1}),
    ({"origin": "foreign", "round": "seed"}, {"identified": 2, "committed": 1, "passed": 1}),
    ({"origin": "nowhere", "round": "x", "country": "ZZ", "startup": "abc", "owner": "99999999999"},
     {"identified": 3, "due_diligence": 1, "term_sheet": 1, "committed": 3, "on_hold": 1, "passed": 1}),
])
def test_filters_narrow_the_board_and_bad_values_are_ignored(viewer_client, cluster, args, expected):
    assert board_counts(viewer_client, **args) == expected


def test_startup_and_owner_filters_are_kept_in_the_url_and_the_form(viewer_client, cluster):
    assert board_counts(viewer_client, startup=cluster.a.id) == {"identified": 1, "committed": 2, "passed": 1,
                                                                 "on_hold": 1}
    assert board_counts(viewer_client, owner=cluster.mari.id) == {"committed": 2, "passed": 1}
    board = viewer_client.get("/deals/", query_string={"startup": cluster.a.id, "origin": "foreign"})
    page = board.get_data(as_text=True)
    assert f'<option selected value="{cluster.a.id}">Aurora Onkologi</option>' in page
    assert '<option selected value="foreign">Foreign</option>' in page
    assert f'href="/deals/table?startup={cluster.a.id}&amp;origin=foreign"' in page


# --- the table -----------------------------------------------------------------------------------

def table_pairs(response) -> list[str]:
    rows = re.findall(r'<tr>\s*<td><a class="fw-semibold" href="/deals/\d+">([^<]*)</a></td>'
                      r'\s*<td>([^<]*?)\s*(?:<span|</td>)', page_text(response))
    return [f"{startup} · {investor.strip()}" for startup, investor in rows]


def test_the_table_sorts_by_the_expected_amount_in_nok_with_no_rate_last(viewer_client, cluster):
    response = viewer_client.get("/deals/table", query_string={"sort": "-amount"})
    assert table_pairs(response) == [
        "Bølge Bio · Rhein Capital",  # EUR 400k: 5.2M
        "Bølge Bio · Nordlys Kapital",  # 5M, changed after the next one
        "Aurora Onkologi · Boston Bio",  # USD 500k: 5M
        "Aurora Onkologi · Rhein Capital",  # EUR 300k: 3.9M
        "Bølge Bio · Fjordinvest",
        "Aurora Onkologi · Fjordinvest",
        "Cæsar Diagnostics · Boston Bio",  # USD 100k: 1M, changed after the next one
        "Aurora Onkologi · Nordlys Kapital",
        "Aurora Onkologi · Zürich Partners",  # CHF: no rate
        "Bølge Bio · Zürich Partners",
    ]


def test_the_table_filters_by_stage_and_sorts_by_startup(viewer_client, cluster):
    response = viewer_client.get("/deals/table", query_string={"stage": "committed", "sort": "-startup"})
    assert table_pairs(response) == ["Bølge Bio · Zürich Partners", "Aurora Onkologi · Rhein Capital",
                                     "Aurora Onkologi · Fjordinvest"]  # the same startup: latest change first


# --- moving cards, and who may -------------------------------------------------------------------

def test_a_viewer_sees_the_board_but_no_move_forms(viewer_client, cluster):
    board = viewer_client.get("/deals/").get_data(as_text=True)
    assert 'id="deal-' in board
    assert "/move" not in board and "Add deal" not in board


def test_a_manager_moves_a_card_without_javascript_and_comes_back_to_the_filtered_board(manager_client, db, cluster):
    board = manager_client.get("/deals/", query_string={"startup": cluster.b.id})
    assert f'action="/deals/{cluster.d6.id}/move"' in board.get_data(as_text=True)
    response = manager_client.post(f"/deals/{cluster.d6.id}/move", data={
        "stage": "contacted", "version": cluster.d6.version, "next": f"/deals/?startup={cluster.b.id}"})
    assert response.status_code == 302
    assert response.location == f"/deals/?startup={cluster.b.id}"
    board = manager_client.get(response.location)
    assert "Bølge Bio and Rhein Capital: moved to Contacted." in page_text(board)
    assert cluster.d6.id in column(board, DealStage.CONTACTED)[3]
    assert column(board, DealStage.CONTACTED)[1] == "NOK 5,200,000"


def test_a_move_to_another_site_goes_to_the_deal_instead(manager_client, cluster):
    response = manager_client.post(f"/deals/{cluster.d6.id}/move", data={
        "stage": "contacted", "version": cluster.d6.version, "next": "https://evil.example.com/"})
    assert response.location == f"/deals/{cluster.d6.id}"


@pytest.mark.parametrize("url,query", [("/deals/", {}), ("/deals/", {"origin": "foreign"}), ("/deals/table", {}),
                                       ("/deals/table", {"sort": "-amount"})])
def test_the_board_and_table_run_as_many_statements_for_many_deals_as_for_few(manager_client, cluster, url, query):
    few = statements(manager_client, url, **query)
    dataset.add_deals(cluster, 60)
    assert statements(manager_client, url, **query) == few


# --- done when: a manager runs a startup's round from the pipeline, end to end ---------------------

def test_a_manager_runs_a_round_end_to_end_and_round_pipeline_and_dashboard_agree(manager_client, db, manager_user):
    startup = factories.make_startup(name="Lysaker Onkologi", round_kind=RoundKind.SEED,
                                     round_target=factories.Decimal("20000000"))
    names = ["Fjord 1", "Fjord 2", "Fjord 3", "Fjord 4", "Fjord 5", "Fjord 6"]
    investors = {name: factories.make_investor(name=name, country="NO") for name in names}
    for name, country in [("Rhein", "DE"), ("Stockholm", "SE"), ("Boston", "US"), ("Cambridge", "GB")]:
        investors[name] = factories.make_investor(name=name, country=country)
    factories.make_rate("EUR", "11.50")
    factories.make_rate("USD", "10.00")
    db.session.commit()
    board_url = f"/deals/?startup={startup.id}"

    # Ten investors identified, from the startup's page.
    picker = manager_client.get(f"/deals/startup/{startup.id}/add")
    assert all(name in page_text(picker) for name in investors)
    response = manager_client.post(f"/deals/startup/{startup.id}/add",
                                   data={"investor_ids": [str(i.id) for i in investors.values()]})
    assert response.status_code == 302
    assert "10 deals added to the pipeline as identified." in page_text(manager_client.get(response.location))
    deals = {name: db.session.query(Deal).filter_by(startup_id=startup.id, investor_id=i.id).one()
             for name, i in investors.items()}
    assert column(manager_client.get(board_url), DealStage.IDENTIFIED)[0] == 10

    def move_card(name, stage, **extra):
        deal = deals[name]
        db.session.refresh(deal)
        return manager_client.post(f"/deals/{deal.id}/move", data={
            "stage": stage, "version": deal.version, "next": board_url, **extra})

    for name in deals:
        assert move_card(name, "contacted").status_code == 302

    # A meeting with six of them; the meeting page offers to move each deal on, in one click.
    met = ["Fjord 1", "Fjord 2", "Fjord 3", "Rhein", "Stockholm", "Boston"]
    held = (dataset.datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = manager_client.post("/meetings/new", data={
        "starts_at": held, "duration_minutes": "60", "kind": "partnering", "title": "Investor day",
        "startup_ids": [str(startup.id)], "investor_ids": [str(investors[n].id) for n in met]})
    assert response.status_code == 302
    meeting_url = response.location
    offers = page_text(manager_client.get(meeting_url))
    assert offers.count("Move to “Meeting held”") == 6
    for name in met:
        db.session.refresh(deals[name])
        response = manager_client.post(f"/deals/{deals[name].id}/move", data={
            "stage": "meeting_held", "version": deals[name].version, "next": meeting_url})
        assert response.location == meeting_url
    assert "Move to “Meeting held”" not in page_text(manager_client.get(meeting_url))

    # Three pass; the rules ask for a reason, by the field.
    refused = move_card("Cambridge", "passed")
    assert refused.status_code == 200
    assert "Choose why the investor passed." in field_errors(refused, "pass_reason")
    assert move_card("Cambridge", "passed", pass_reason="too_early").status_code == 302
    assert move_card("Fjord 4", "passed", pass_reason="team").status_code == 302
    refused = move_card("Fjord 5", "passed", pass_reason="other")
    assert "Say in a few words why the investor passed." in field_errors(refused, "pass_reason_text")
    assert move_card("Fjord 5", "passed", pass_reason="other", pass_reason_text="Fund closed").status_code == 302

    # Two foreign deals are in their investors' currencies.
    for name, currency in [("Rhein", "EUR"), ("Boston", "USD")]:
        form = browser_form(manager_client.get(f"/deals/{deals[name].id}/edit"), "startup_id")
        form.update(currency=[currency])
        assert manager_client.post(f"/deals/{deals[name].id}/edit", data=form).status_code == 302

    # On through due diligence and term sheet; four commit, and the amount is asked for by the field.
    for name in ["Fjord 1", "Fjord 2", "Fjord 3"]:
        assert move_card(name, "due_diligence").status_code == 302
    for name in ["Fjord 1", "Fjord 2", "Stockholm"]:
        assert move_card(name, "term_sheet").status_code == 302
    refused = move_card("Fjord 1", "committed")
    assert "Enter the amount the investor committed." in field_errors(refused, "committed_amount")
    for name, amount in [("Fjord 1", "4 000 000"), ("Fjord 2", "3000000"), ("Rhein", "500 000"),
                         ("Boston", "200000")]:
        assert move_card(name, "committed", committed_amount=amount).status_code == 302

    # NOK 4,000,000 + 3,000,000 + EUR 500,000 × 11.50 + USD 200,000 × 10 = NOK 14,750,000
    round_box = page_text(manager_client.get(f"/startups/{startup.id}"))
    assert re.search(r'Committed so far: <strong class="round-committed">NOK\xa014,750,000</strong>', round_box)
    assert "73 %" in round_box  # of the 20,000,000 target
    stages = re.findall(r">([A-Za-z ]+): (\d+)</a>", round_box.split("Deals in this round", 1)[1])
    assert dict(stages) == {"Contacted": "1", "Due diligence": "1", "Term sheet": "1", "Committed": "4",
                            "Passed": "3"}

    board = manager_client.get(board_url)
    assert column(board, DealStage.COMMITTED)[0] == 4
    assert column(board, DealStage.COMMITTED)[2] == "NOK 14,750,000"
    assert {stage: column(board, stage)[0] for stage in DealStage} == {
        DealStage.IDENTIFIED: 0, DealStage.CONTACTED: 1, DealStage.MEETING_HELD: 0, DealStage.DUE_DILIGENCE: 1,
        DealStage.TERM_SHEET: 1, DealStage.COMMITTED: 4, DealStage.PASSED: 3, DealStage.ON_HOLD: 0}

    dashboard = manager_client.get("/", query_string={"startup": startup.id})
    assert table(dashboard, "committed-table") == [
        ["Norwegian investors", "NOK 7,000,000"], ["Foreign investors", "NOK 7,750,000"],
        ["All investors", "NOK 14,750,000"]]
    assert table(dashboard, "brokered-table")[0] == ["After a logged meeting (brokered)", "NOK 14,750,000"]
    assert table(dashboard, "per_startup-table") == [["Lysaker Onkologi", "NOK 14,750,000"]]
    assert [row[:2] for row in table(dashboard, "funnel-table")] == [
        ["Identified", "10"], ["Contacted", "10"], ["Meeting held", "6"], ["Due diligence", "6"],
        ["Term sheet", "5"], ["Committed", "4"]]
    assert [row[1] for row in table(dashboard, "open-table")] == ["0", "1", "0", "1", "1", "3"]
    history = page_text(manager_client.get(f"/deals/{deals['Fjord 1'].id}"))
    assert history.count('class="stage-change"') == 6  # added, contacted, meeting held, DD, term sheet, committed
