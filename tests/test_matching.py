"""Investor matching on a startup's page: a fixed set of investors and one startup's seed round, with the exact
suggestions, their order, scores and reasons; those that passed before apart; regions; adding the chosen ones."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.models import Deal, DealStage, InvestorKind, InvestorStatus, RoundKind
from tests import factories
from tests.pages import plain, table
from tests.test_startups import field_errors, page_text

SOLID, HAEM = "solid_tumours", "haematological"
SMALL, ANTIBODY = "small_molecule", "antibody"
PRECLINICAL, PHASE_1, PHASE_2 = "preclinical", "phase_1", "phase_2"


@pytest.fixture()
def cast(db, manager_user):
    """Lysaker Onkologi (solid tumours, small molecule, preclinical) raising a NOK 15 million seed round."""
    startup = factories.make_startup(name="Lysaker Onkologi", round_kind=RoundKind.SEED,
                                     round_target=Decimal("15000000"), round_currency="NOK")
    factories.make_rate("EUR", "11.50")  # no USD rate: a dollar ticket cannot be compared

    def investor(name, country="NO", currency="NOK", low=None, high=None, areas=(), modalities=(), stages=(),
                 **fields):
        return factories.make_investor(
            name=name, country=country, currency=currency, ticket_min=Decimal(low) if low else None,
            ticket_max=Decimal(high) if high else None, focus_areas=list(areas), modalities=list(modalities),
            stage_focus=list(stages), **fields)

    found = dict(
        fjordkapital=investor("Fjordkapital Vekst", low="5000000", high="40000000", areas=[SOLID],
                              modalities=[SMALL], stages=[PRECLINICAL, PHASE_1]),
        rhein=investor("Rhein Bio", "DE", "EUR", "1000000", "8000000", areas=[SOLID, HAEM], stages=[PRECLINICAL]),
        oresund=investor("Øresund Life Science", "DK", "EUR", areas=[SOLID], modalities=[SMALL, ANTIBODY]),
        boston=investor("Boston Precision", "US", "USD", "1000000", "5000000", areas=[SOLID]),
        ase=investor("Åse Solberg", low="250000", high="1500000", kind=InvestorKind.ANGEL),
        # ruled out: a later stage, too big a ticket, another area, already in the round, inactive
        late=investor("Boston Tumor Ventures", "US", "USD", areas=[SOLID], modalities=[SMALL], stages=[PHASE_2]),
        big=investor("Nordlys Helseinvest", low="20000000", high="80000000", areas=[SOLID]),
        haem=investor("Blodbanken Kapital", areas=[HAEM]),
        inside=investor("Mjøsa Venture", areas=[SOLID], modalities=[SMALL]),
        asleep=investor("Sovende Fond", areas=[SOLID], status=InvestorStatus.INACTIVE),
        # passed on the pre-seed round as too early; fits the seed round fully
        passed=investor("Ålesund Biofond", low="2000000", high="15000000", areas=[SOLID], modalities=[SMALL],
                        stages=[PRECLINICAL]),
    )
    factories.make_deal(startup, found["inside"])
    earlier = factories.make_deal(startup, found["passed"], round_kind=RoundKind.PRE_SEED)
    factories.move(earlier, DealStage.PASSED, reason="too_early")
    db.session.commit()
    return dict(startup=startup, **found)


EXPECTED = [
    ["Fjordkapital Vekst", "9/9", "Focus area: Solid tumours Modality: Small molecule Stage: Preclinical "
     "Ticket NOK 5,000,000–NOK 40,000,000 fits a round of NOK 15,000,000 Based in Norway"],
    ["Rhein Bio Foreign", "7/9", "Focus area: Solid tumours Stage: Preclinical "
     "Ticket €1,000,000–€8,000,000 fits a round of NOK 15,000,000 (€1,304,347.83) Based in Germany "
     "Not recorded: No modalities recorded"],
    ["Øresund Life Science Foreign", "5/9", "Focus area: Solid tumours Modality: Small molecule Based in Denmark "
     "Not recorded: No development stages recorded; No ticket size recorded"],
    ["Boston Precision Foreign", "3/9", "Focus area: Solid tumours Based in United States "
     "Not recorded: No modalities recorded; No development stages recorded; No exchange rate for USD"],
    ["Åse Solberg", "2/9", "Ticket NOK 250,000–NOK 1,500,000 fits a round of NOK 15,000,000 Based in Norway "
     "Not recorded: No therapeutic areas recorded; No modalities recorded; No development stages recorded"],
]
PASSED = [["Ålesund Biofond Passed on the Pre-seed: Too early", "9/9",
           "Focus area: Solid tumours Modality: Small molecule Stage: Preclinical "
           "Ticket NOK 2,000,000–NOK 15,000,000 fits a round of NOK 15,000,000 Based in Norway"]]


def test_the_suggestions_their_order_scores_and_reasons(viewer_client, cast):
    response = viewer_client.get(f"/startups/{cast['startup'].id}/matches")

    assert response.status_code == 200
    assert table(response, "suggestions") == EXPECTED
    assert table(response, "passed-before") == PASSED
    text = page_text(response)
    for ruled_out in ("Boston Tumor Ventures", "Nordlys Helseinvest", "Blodbanken", "Mjøsa Venture", "Sovende"):
        assert ruled_out not in text
    assert "Add the chosen investors" not in text  # a viewer reads only


@pytest.mark.parametrize("region,names", [
    ("abroad", ["Rhein Bio Foreign", "Øresund Life Science Foreign", "Boston Precision Foreign"]),
    ("nordic", ["Fjordkapital Vekst", "Øresund Life Science Foreign", "Åse Solberg"]),
    ("norway", ["Fjordkapital Vekst", "Åse Solberg"]),
    ("europe", ["Fjordkapital Vekst", "Rhein Bio Foreign", "Øresund Life Science Foreign", "Åse Solberg"]),
    ("mars", [row[0] for row in EXPECTED]),  # an unknown region is anywhere
])
def test_the_region_narrows_the_suggestions(viewer_client, cast, region, names):
    response = viewer_client.get(f"/startups/{cast['startup'].id}/matches", query_string={"region": region})
    assert [row[0] for row in table(response, "suggestions")] == names


def test_the_startups_page_shows_the_three_best_and_links_to_all(viewer_client, cast):
    page = viewer_client.get(f"/startups/{cast['startup'].id}")
    box = plain(page.get_data(as_text=True).split('id="suggested-investors"', 1)[1].split("</div>", 1)[0])
    assert "Suggested investors 5 Fjordkapital Vekst · Focus area: Solid tumours · Modality" in box
    assert "Rhein Bio" in box and "Øresund Life Science" in box and "Boston Precision" not in box
    assert "All suggestions and why they fit · 1 passed before" in box


def test_the_chosen_investors_are_added_to_the_round_as_identified(manager_client, manager_user, cast, db):
    url = f"/startups/{cast['startup'].id}/matches"
    response = manager_client.post(url, data={"investor_ids": [str(cast["fjordkapital"].id),
                                                               str(cast["passed"].id)]})

    assert response.status_code == 302 and response.location == f"/startups/{cast['startup'].id}"
    assert "2 investors added to the pipeline as identified." in page_text(manager_client.get(response.location))
    deals = db.session.scalars(select(Deal).where(Deal.round_kind == RoundKind.SEED,
                                                  Deal.investor_id.in_([cast["fjordkapital"].id,
                                                                        cast["passed"].id]))).all()
    assert {(d.stage, d.owner_id, d.currency) for d in deals} == {(DealStage.IDENTIFIED, manager_user.id, "NOK")}
    after = manager_client.get(url)
    assert [row[1] for row in table(after, "suggestions")] == [
        "Rhein Bio Foreign", "Øresund Life Science Foreign", "Boston Precision Foreign", "Åse Solberg"]
    assert 'id="passed-before"' not in after.get_data(as_text=True)


@pytest.mark.parametrize("chosen,message", [([], "Choose at least one investor."),
                                             (["OUTSIDE"], "is not a valid choice")])
def test_choosing_nobody_or_an_investor_not_suggested_adds_nothing(manager_client, cast, db, chosen, message):
    ids = [str(cast["inside"].id) if c == "OUTSIDE" else c for c in chosen]
    response = manager_client.post(f"/startups/{cast['startup'].id}/matches", data={"investor_ids": ids})
    assert response.status_code == 200
    assert message in field_errors(response, "investor_ids")
    assert db.session.scalar(select(Deal).where(Deal.round_kind == RoundKind.SEED,
                                                Deal.investor_id != cast["inside"].id)) is None


def test_a_startup_without_a_round_gets_no_suggestions(viewer_client, db):
    startup = factories.make_startup(name="Marebakken Bio")
    factories.make_investor(name="Fjordkapital Vekst", focus_areas=[SOLID])
    db.session.commit()
    response = viewer_client.get(f"/startups/{startup.id}/matches")
    assert "Marebakken Bio has no round open." in page_text(response)
    assert "Suggested investors" not in page_text(viewer_client.get(f"/startups/{startup.id}"))


def test_the_ranking_in_sql_agrees_with_the_rules_investor_by_investor(app, db):
    """On the generated demo set, every startup and region: the SQL ranking gives exactly the investors, order
    and scores that applying ``assess`` to every investor gives, and the startup page's first three and totals."""
    from crm.common.timeutil import local_today
    from crm.demo_large import seed_large
    from crm.matching.queries import REGIONS, assess, in_region, match_investors
    from crm.models import Investor, Startup
    from crm.rates.queries import rates_on

    seed_large(0.05, seed=11)
    db.session.commit()
    rates = rates_on(local_today())
    investors = db.session.scalars(select(Investor).order_by(Investor.name_sort, Investor.id)).all()
    startups = db.session.scalars(select(Startup).where(Startup.round_kind.is_not(None))).all()
    assert startups
    sizes = []
    for startup in startups:
        in_round = {deal.investor_id for deal in db.session.scalars(
            select(Deal).where(Deal.startup_id == startup.id, Deal.round_kind == startup.round_kind))}
        passed = {deal.investor_id for deal in db.session.scalars(
            select(Deal).where(Deal.startup_id == startup.id, Deal.stage == DealStage.PASSED,
                               Deal.round_kind != startup.round_kind))}
        for region in [*REGIONS, "abroad"]:
            expected = [s for s in (assess(i, startup, rates) for i in investors
                                    if i.status != InvestorStatus.INACTIVE and i.id not in in_round
                                    and in_region(i.country, region)) if s is not None]
            expected.sort(key=lambda s: -s.score)
            fits = [(s.investor.id, s.score) for s in expected if s.investor.id not in passed]
            passed_fits = [(s.investor.id, s.score) for s in expected if s.investor.id in passed]
            found = match_investors(startup, rates, region)
            assert [(s.investor.id, s.score) for s in found.suggestions] == fits, (startup.name, region)
            assert [(s.investor.id, s.score) for s in found.passed_before] == passed_fits
            box = match_investors(startup, rates, region, limit=3)
            assert [(s.investor.id, s.score) for s in box.suggestions] == fits[:3]
            assert (box.suggestions_total, box.passed_total) == (len(fits), len(passed_fits))
            sizes.append(len(fits))
    assert max(sizes) > 3 and min(sizes) < max(sizes)  # the set gives the rules something to decide
