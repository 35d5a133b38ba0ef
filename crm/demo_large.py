"""A decade of a large cluster's data, written in bulk (``flask --app crm seed-demo --scale large``).

The small demo (crm/demo.py) goes through the services, one record at a time. That would take
an hour for 100,000 meetings, so this set is written with Core ``insert()`` statements and lists
of rows (executemany), in chunks. Those statements skip the ORM's unit of work on purpose, and
with it the audit log's session hook (crm/audit/recorder.py): a generated data set has no
history worth logging, and 700,000 log entries would only make the seeding slow. Everything else
the ORM would fill in is filled in here: the folded ``name_search`` and the ``name_sort`` key of
every name (crm.common.text), ``title_search``, version counters, created and updated times and
the stage history of every deal. The staff accounts and the exchange rates, a handful of rows,
do go through the services.

Every random choice comes from one ``random.Random(seed)``, so a run on the same day builds the
same rows; dates are counted back from the day it runs, so that the pages show recent work.
"""
import base64
import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.common.text import fold, sort_key
from crm.common.timeutil import local_to_utc, local_today, utcnow
from crm.extensions import db
from crm.models import (OPEN_STAGES, ConfidentialityAgreement, ConfidentialItem, ConfidentialItemKind, Contact, Deal,
                        DealStage, DealStageChange, DevelopmentStage, FocusDimension, FollowUp, IncubatorStatus,
                        Investor, InvestorFocus, InvestorKind, InvestorStatus, LegalBasis, Meeting, MeetingKind,
                        Modality, PassReason, ProfileField, ProfileFieldSetting, Role, RoundKind, ShareLink, ShareView,
                        Startup, StartupProfile, TherapeuticArea, User, Visibility, meeting_contacts, meeting_investors,
                        meeting_staff, meeting_startups, token_digest)
from crm.demo import (ADMIN_EMAIL, BROWSERS, FOREIGN_FIRST, FOREIGN_LAST, NORWEGIAN_FIRST, NORWEGIAN_LAST, TITLES,
                      DatabaseNotEmpty, _seed_rates, _slug)
from crm.users.services import UserData, create_user

# The full set; a scale of 0.1 builds a tenth of each.
LARGE = {"investors": 5_000, "contacts": 15_000, "startups": 1_000, "meetings": 100_000, "deals": 30_000,
         "follow_ups": 20_000, "share_links": 5_000}
YEARS = 10
CHUNK = 5_000

PLACES = ["Fjord", "Nordlys", "Ålesund", "Østlandet", "Bjørkli", "Trøndelag", "Sørlandet", "Mjøsa", "Vestland",
          "Hav og Fjell", "Innlandet", "Lofoten", "Hardanger", "Tromsø", "Bodø", "Stavanger", "Kristiansand", "Ørland",
          "Sogn", "Røros", "Hamar", "Lillehammer", "Ås", "Frøya", "Øresund", "Göteborg", "Helsinki", "Boston",
          "Cambridge", "Basel", "Lyon", "Amsterdam", "München", "Zürich", "Reykjavík", "Copenhagen", "Tokyo",
          "Kraków", "São Paulo", "Montréal"]
MIDDLES = ["Helse", "Bio", "Life Science", "Onkologi", "Medtech", "Pharma", "Health", "Precision", "Immuno",
           "Cancer", "Tumor", "Celle"]
SUFFIXES = ["Kapital", "Vekst", "Invest", "Ventures", "Partners", "Holding", "Fond", "Capital", "Angels",
            "Engler", "Familiekontor", "Stiftelse", "Sparebank", "Fund", "Growth", "Innovasjon"]
SUFFIX_KINDS = {"Angels": InvestorKind.ANGEL_NETWORK, "Engler": InvestorKind.ANGEL_NETWORK,
                "Familiekontor": InvestorKind.FAMILY_OFFICE, "Holding": InvestorKind.FAMILY_OFFICE,
                "Stiftelse": InvestorKind.FOUNDATION, "Sparebank": InvestorKind.BANK,
                "Innovasjon": InvestorKind.PUBLIC_FUND, "Pharma": InvestorKind.PHARMA_STRATEGIC}
