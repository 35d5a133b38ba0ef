"""The dashboard: every figure for a fixed data set against numbers worked out by hand (see tests/dataset.py),
the startup filter, the period in the URL, charts as SVG with their tables, the CSV, and a fixed statement count."""
import csv
import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from crm.common.timeutil import local_today, utcnow
from crm.models import DealStage, RoundKind
from tests import dataset, factories
from tests.pages import column, plain, section, statements, table, tile
from tests.test_startups import page_text

OSLO = ZoneInfo("Europe/Oslo")
YEAR_2023 = {"date_from": "2023-01-01", "date_to": "2023-12-31"}


# --- the fixed data set --------------------------------------------------------------------------

@pytest.fixture()
def year_2023(viewer_client, cluster):
    response = viewer_client.get("/", query_string=YEAR_2023)
    assert response.status_code == 200
    return response


def test_open_deals_by_stage_are_counted_and_summed_in_nok_at_todays_rates(year_2023):
    assert table(year_2023, "open-table") == [
        ["Identified", "3", "NOK 6,200,000 + CHF 50,000 (no exchange rate)"],  # EUR 400k × 13 + USD 100k × 10
        ["Contacted", "0", "NOK 0"],
        ["Meeting held", "0", "NOK 0"],
        ["Due diligence", "1", "NOK 5,000,000"],
        ["Term sheet", "1", "NOK 3,000,000"],
        ["All open deals", "5", "NOK 14,200,000 + CHF 50,000 (no exchange rate)"],
    ]


def test_the_funnel_gives_the_share_of_the_deals_created_in_the_period_that_reached_each_stage(year_2023):
    assert "Of the 7 deals created from Jan 1, 2023 to Dec 31, 2023" in page_text(year_2023)
    assert table(year_2023, "funnel-table") == [
        ["Identified", "7", "100.0 %"],
        ["Contacted", "6", "85.7 %"],  # D5 went straight to committed: it passed contacted on the way
        ["Meeting held", "5", "71.4 %"],
        ["Due diligence", "5", "71.4 %"],
        ["Term sheet", "4", "57.1 %"],
        ["Committed", "3", "42.9 %"],
    ]


def test_median_days_in_stage_count_the_stays_that_ended_in_the_period(year_2023):
    assert table(year_2023, "stage_times-table") == [
        ["Identified", "12.0", "7"],  # 10, 10, 10, 12, 20, 51 (D7, begun in 2022), 60
        ["Contacted", "26.0", "6"],  # 15, 20, 24, 28, 30, 40: the mean of the middle two
        ["Meeting held", "30.0", "3"],  # 30, 30, 65
        ["Due diligence", "30.0", "1"],  # D1; D4 is still there
        ["Term sheet", "—", "0"],  # D8 is still there
    ]


def test_meetings_per_month_split_norwegian_and_foreign_by_oslo_month(year_2023):
    rows = table(year_2023, "months-table")
    assert [row[0] for row in rows] == [f"{month} 2023" for month in
                                        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                         "Nov", "Dec")]
    counts = {row[0][:3]: (int(row[1]), int(row[2])) for row in rows}
    assert counts == {"Jan": (0, 0), "Feb": (1, 1), "Mar": (0, 0), "Apr": (0, 1),  # M6: 31 March UTC, 1 April Oslo
                      "May": (1, 0), "Jun": (0, 0), "Jul": (0, 1), "Aug": (0, 0), "Sep": (1, 1),  # M5 on both sides
                      "Oct": (0, 0), "Nov": (0, 0), "Dec": (0, 0)}  # M7 had no investor


def test_capital_committed_in_the_period_is_split_norwegian_foreign_and_by_startup(year_2023):
    apart = " + CHF 800,000 (no exchange rate)"
    assert table(year_2023, "committed-table") == [
        ["Norwegian investors", "NOK 1,500,000"],
        ["Foreign investors", "NOK 2,400,000" + apart],  # EUR 200,000 at 12.00, the rate of 31 Dec 2023
        ["All investors", "NOK 3,900,000" + apart],
    ]
    assert table(year_2023, "per_startup-table") == [
        ["Aurora Onkologi", "NOK 3,900,000"],
        ["Bølge Bio", "NOK 0" + apart],
    ]


