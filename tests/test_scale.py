"""The main pages at growing data: statement counts that do not grow, query plans that use indexes, and the
large demo set and the benchmark commands (issue 7). Timings are the benchmark's business, not the tests'."""
import json
import re

import pytest
from sqlalchemy import event, func, select

from crm.demo_large import LARGE, seed_large
from crm.models import Contact, Deal, DealStageChange, FollowUp, Investor, Meeting, ShareLink, Startup
from tests.pages import StatementCounter

SMALL = 0.01  # 50 investors, 1,000 meetings, 300 deals
# The issue's budgets. The counts include the statement every signed-in request runs (the user with the
# server-side session and the two-factor setting); the share page is opened by a reader who is not signed in.
BUDGET = {"dashboard": 8, "pipeline": 4, "investor list": 3, "investor list, search": 3, "investor detail": 6,
          "startup detail": 6, "share page": 3, "meeting list": 3}
# What the pages run today: the benchmark's table shows them beside the budgets.
CEILING = {"dashboard": 13, "pipeline": 4, "investor list": 3, "investor list, search": 3, "investor detail": 17,
           "startup detail": 27, "share page": 3, "meeting list": 4}
# Pages whose count still depends on what the data holds (the timeline loads each kind of entry it shows),
# so it differs between two sizes.
UNSTEADY = {"investor detail", "startup detail"}


def _build(db, client, scale):
    built = seed_large(scale, seed=7)
    db.session.commit()
    response = client.post("/auth/login", data={"email": built.admin_email, "password": built.password})
    assert response.status_code == 302
    return built


def _pages(built) -> dict[str, str]:
    return {"dashboard": "/", "pipeline": "/deals/", "investor list": "/investors/",
            "investor list, search": "/investors/?q=Ø", "investor detail": f"/investors/{built.investor_id}",
            "startup detail": f"/startups/{built.startup_id}", "meeting list": "/meetings/",
            "share page": f"/s/{built.share_token}"}


def _counts(staff, reader, pages: dict[str, str]) -> dict[str, int]:
    def client(name):
        return reader if name == "share page" else staff

    for name, url in pages.items():  # warm: the first request of a page fills caches
        assert client(name).get(url).status_code == 200, url
    counts = {}
    for name, url in pages.items():
        with StatementCounter() as counter:
            assert client(name).get(url).status_code == 200, url
        counts[name] = counter.count
    return counts


@pytest.fixture()
def counts_at_two_sizes(app, db):
    """Statements per page at SMALL and at ten times SMALL, each on a fresh database."""
    found = []
    for scale in (SMALL, SMALL * 10):
        client = app.test_client()
        found.append(_counts(client, app.test_client(), _pages(_build(db, client, scale))))
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    return found


@pytest.mark.large
def test_page_statement_counts_do_not_grow_with_the_data(counts_at_two_sizes):
    small, large = counts_at_two_sizes
    for page in BUDGET:
        assert large[page] <= CEILING[page], (page, large[page])
        if page not in UNSTEADY:
            assert large[page] == small[page], (page, small[page], large[page])
        else:
            assert large[page] <= max(small[page], CEILING[page]), page


# The pages whose statement counts meet the issue's budgets, at both sizes.
WITHIN_BUDGET = {"pipeline", "investor list", "investor list, search", "share page"}


@pytest.mark.large
def test_these_page_statement_counts_are_within_the_issue_budgets(counts_at_two_sizes):
    small, large = counts_at_two_sizes
    for page in WITHIN_BUDGET:
        assert large[page] <= BUDGET[page] and large[page] == small[page], (page, small[page], large[page])


@pytest.mark.large
@pytest.mark.xfail(strict=True, reason="issue 7: the statement budgets are not met yet (README: Performance)")
def test_page_statement_counts_are_within_the_issue_budgets(counts_at_two_sizes):
    small, large = counts_at_two_sizes
    assert all(large[page] <= BUDGET[page] and large[page] == small[page] for page in set(BUDGET) - WITHIN_BUDGET)


# --- query plans -------------------------------------------------------------------------------------

BIG_TABLES = ("investors", "meetings", "deals")


