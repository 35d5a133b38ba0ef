"""The small fixed data set the pipeline and dashboard tests work their figures out from, by hand.

Period figures are about 2023, a past year, so that they never move; figures about "now"
(open deals, stale deals, follow-ups, quiet incubatees) use dates counted back from today.
Every deal history happens at 10:00 UTC, so that a stay in a stage is a whole number of days
whatever the daylight saving time.

Exchange rates: EUR 11.00 from 2000, 12.00 from 1 Dec 2023, 13.00 from 1 Jun 2024; USD 10.00
from 2000; no rate for CHF. So the dashboard for 2023 converts at EUR 12.00 and USD 10.00,
and the pipeline (today) at EUR 13.00 and USD 10.00; CHF is always shown apart.

Startups: Aurora (A), Bølge (B), Cæsar (C) are incubatees; Dvale (D) an alumnus.
Investors: Fjordinvest (N1, NO), Nordlys (N2, NO), Rhein (F1, DE), Boston (F2, US), Zürich (F3, CH).

deal  pair   currency  expected   history (2023 unless said)                                     now
D1    A×N1   NOK       2,000,000  id 01-10, contacted 01-20, meeting 02-09, DD 03-11,
                                  committed 04-10 (1,500,000)                                    committed
D2    A×F1   EUR       300,000    id 02-01, contacted 02-11, meeting 02-26,
                                  committed 05-02 (200,000)                                      committed
D3    A×F2   USD       500,000    id 03-01, contacted 03-21, passed 04-20 (too early)           passed
D4    B×N2   NOK       5,000,000  id 04-01, contacted 04-13, meeting 05-11, DD 06-10             due diligence
D5    B×F3   CHF       1,000,000  id 05-01, committed 06-30 (800,000)                            committed
D6    B×F1   EUR       400,000    id 06-01                                                       identified
D7    A×N2   NOK       1,000,000  id 2022-11-15, contacted 01-05, on hold 01-29                  on hold
D8    B×N1   NOK       3,000,000  id 07-01, contacted 07-11, term sheet 08-20                    term sheet
D9    C×F2   USD       100,000    id 5 days ago                                                  identified
D10   A×F3   CHF       50,000     id 60 days ago                                                 identified

meeting  who                when                          follow-up
M1       A, N1              2023-02-09                    —
M2       A, F1              2023-02-26                    —
M3       B, N2              2023-05-11                    —
M4       B, F3              2023-07-15 (after D5's commitment)
M5       A, N1, F2          2023-09-05 (investor day)     —
M6       B, F2              2023-03-31 22:30 UTC = 1 April 00:30 in Oslo
M7       C only             2023-10-01                    —
M8       A, F1              2022-12-20 (before 2023)      —
M9       A, F2              2024-01-10 (after 2023)       —
M10      A, F3              10 days ago                   in 3 days
M11      C, F2              70 days ago                   5 days ago (overdue: nobody met since)
M12      A, N1              in 5 days (planned)           —
M13      N2 only            2 days ago                    in 20 days
M14      A, N1              50 days ago                   30 days ago (done: they met again in M15)
M15      A, N1              45 days ago                   —

Each follow-up is a follow-up on its meeting, for the first user (the manager), titled "Follow-up M10" and so on.
"""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from crm.common.timeutil import local_today, utcnow
from crm.extensions import db
from crm.followups.services import mark_done
from crm.models import DealStage, IncubatorStatus, RoundKind, TherapeuticArea
from tests import factories
from tests.factories import Decimal, move