FOREIGN_PLACES = {"Øresund": ("DK", "EUR"), "Göteborg": ("SE", "SEK"), "Helsinki": ("FI", "EUR"),
                  "Boston": ("US", "USD"), "Cambridge": ("GB", "GBP"), "Basel": ("CH", "CHF"), "Lyon": ("FR", "EUR"),
                  "Amsterdam": ("NL", "EUR"), "München": ("DE", "EUR"), "Zürich": ("CH", "CHF"),
                  "Reykjavík": ("IS", "EUR"), "Copenhagen": ("DK", "DKK"), "Tokyo": ("JP", "USD"),
                  "Kraków": ("PL", "EUR"), "São Paulo": ("BR", "USD"), "Montréal": ("CA", "USD")}
STARTUP_HEADS = ["Onko", "Immuno", "Radio", "Tumor", "Celle", "Pepti", "Gen", "Lys", "Ørn", "Sølv", "Årvåk", "Glimt",
                 "Fjell", "Nord", "Kreft", "Hjerne", "Blod", "Marg", "Vakt", "Strål", "Bølge", "Kjerne", "Spor",
                 "Måne", "Sol"]
STARTUP_TAILS = ["Fjord", "Trace", "Sikt", "Nor", "Vita", "Gen", "Cure", "Logic", "Mab", "Cell", "Bio", "Scan",
                 "Dx", "Rx", "Ther", "Vax", "Path", "Lab", "Med", "Omics"]
STARTUP_FORMS = ["Therapeutics", "Biologics", "Diagnostics", "AS", "Bio", "Medical", "Oncology", "Health", "Imaging",
                 "Pharma"]
LOCATIONS = ["Innovation Park, Oslo", "Video call", "BIO-Europe, partnering", "Investor's office",
             "Oslo Cancer Cluster", "Nordic Life Science Days", "Phone"]
OUTCOMES = ["Positive; wants the data room.", "Too early for them.", "Asked for a follow-up.", None]
NEXT_STEPS = ["Send the deck and the preclinical data.", "Set up a call with the CSO.", None]
TASKS = ["Send the updated deck", "Book a call with the CSO", "Share the data room", "Ask for a term sheet draft",
         "Check the fund's new mandate", "Introduce to the lead investor", "Follow up on the due diligence list"]
TICKETS = {"NOK": (500_000, 80_000_000), "EUR": (100_000, 8_000_000), "USD": (200_000, 20_000_000),
           "SEK": (1_000_000, 80_000_000), "DKK": (1_000_000, 50_000_000), "GBP": (100_000, 10_000_000),
           "CHF": (200_000, 30_000_000)}
PUBLIC_FIELDS = [ProfileField.NAME, ProfileField.LOGO, ProfileField.TAGLINE, ProfileField.PITCH,
                 ProfileField.THERAPEUTIC_AREA, ProfileField.INDICATION, ProfileField.MODALITY,
                 ProfileField.DEVELOPMENT_STAGE, ProfileField.ROUND, ProfileField.WEBSITE]
CONFIDENTIAL_FIELDS = [ProfileField.TEAM, ProfileField.CONTACT]
STAFF_COUNT = 20