def test_brokered_capital_is_what_was_committed_after_a_logged_meeting_of_the_two(year_2023):
    apart = " + CHF 800,000 (no exchange rate)"
    assert table(year_2023, "brokered-table") == [
        ["After a logged meeting (brokered)", "NOK 3,900,000"],  # M1 before D1, M2 before D2
        ["No meeting logged before", "NOK 0" + apart],  # M4 came after D5's commitment
        ["All commitments", "NOK 3,900,000" + apart],
    ]


def test_the_key_figures_at_the_top(year_2023):
    assert tile(year_2023, "investors") == "5 Investors"
    assert tile(year_2023, "foreign_investors") == "3 Foreign investors"
    assert tile(year_2023, "incubatees") == "3 Incubatees"
    assert tile(year_2023, "meetings_30_days") == "2 Meetings in the last 30 days"  # M10, M13; not M12 (planned)
    assert tile(year_2023, "foreign_met") == "3 Foreign investors met in the period"  # F1, F2, F3
    assert tile(year_2023, "committed") == ("NOK 3,900,000 + CHF 800,000 (no exchange rate) "
                                            "Capital committed in the period")
    assert tile(year_2023, "brokered") == "NOK 3,900,000 Brokered capital in the period"
    assert tile(year_2023, "stale") == "3 Stale deals"
    assert tile(year_2023, "due") == "1 Follow-ups due in the next 14 days"
    assert tile(year_2023, "overdue") == "1 Overdue follow-ups"
    assert tile(year_2023, "quiet") == "2 Incubatees with no investor meeting in 60 days"


def test_stale_deals_are_open_deals_with_no_move_and_no_meeting_for_30_days_quietest_first(year_2023):
    text = section(year_2023, "stale")
    names = re.findall(r"Bølge Bio · ([^·]+?) (?:Foreign )?(?:Identified|Due diligence|Term sheet)", text)
    assert names == ["Rhein Capital", "Nordlys Kapital", "Fjordinvest"]  # D6 (1 Jun), D4 (10 Jun), D8 (20 Aug)
    assert "Cæsar" not in text and "Aurora" not in text  # D9 moved 5 days ago; D10's parties met 10 days ago


def test_follow_ups_due_soon_and_overdue(year_2023):
    due, overdue = section(year_2023, "follow-ups-due"), section(year_2023, "follow-ups-overdue")
    assert "M10" in due and "M13" not in due  # M13's date is 20 days away
    assert "M11" in overdue  # nobody met since
    assert "M14" not in overdue  # the same startup and investor met again in M15


def test_incubatees_without_an_investor_meeting_for_60_days_longest_quiet_first(year_2023):
    text = section(year_2023, "quiet")
    assert text.index("Bølge Bio") < text.index("Cæsar Diagnostics")  # July 2023, then 70 days ago
    assert "Aurora" not in text  # met Zürich Partners 10 days ago
    assert "Dvale" not in text  # an alumnus


def test_one_startup_narrows_every_figure_to_its_deals_and_meetings(viewer_client, cluster):
    response = viewer_client.get("/", query_string={**YEAR_2023, "startup": cluster.a.id})
    assert table(response, "funnel-table") == [
        ["Identified", "3", "100.0 %"], ["Contacted", "3", "100.0 %"], ["Meeting held", "2", "66.7 %"],
        ["Due diligence", "2", "66.7 %"], ["Term sheet", "2", "66.7 %"], ["Committed", "2", "66.7 %"]]
    assert table(response, "stage_times-table") == [
        ["Identified", "15.0", "4"], ["Contacted", "22.0", "4"], ["Meeting held", "47.5", "2"],
        ["Due diligence", "30.0", "1"], ["Term sheet", "—", "0"]]
    assert table(response, "open-table")[0] == ["Identified", "1", "NOK 0 + CHF 50,000 (no exchange rate)"]
    assert table(response, "committed-table")[2] == ["All investors", "NOK 3,900,000"]
    assert table(response, "per_startup-table") == [["Aurora Onkologi", "NOK 3,900,000"]]
    months = {row[0][:3]: (row[1], row[2]) for row in table(response, "months-table")}
    assert months["Feb"] == ("1", "1") and months["Sep"] == ("1", "1") and months["Apr"] == ("0", "0")
    assert tile(response, "foreign_met") == "2 Foreign investors met in the period"
    assert tile(response, "stale") == "0 Stale deals"
    assert tile(response, "overdue") == "0 Overdue follow-ups"
    assert tile(response, "quiet") == "0 Incubatees with no investor meeting in 60 days"