def utc(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def build() -> SimpleNamespace:
    """Create the data set above and commit it; the namespace holds every record by its name."""
    now, today = utcnow(), local_today()
    ago = lambda days: now - timedelta(days=days)  # noqa: E731
    mari = factories.make_user(name="Mari Haugen", email="mari@example.com")
    tobias = factories.make_user(name="Tobias Lie", email="tobias@example.com")

    a = factories.make_startup(name="Aurora Onkologi", round_kind=RoundKind.SEED, round_target=Decimal("10000000"),
                               therapeutic_area=TherapeuticArea.IMMUNO_ONCOLOGY)
    b = factories.make_startup(name="Bølge Bio", round_kind=RoundKind.SERIES_A, round_target=Decimal("40000000"))
    c = factories.make_startup(name="Cæsar Diagnostics", round_kind=RoundKind.SEED)
    d = factories.make_startup(name="Dvale Medtech", incubator_status=IncubatorStatus.ALUMNUS)

    n1 = factories.make_investor(name="Fjordinvest", country="NO")
    n2 = factories.make_investor(name="Nordlys Kapital", country="NO")
    f1 = factories.make_investor(name="Rhein Capital", country="DE", currency="EUR")
    f2 = factories.make_investor(name="Boston Bio", country="US", currency="USD")
    f3 = factories.make_investor(name="Zürich Partners", country="CH", currency="CHF")

    factories.make_rate("EUR", "11.00", date(2000, 1, 1))
    factories.make_rate("EUR", "12.00", date(2023, 12, 1))
    factories.make_rate("EUR", "13.00", date(2024, 6, 1))
    factories.make_rate("USD", "10.00", date(2000, 1, 1))

    def deal(startup, investor, currency, expected, created, owner=None):
        return factories.make_deal(startup, investor, at=created, currency=currency, expected_amount=Decimal(expected),
                                   owner_id=owner.id if owner else None)

    d1 = deal(a, n1, "NOK", "2000000", utc(2023, 1, 10), mari)
    move(d1, DealStage.CONTACTED, utc(2023, 1, 20))
    move(d1, DealStage.MEETING_HELD, utc(2023, 2, 9))
    move(d1, DealStage.DUE_DILIGENCE, utc(2023, 3, 11))
    move(d1, DealStage.COMMITTED, utc(2023, 4, 10), committed="1500000")

    d2 = deal(a, f1, "EUR", "300000", utc(2023, 2, 1), mari)
    move(d2, DealStage.CONTACTED, utc(2023, 2, 11))
    move(d2, DealStage.MEETING_HELD, utc(2023, 2, 26))
    move(d2, DealStage.COMMITTED, utc(2023, 5, 2), committed="200000")

    d3 = deal(a, f2, "USD", "500000", utc(2023, 3, 1), mari)
    move(d3, DealStage.CONTACTED, utc(2023, 3, 21))
    move(d3, DealStage.PASSED, utc(2023, 4, 20), reason="too_early")

    d4 = deal(b, n2, "NOK", "5000000", utc(2023, 4, 1), tobias)
    move(d4, DealStage.CONTACTED, utc(2023, 4, 13))
    move(d4, DealStage.MEETING_HELD, utc(2023, 5, 11))
    move(d4, DealStage.DUE_DILIGENCE, utc(2023, 6, 10))

    d5 = deal(b, f3, "CHF", "1000000", utc(2023, 5, 1), tobias)
    move(d5, DealStage.COMMITTED, utc(2023, 6, 30), committed="800000")

    d6 = deal(b, f1, "EUR", "400000", utc(2023, 6, 1), tobias)

    d7 = deal(a, n2, "NOK", "1000000", utc(2022, 11, 15))
    move(d7, DealStage.CONTACTED, utc(2023, 1, 5))
    move(d7, DealStage.ON_HOLD, utc(2023, 1, 29))

    d8 = deal(b, n1, "NOK", "3000000", utc(2023, 7, 1), tobias)
    move(d8, DealStage.CONTACTED, utc(2023, 7, 11))
    move(d8, DealStage.TERM_SHEET, utc(2023, 8, 20))

    d9 = deal(c, f2, "USD", "100000", ago(5))
    d10 = deal(a, f3, "CHF", "50000", ago(60))

    meet = factories.make_meeting
    meetings = dict(
        m1=meet([a], [n1], starts_at=utc(2023, 2, 9), title="M1"),
        m2=meet([a], [f1], starts_at=utc(2023, 2, 26), title="M2"),
        m3=meet([b], [n2], starts_at=utc(2023, 5, 11), title="M3"),
        m4=meet([b], [f3], starts_at=utc(2023, 7, 15), title="M4"),
        m5=meet([a], [n1, f2], starts_at=utc(2023, 9, 5), title="M5"),
        m6=meet([b], [f2], starts_at=utc(2023, 3, 31, 22, 30), title="M6"),
        m7=meet([c], [], starts_at=utc(2023, 10, 1), title="M7"),
        m8=meet([a], [f1], starts_at=utc(2022, 12, 20), title="M8"),
        m9=meet([a], [f2], starts_at=utc(2024, 1, 10), title="M9"),
        m10=meet([a], [f3], starts_at=ago(10), title="M10", follow_up_on=today + timedelta(days=3),
                 follow_up_title="Follow-up M10"),
        m11=meet([c], [f2], starts_at=ago(70), title="M11", follow_up_on=today - timedelta(days=5),
                 follow_up_title="Follow-up M11"),
        m12=meet([a], [n1], starts_at=now + timedelta(days=5), title="M12"),
        m13=meet([], [n2], starts_at=ago(2), title="M13", follow_up_on=today + timedelta(days=20),
                 follow_up_title="Follow-up M13"),
        m14=meet([a], [n1], starts_at=ago(50), title="M14", follow_up_on=today - timedelta(days=30),
                 follow_up_title="Follow-up M14"),
        m15=meet([a], [n1], starts_at=ago(45), title="M15"),
    )
    mark_done(meetings["m14"].follow_ups[0], None, now=ago(45))
    db.session.commit()
    return SimpleNamespace(now=now, today=today, mari=mari, tobias=tobias, a=a, b=b, c=c, d=d,
                           n1=n1, n2=n2, f1=f1, f2=f2, f3=f3, d1=d1, d2=d2, d3=d3, d4=d4, d5=d5, d6=d6, d7=d7,
                           d8=d8, d9=d9, d10=d10, **meetings)


def add_deals(cluster, n: int) -> None:
    """``n`` more deals with histories, meetings and follow-ups, spread over the stages and both startups."""
    stages = [DealStage.CONTACTED, DealStage.MEETING_HELD, DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET,
              DealStage.COMMITTED, DealStage.PASSED, DealStage.ON_HOLD, DealStage.IDENTIFIED]
    for index in range(n):
        investor = factories.make_investor(name=f"Extra {index:03d}", country="NO" if index % 2 else "SE")
        startup = cluster.a if index % 3 else cluster.b
        deal = factories.make_deal(startup, investor, at=utc(2023, 1 + index % 12, 3), currency="EUR",
                                   expected_amount=Decimal(1000 * (index + 1)))
        stage = stages[index % len(stages)]
        if stage is not DealStage.IDENTIFIED:
            factories.move(deal, stage, at=utc(2023, 1 + index % 12, 20), committed="500",
                           reason="team")
        factories.make_meeting([startup], [investor], starts_at=utc(2023, 1 + index % 12, 10),
                               follow_up_on=cluster.today - timedelta(days=index % 20))
    db.session.commit()