def _full_scans(db, statements) -> list[str]:
    """The plan lines that read a whole big table without an index (EXPLAIN QUERY PLAN / EXPLAIN)."""
    found = []
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        if conn.dialect.name == "postgresql":
            # The test's tables are small, and PostgreSQL rightly reads a small table whole; with sequential
            # scans priced out, a "Seq Scan" that remains is one that no index can serve.
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if conn.dialect.name == "sqlite":
                lines = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()]
                bad = [line for line in lines
                       if re.fullmatch(rf"SCAN ({'|'.join(BIG_TABLES)})( AS \w+)?", line)]
            else:
                cursor = raw.cursor()
                cursor.execute("EXPLAIN " + statement, parameters)
                lines = [row[0] for row in cursor.fetchall()]
                bad = [line for line in lines if re.search(rf"Seq Scan on ({'|'.join(BIG_TABLES)})\b", line)]
            found += [f"{line.strip()}  <-  {statement[:120]}" for line in bad]
    return found


@pytest.mark.large
@pytest.mark.parametrize("page", ["pipeline", "investor list", "investor detail", "startup detail", "meeting list"])
def test_list_detail_and_pipeline_queries_use_indexes(app, db, page):
    client = app.test_client()
    built = _build(db, client, 0.05)
    url = _pages(built)[page]
    assert client.get(url).status_code == 200
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    # Pagination counts and column totals read the table by design; the rows a page shows must not.
    shown = [(s, p) for s, p in seen if not re.match(r"\s*SELECT (count\(|deals\.stage, deals\.currency, count)", s)]
    assert _full_scans(db, shown) == []


# --- the commands ------------------------------------------------------------------------------------

def test_seed_demo_large_builds_the_set_with_norwegian_names_and_its_derived_columns(runner, db):
    result = runner.invoke(args=["seed-demo", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    assert "Demo data created." in result.output
    assert db.session.scalar(select(func.count(Investor.id))) == LARGE["investors"] * 0.002
    assert db.session.scalar(select(func.count(Meeting.id))) == LARGE["meetings"] * 0.002
    assert db.session.scalar(select(func.count(Deal.id))) == LARGE["deals"] * 0.002
    assert db.session.scalar(select(func.count(Contact.id))) == LARGE["contacts"] * 0.002
    assert db.session.scalar(select(func.count(FollowUp.id))) == LARGE["follow_ups"] * 0.002
    assert db.session.scalar(select(func.count(ShareLink.id))) == LARGE["share_links"] * 0.002
    assert db.session.scalar(select(func.count(Startup.id))) == 4
    # every deal has a history that ends in its stage
    last = db.session.execute(select(Deal.stage, DealStageChange.to_stage).join(DealStageChange)
                              .where(DealStageChange.at == Deal.stage_changed_at)).all()
    assert len(last) >= db.session.scalar(select(func.count(Deal.id)))
    assert all(stage == to_stage for stage, to_stage in last)
    names = db.session.scalars(select(Investor).order_by(Investor.id)).all()
    assert any(set("æøåÆØÅ") & set(i.name) for i in names)
    assert all(i.name_search == i.name.casefold() and i.version == 1 for i in names)


def test_seed_demo_large_is_the_same_from_the_same_seed(runner, db):
    assert runner.invoke(args=["seed-demo", "--scale", "0.001"]).exit_code == 0
    first = db.session.execute(select(Investor.name, Investor.kind, Investor.country).order_by(Investor.id)).all()
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    assert runner.invoke(args=["seed-demo", "--scale", "0.001"]).exit_code == 0
    assert db.session.execute(select(Investor.name, Investor.kind, Investor.country)
                              .order_by(Investor.id)).all() == first


def test_seed_demo_refuses_a_database_with_data_and_a_bad_scale(runner, db, admin_user):
    result = runner.invoke(args=["seed-demo", "--scale", "large"])
    assert result.exit_code != 0
    assert "already has data" in result.output
    result = runner.invoke(args=["seed-demo", "--scale", "huge"])
    assert result.exit_code != 0
    assert "use small, large or a number" in result.output


def test_bench_runs_and_writes_its_figures(runner, db, tmp_path):
    out = tmp_path / "bench.json"
    result = runner.invoke(args=["bench", "--scale", "0.001", "--rounds", "5", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "bare route" in result.output and "investor list, search" in result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["machine"]["database"] == "sqlite" and figures["machine"]["cpu_count"] >= 1
    pages = {page["name"]: page for page in figures["pages"]}
    assert set(pages) == {"bare route", *BUDGET}
    assert pages["bare route"]["statements"] == 0 and pages["bare route"]["ratio"] == 1.0
    assert all(page["statements"] > 0 and page["median_ms"] > 0 for name, page in pages.items()
               if name != "bare route")


def test_the_bare_route_exists_only_in_the_benchmark(client):
    assert client.get("/_bench/bare").status_code == 404