def test_the_dashboards_open_deals_agree_with_the_pipelines_columns(viewer_client, cluster):
    dashboard = viewer_client.get("/", query_string=YEAR_2023)
    board = viewer_client.get("/deals/")
    for label, count, amount in table(dashboard, "open-table")[:5]:
        stage = DealStage(label.lower().replace(" ", "_"))
        assert column(board, stage)[:2] == (int(count), amount)


# --- the period and the charts -------------------------------------------------------------------

def test_the_default_period_is_this_year(viewer_client, cluster):
    response = viewer_client.get("/")
    year = cluster.today.year
    assert f"From Jan 1, {year} to Dec 31, {year}." in plain(page_text(response))
    assert f'value="{year}-01-01"' in response.get_data(as_text=True)
    this_year = [n for n in (5, 60) if (cluster.now - timedelta(days=n)).astimezone(OSLO).year == year]
    assert table(response, "funnel-table")[0][1] == str(len(this_year))  # D9 and D10, if created this year


def test_one_date_alone_completes_its_year(viewer_client, cluster):
    response = viewer_client.get("/", query_string={"date_from": "2023-04-01"})
    assert "From Apr 1, 2023 to Dec 31, 2023." in plain(page_text(response))
    response = viewer_client.get("/", query_string={"date_to": "2023-06-30"})
    assert "From Jan 1, 2023 to Jun 30, 2023." in plain(page_text(response))


def test_an_end_before_the_start_says_so_and_shows_this_year(viewer_client, cluster):
    response = viewer_client.get("/", query_string={"date_from": "2023-06-01", "date_to": "2023-01-01"})
    assert response.status_code == 200
    assert "The end is before the start: this year is shown instead." in page_text(response)


@pytest.mark.parametrize("args", [{"date_from": "yesterday"}, {"date_to": "0001-01-01"}, {"startup": "999999"},
                                  {"startup": "x"}, {"date_from": "9999-12-31", "date_to": "9999-12-31"}])
def test_bad_period_or_startup_values_never_break_the_page(viewer_client, cluster, args):
    assert viewer_client.get("/", query_string=args).status_code == 200


def test_each_chart_is_an_svg_with_a_title_and_no_script(year_2023):
    page = year_2023.get_data(as_text=True)
    for key, title in [("open", "Open deals by stage"), ("funnel", "Conversion funnel"),
                       ("stage_times", "Median days in each stage"), ("months", "Meetings per month"),
                       ("committed", "Capital committed, Norwegian and foreign"), ("brokered", "Brokered capital"),
                       ("per_startup", "Capital committed per startup")]:
        assert f'aria-labelledby="{key}-chart-title"' in page
        assert f'<title id="{key}-chart-title">{title}</title>' in page
        assert f'id="{key}-table"' in page
    assert "<script" not in page.split("</main>")[0]
    assert "cdn" not in page.lower()


# --- the CSV -------------------------------------------------------------------------------------

def csv_values(response) -> dict[tuple[str, str, str, str], str]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["section", "row", "measure", "value", "unit"]
    return {(r[0], r[1], r[2], r[4]): r[3] for r in rows[1:]}