def share_token(seed: int, link_id: int) -> str:
    """The token of a generated share link: derived from the seed, so that a benchmark can open the link."""
    digest = hashlib.sha256(f"crm-demo-{seed}-{link_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()  # the shape of secrets.token_urlsafe(32)


@dataclass
class LargeDemo:
    """What was built: the admin's sign-in, the row counts, and a few records a benchmark can open."""

    admin_email: str
    password: str
    counts: dict[str, int] = field(default_factory=dict)
    investor_id: int = 0  # an investor with many meetings and deals
    startup_id: int = 0  # a startup with many meetings and deals
    share_token: str = ""  # an active link to a startup's profile


class _Writer:
    """Inserts rows in chunks of CHUNK with executemany, and counts them."""
    # Each section of seed_large adds its parent rows (meetings) before their children (link rows),
    # so writing all buffers in order keeps foreign keys satisfied.

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.buffers: dict[sa.Table, list[dict]] = {}

    def add(self, table: sa.Table, row: dict) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, in the order their tables were first used: parents before their children."""
        for each in list(self.buffers):
            rows = self.buffers.get(each)
            if rows:
                db.session.execute(each.insert(), rows)
                self.counts[each.name] = self.counts.get(each.name, 0) + len(rows)
                self.buffers[each] = []


def _named(name: str) -> dict:
    return {"name": name, "name_search": fold(name), "name_sort": sort_key(name)}


def _stamps(at: datetime, updated: datetime | None = None) -> dict:
    return {"created_at": at, "updated_at": updated or at, "version": 1, "deleted_at": None, "deleted_by_id": None}


def _sizes(scale: float) -> dict[str, int]:
    return {key: max(4, round(count * scale)) for key, count in LARGE.items()}


def _at(day: date, rng: random.Random) -> datetime:
    return local_to_utc(datetime.combine(day, time(rng.choice([8, 9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30]))))


def seed_large(scale: float = 1.0, seed: int = 2026, now: datetime | None = None) -> LargeDemo:
    """Write the large demo set (``scale`` times its full size) into an empty database; the caller commits."""
    if any(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Investor, Startup, User)):
        raise DatabaseNotEmpty("The database already has data; seed-demo only fills an empty database.")
    rng = random.Random(seed)
    now = now or utcnow()
    today = local_today(now)
    sizes = _sizes(scale)
    password = secrets.token_urlsafe(12)
    admin = create_user(UserData(email=ADMIN_EMAIL, name="Demo Admin", role=Role.ADMIN), password)
    staff = [admin] + [create_user(UserData(email=f"staff{n}@example.com", name=_person(rng, n % 3 != 0),
                                            role=Role.MANAGER), secrets.token_urlsafe(16))
                       for n in range(1, STAFF_COUNT)]
    staff_ids = [user.id for user in staff]
    _seed_rates(today, admin)
    db.session.flush()
    first_day = today - timedelta(days=365 * YEARS)
    out = _Writer()

    # Investors, with their focus.
    investors = _investors(rng, sizes["investors"])
    for number, (name, kind, country, currency) in enumerate(investors, start=1):
        low, high = TICKETS[currency]
        ticket_min = Decimal(rng.randrange(low, high // 4, 50_000))
        created = _at(first_day + timedelta(days=rng.randrange(365 * YEARS - 30)), rng)
        out.add(Investor.__table__, {
            "id": number, **_named(name), "kind": kind.value, "status": rng.choice(list(InvestorStatus)).value,
            "country": country, "org_number": None,
            "website": None if kind is InvestorKind.ANGEL else f"https://{_slug(name)}.example.com",
            "ticket_min": ticket_min, "ticket_max": ticket_min * rng.choice([2, 4, 8]), "currency": currency,
            "description": f"{kind.label} investing in oncology.", "notes": None, "owner_id": rng.choice(staff_ids),
            **_stamps(created)})
        for dimension, vocabulary, most in ((FocusDimension.AREA, TherapeuticArea, 3),
                                            (FocusDimension.MODALITY, Modality, 3),
                                            (FocusDimension.STAGE, list(DevelopmentStage)[:5], 2)):
            for value in rng.sample([v.value for v in vocabulary], rng.randint(1, most)):
                out.add(InvestorFocus.__table__, {"investor_id": number, "dimension": dimension.value, "value": value})
    investor_ids = list(range(1, len(investors) + 1))
    investor_currency = {number: investors[number - 1][3] for number in investor_ids}

    # Startups.
    startup_names = _startup_names(rng, sizes["startups"])
    startup_rounds: dict[int, str] = {}
    for number, name in enumerate(startup_names, start=1):
        round_kind = rng.choice([None] + [r.value for r in RoundKind])
        startup_rounds[number] = round_kind or RoundKind.SEED.value
        created = _at(first_day + timedelta(days=rng.randrange(365 * YEARS - 30)), rng)
        out.add(Startup.__table__, {
            "id": number, **_named(name), "org_number": None,
            "incubator_status": rng.choice([IncubatorStatus.INCUBATEE] * 2 + [IncubatorStatus.APPLICANT,
                                                                              IncubatorStatus.ALUMNUS] * 2).value,
            "therapeutic_area": rng.choice(list(TherapeuticArea)).value, "indication": "Solid tumours",
            "modality": rng.choice(list(Modality)).value,
            "development_stage": rng.choice(list(DevelopmentStage)).value, "round_kind": round_kind,
            "round_target": Decimal(rng.randrange(5, 300)) * 1_000_000 if round_kind else None,
            "round_currency": "NOK", "pitch": "A new way to treat a cancer that has few options today.",
            "team": "Founded by researchers from Oslo University Hospital.",
            "website": f"https://{_slug(name)}.example.com", "notes": None, **_stamps(created)})
    startup_ids = list(range(1, len(startup_names) + 1))

    # Contacts: most at investors, three at each startup on average.
    contacts_of: dict[tuple[str, int], list[int]] = {}
    startup_share = min(sizes["contacts"] // 5, 3 * len(startup_ids))
    for number in range(1, sizes["contacts"] + 1):
        at_startup = number <= startup_share
        owner_id = startup_ids[(number - 1) % len(startup_ids)] if at_startup else rng.choice(investor_ids)
        if not at_startup and investors[owner_id - 1][1] is InvestorKind.ANGEL \
                and contacts_of.get(("investor", owner_id)):
            owner_id = rng.choice(investor_ids)
        norwegian = at_startup or investors[owner_id - 1][2] == "NO"
        name = _person(rng, norwegian)
        contacts_of.setdefault(("startup" if at_startup else "investor", owner_id), []).append(number)
        first, last = name.split()[0], name.split()[-1]
        out.add(Contact.__table__, {
            "id": number, **_named(name), "investor_id": None if at_startup else owner_id,
            "startup_id": owner_id if at_startup else None,
            "title": "CEO" if at_startup and number <= len(startup_ids) else rng.choice(TITLES),
            "email": f"{_slug(first)}.{_slug(last)}{number}@example.com",
            "phone": f"+47{rng.choice('49')}{rng.randrange(10**6, 10**7)}" if norwegian else None,
            "notes": None, "source": "Demo data", "legal_basis": LegalBasis.LEGITIMATE_INTEREST.value,
            "consent_on": None, "erased_at": None, **_stamps(_at(first_day, rng))})

    # Meetings, newest last; a few busy investors and startups meet far more often than the rest.
    busy_investors, busy_startups = investor_ids[:50], startup_ids[:20]
    span = 365 * YEARS + 30
    met_pairs: list[tuple[int, int, datetime]] = []
    for number in range(1, sizes["meetings"] + 1):
        day = first_day + timedelta(days=(number * span) // sizes["meetings"])
        starts_at = _at(day, rng)
        startups = [rng.choice(busy_startups if rng.random() < 0.2 else startup_ids)]
        if rng.random() < 0.08:
            startups.append(rng.choice(startup_ids))
        investors_met = [rng.choice(busy_investors if rng.random() < 0.2 else investor_ids)]
        if rng.random() < 0.15:
            investors_met.append(rng.choice(investor_ids))
        startups, investors_met = list(dict.fromkeys(startups)), list(dict.fromkeys(investors_met))
        logged = min(starts_at + timedelta(hours=2), now)
        out.add(Meeting.__table__, {
            "id": number, "starts_at": starts_at, "duration_minutes": rng.choice([30, 45, 60, 90]),
            "kind": rng.choice(list(MeetingKind)).value, "title": None, "title_search": "",
            "location": rng.choice(LOCATIONS), "notes": "Discussed the data package and the planned round.",
            "outcome": rng.choice(OUTCOMES), "next_steps": rng.choice(NEXT_STEPS), "event_id": None,
            "created_by_id": rng.choice(staff_ids), **_stamps(logged)})
        for startup_id in startups:
            out.add(meeting_startups, {"meeting_id": number, "startup_id": startup_id})
        people = []
        for investor_id in investors_met:
            out.add(meeting_investors, {"meeting_id": number, "investor_id": investor_id})
            people += contacts_of.get(("investor", investor_id), [])[:2]
        people += contacts_of.get(("startup", startups[0]), [])[:1]
        for contact_id in dict.fromkeys(people):
            out.add(meeting_contacts, {"meeting_id": number, "contact_id": contact_id})
        out.add(meeting_staff, {"meeting_id": number, "user_id": rng.choice(staff_ids)})
        met_pairs.append((startups[0], investors_met[0], starts_at))

    # Deals with their stage histories: old ones ended long ago, recent ones are still open.
    deal_number, change_number, seen = 0, 0, set()
    deal_ids: list[int] = []
    while deal_number < sizes["deals"]:
        startup_id, investor_id, met = rng.choice(met_pairs) if rng.random() < 0.7 else (
            rng.choice(startup_ids), rng.choice(investor_ids), _at(first_day + timedelta(days=rng.randrange(span)),
                                                                   rng))
        round_kind = startup_rounds[startup_id] if rng.random() < 0.8 else rng.choice(list(RoundKind)).value
        if (startup_id, investor_id, round_kind) in seen:
            continue
        seen.add((startup_id, investor_id, round_kind))
        deal_number += 1
        deal_ids.append(deal_number)
        at = min(met - timedelta(days=rng.randint(1, 20)), now - timedelta(days=1))
        owner_id = rng.choice(staff_ids)
        currency = investor_currency[investor_id]
        low, high = TICKETS[currency]
        amount = Decimal(rng.randrange(low, high, 50_000))
        age = (now - at).days
        goal = rng.choices(["open", "committed", "passed", "on_hold"],
                           weights=[6, 2, 3, 1] if age < 365 else [1, 4, 8, 2])[0]
        created, path = at, [DealStage.IDENTIFIED]
        last_open = rng.randint(0, 4) if goal == "open" else rng.randint(1, 4)
        path += list(OPEN_STAGES[1:last_open + 1])
        if goal != "open":
            path.append({"committed": DealStage.COMMITTED, "passed": DealStage.PASSED,
                         "on_hold": DealStage.ON_HOLD}[goal])
        changes, previous = [], None
        for stage in path:
            if previous is not None:
                step = timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
                if at + step >= now:
                    break
                at += step
            change_number += 1
            changes.append({"id": change_number, "deal_id": deal_number, "from_stage": previous.value if previous
                            else None, "to_stage": stage.value, "user_id": owner_id, "at": at})
            previous = stage
        stage = previous
        reason = rng.choice(list(PassReason)) if stage is DealStage.PASSED else None
        out.add(Deal.__table__, {
            "id": deal_number, "startup_id": startup_id, "investor_id": investor_id, "round_kind": round_kind,
            "stage": stage.value, "stage_changed_at": at, "pass_reason": reason.value if reason else None,
            "pass_reason_text": "Fund fully invested this year." if reason is PassReason.OTHER else None,
            "owner_id": owner_id, "expected_amount": amount,
            "committed_amount": amount if stage is DealStage.COMMITTED else None, "currency": currency,
            "notes": None, **_stamps(created, at)})
        for change in changes:
            out.add(DealStageChange.__table__, change)

    # Follow-ups: from meetings mostly, the rest on deals, investors and startups; the past ones mostly done.
    for number in range(1, sizes["follow_ups"] + 1):
        target = rng.choices(["meeting", "deal", "investor", "startup"], weights=[5, 3, 1, 1])[0]
        if target == "meeting":
            meeting_id = rng.randint(max(1, sizes["meetings"] - sizes["meetings"] // 5), sizes["meetings"]) \
                if rng.random() < 0.5 else rng.randint(1, sizes["meetings"])
            created = min(met_pairs[meeting_id - 1][2], now)
            links = {"meeting_id": meeting_id}
        else:
            created = now - timedelta(days=rng.randint(0, 365 * YEARS), hours=rng.randint(0, 20))
            links = {f"{target}_id": rng.choice({"deal": deal_ids, "investor": investor_ids,
                                                 "startup": startup_ids}[target])}
        due_on = local_today(created) + timedelta(days=rng.choice([3, 7, 14, 30]))
        done = due_on < today - timedelta(days=20) and rng.random() < 0.97 or due_on < today and rng.random() < 0.5
        assignee = rng.choice(staff_ids)
        out.add(FollowUp.__table__, {
            "id": number, "title": rng.choice(TASKS), "due_on": due_on, "assignee_id": assignee,
            "done_at": local_to_utc(datetime.combine(due_on, time(15))) if done else None,
            "done_by_id": assignee if done else None, "created_by_id": rng.choice(staff_ids),
            **{f"{kind}_id": None for kind in FollowUp.LINKS}, **links, **_stamps(created)})

    # Public profiles for a fifth of the startups, share links to them, and their views.
    shared = startup_ids[:max(2, len(startup_ids) // 5)]
    for startup_id in shared:
        out.add(StartupProfile.__table__, {"startup_id": startup_id, "tagline": "A first-in-class cancer therapy.",
                                           "contact_id": contacts_of.get(("startup", startup_id), [None])[0],
                                           "created_at": now, "updated_at": now, "version": 1})
        for each, visibility in [(f, Visibility.PUBLIC) for f in PUBLIC_FIELDS] + \
                                [(f, Visibility.CONFIDENTIAL) for f in CONFIDENTIAL_FIELDS]:
            out.add(ProfileFieldSetting.__table__, {"startup_id": startup_id, "field": each.value,
                                                    "visibility": visibility.value})
        out.add(ConfidentialItem.__table__, {
            "startup_id": startup_id, "kind": ConfidentialItemKind.DECK.value, "title": "Investor deck",
            "url": f"https://dataroom.example.com/{startup_id}/deck.pdf", "text": None,
            "created_by_id": staff_ids[0], "created_at": now, "updated_at": now})
    view_number = 0
    for number in range(1, sizes["share_links"] + 1):
        startup_id = shared[(number - 1) % len(shared)]
        investor_id = rng.choice(investor_ids)
        made = now - timedelta(days=rng.randint(1, 365 * 3), hours=rng.randint(0, 8))
        expires = made + timedelta(days=rng.choice([14, 30, 60, 90]))
        if number == 1:  # the link a benchmark opens: active, with an agreement behind it
            made, expires = now - timedelta(days=5), now + timedelta(days=60)
            out.add(ConfidentialityAgreement.__table__, {
                "investor_id": investor_id, "startup_id": startup_id, "signed_on": today - timedelta(days=30),
                "expires_on": today + timedelta(days=300), "recorded_by_id": staff_ids[0],
                "created_at": now, "updated_at": now})
        out.add(ShareLink.__table__, {
            "id": number, "startup_id": startup_id, "investor_id": investor_id,
            "contact_id": (contacts_of.get(("investor", investor_id)) or [None])[0], "label": None,
            "token_hash": token_digest(share_token(seed, number)), "created_by_id": rng.choice(staff_ids),
            "created_at": made, "expires_at": expires,
            "revoked_at": made + timedelta(days=2) if number > 1 and rng.random() < 0.05 else None,
            "revoked_by_id": None})
        for _ in range(rng.choice([0, 1, 2, 3, 4, 5])):
            view_number += 1
            out.add(ShareView.__table__, {
                "id": view_number, "link_id": number,
                "viewed_at": min(made + timedelta(hours=rng.randint(1, 24 * 14)), now),
                "user_agent": rng.choice(BROWSERS), "network": "203.0.113.0/24"})
    out.flush()
    _advance_sequences()
    busiest = db.session.execute(
        sa.select(meeting_investors.c.investor_id).group_by(meeting_investors.c.investor_id)
        .order_by(sa.func.count().desc(), meeting_investors.c.investor_id).limit(1)).scalar()
    busiest_startup = db.session.execute(
        sa.select(meeting_startups.c.startup_id).group_by(meeting_startups.c.startup_id)
        .order_by(sa.func.count().desc(), meeting_startups.c.startup_id).limit(1)).scalar()
    return LargeDemo(ADMIN_EMAIL, password, out.counts, busiest, busiest_startup, share_token(seed, 1))


def _advance_sequences() -> None:
    """On PostgreSQL, move each id sequence past the ids written here, so that new records get free ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in (Investor, Startup, Contact, Meeting, Deal, DealStageChange, FollowUp, ShareLink, ShareView):
        highest = sa.select(sa.func.max(table.id)).scalar_subquery()
        db.session.execute(sa.select(sa.func.setval(sa.func.pg_get_serial_sequence(table.__tablename__, "id"),
                                                    sa.func.coalesce(highest, 1))))


def _person(rng: random.Random, norwegian: bool) -> str:
    first, last = (NORWEGIAN_FIRST, NORWEGIAN_LAST) if norwegian else (FOREIGN_FIRST, FOREIGN_LAST)
    return f"{rng.choice(first)} {rng.choice(last)}"


def _investors(rng: random.Random, count: int) -> list[tuple[str, InvestorKind, str, str]]:
    """(name, kind, country, currency) of ``count`` investors with distinct names; one in six an angel."""
    combos = [(p, m, s) for p in PLACES for m in MIDDLES for s in SUFFIXES]
    rng.shuffle(combos)
    angels = [(f, chr(65 + i), l, norwegian) for norwegian, firsts, lasts in
              ((True, NORWEGIAN_FIRST, NORWEGIAN_LAST), (False, FOREIGN_FIRST, FOREIGN_LAST))
              for f in firsts for l in lasts for i in range(26)]
    rng.shuffle(angels)
    out = []
    for index in range(count):
        if index % 6 == 5:
            first, initial, last, norwegian = angels[index // 6]
            country, currency = ("NO", "NOK") if norwegian else rng.choice(list(FOREIGN_PLACES.values()))
            out.append((f"{first} {initial}. {last}", InvestorKind.ANGEL, country, currency))
            continue
        place, middle, suffix = combos[index]
        country, currency = FOREIGN_PLACES.get(place, ("NO", "NOK"))
        kind = SUFFIX_KINDS.get(suffix) or SUFFIX_KINDS.get(middle) or rng.choice(
            [InvestorKind.VENTURE_FUND, InvestorKind.VENTURE_FUND, InvestorKind.CORPORATE_VC,
             InvestorKind.PUBLIC_FUND])
        out.append((f"{place} {middle} {suffix}", kind, country, currency))
    return out


def _startup_names(rng: random.Random, count: int) -> list[str]:
    combos = [f"{h}{t.lower()} {f}" for h in STARTUP_HEADS for t in STARTUP_TAILS for f in STARTUP_FORMS]
    rng.shuffle(combos)
    return combos[:count]