def test_the_csv_has_the_same_figures_as_the_page(viewer_client, cluster):
    response = viewer_client.get("/dashboard.csv", query_string=YEAR_2023)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="dashboard-2023-01-01-2023-12-31.csv"'
    values = csv_values(response)
    assert values[("period", "", "from..to", "")] == "2023-01-01..2023-12-31"
    assert values[("period", "", "exchange rates of", "")] == "2023-12-31"
    expected = {
        ("Key figures", "Foreign investors met in the period", "", ""): "3",
        ("Key figures", "Capital committed in the period", "", "NOK"): "3900000.00",
        ("Key figures", "Capital committed in the period", "(no exchange rate)", "CHF"): "800000.00",
        ("Key figures", "Stale deals", "", ""): "3",
        ("Open deals by stage", "Identified", "Deals", ""): "3",
        ("Open deals by stage", "Identified", "Expected amount", "NOK"): "6200000.00",
        ("Open deals by stage", "Identified", "Expected amount (no exchange rate)", "CHF"): "50000.00",
        ("Conversion funnel", "Contacted", "Share", "%"): "85.7",
        ("Conversion funnel", "Committed", "Deals", ""): "3",
        ("Median days in each stage", "Contacted", "Median days", "days"): "26.0",
        ("Median days in each stage", "Term sheet", "Median days", "days"): "",
        ("Meetings per month", "2023-04", "With foreign investors", ""): "1",
        ("Meetings per month", "2023-09", "With Norwegian investors", ""): "1",
        ("Capital committed, Norwegian and foreign", "Foreign investors", "Committed", "NOK"): "2400000.00",
        ("Brokered capital", "No meeting logged before", "Committed (no exchange rate)", "CHF"): "800000.00",
        ("Capital committed per startup", "Aurora Onkologi", "Committed", "NOK"): "3900000.00",
    }
    assert {key: values.get(key) for key in expected} == expected


def test_a_startup_name_that_looks_like_a_formula_stays_text_in_the_csv(viewer_client, db, manager_user):
    startup = factories.make_startup(name="=HYPERLINK(\"x\")", round_kind=RoundKind.SEED)
    investor = factories.make_investor(name="Fjordinvest")
    deal = factories.make_deal(startup, investor)
    factories.move(deal, DealStage.COMMITTED, committed="1000")
    db.session.commit()
    values = csv_values(viewer_client.get("/dashboard.csv"))
    assert values[("Capital committed per startup", "'=HYPERLINK(\"x\")", "Committed", "NOK")] == "1000.00"


# --- a fixed number of statements, however many deals ---------------------------------------------

@pytest.mark.parametrize("url,query", [("/", YEAR_2023), ("/", {}), ("/dashboard.csv", YEAR_2023)])
def test_the_dashboard_runs_as_many_statements_for_many_deals_as_for_few(viewer_client, cluster, url, query):
    few = statements(viewer_client, url, **query)
    dataset.add_deals(cluster, 60)
    assert statements(viewer_client, url, **query) == few


def test_what_is_in_the_trash_is_left_out_of_the_figures_and_lists(viewer_client, db, manager_user):
    now, today = utcnow(), local_today()
    kept, trashed = factories.make_startup(name="Kept Onkologi"), factories.make_startup(name="Trashed Onkologi")
    norwegian, foreign = factories.make_investor(name="Nordinvest"), factories.make_investor(name="Gone Capital",
                                                                                          country="SE")
    factories.make_meeting(startups=[kept, trashed], investors=[norwegian, foreign], title="Live meeting",
                           starts_at=now - timedelta(days=2))
    factories.make_meeting(startups=[kept], investors=[norwegian], title="Trashed meeting",
                           starts_at=now - timedelta(days=1)).deleted_at = now
    factories.make_follow_up(kept, today + timedelta(days=3), title="Call Kept")
    factories.make_follow_up(trashed, today + timedelta(days=3), title="Call Trashed")
    trashed.deleted_at = foreign.deleted_at = now
    db.session.commit()
    response = viewer_client.get("/")
    text = page_text(response)
    assert tile(response, "meetings_30_days").split()[0] == "1"
    assert tile(response, "foreign_investors").split()[0] == "0"
    assert tile(response, "foreign_met").split()[0] == "0"
    assert tile(response, "due").split()[0] == "1"
    assert "Live meeting" in text and "Call Kept" in text
    assert "Trashed meeting" not in text and "Call Trashed" not in text
    assert "Trashed Onkologi" not in text and "Gone Capital" not in text
