"""A small, realistic demo data set, built through the services (``flask --app crm seed-demo``)."""
import random
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import phonenumbers
from sqlalchemy import func, select
from stdnum.no import orgnr

from crm.common.timeutil import local_to_utc, local_today, month_start, utc_to_local, utcnow
from crm.contacts.services import ContactData, create_contact
from crm.deals.services import DealData, MoveData, create_deal, move_deal
from crm.extensions import db
from crm.investors.services import InvestorData, create_investor
from crm.events.services import EventData, GridMeeting, create_event, log_event_meeting
from crm.followups.services import FollowUpData, create_follow_up, mark_done
from crm.followups.targets import Target
from crm.meetings.services import MeetingData, NextStep, create_meeting
from crm.models import (OPEN_STAGES, ConfidentialItemKind, DealStage, DevelopmentStage, IncubatorStatus, Investor,
                        InvestorKind, InvestorStatus, MeetingKind, Modality, PassReason, ProfileField, Role, RoundKind,
                        Startup, TherapeuticArea, User, Visibility)
from crm.rates.services import RateData, set_exchange_rate
from crm.sharing import services as sharing
from crm.startups.services import StartupData, create_startup
from crm.timeline.services import add_note
from crm.users.services import UserData, create_user

ADMIN_EMAIL = "admin@example.com"

# name, kind, country, ticket range in the currency's units
INVESTORS = [
    ("Fjordkapital Vekst", InvestorKind.VENTURE_FUND, "NO", "NOK", 5_000_000, 40_000_000),
    ("Nordlys Helseinvest", InvestorKind.VENTURE_FUND, "NO", "NOK", 10_000_000, 80_000_000),
    ("Ålesund Biofond", InvestorKind.VENTURE_FUND, "NO", "NOK", 2_000_000, 15_000_000),
    ("Østlandet Såkorn", InvestorKind.PUBLIC_FUND, "NO", "NOK", 1_000_000, 10_000_000),
    ("Bjørkli Familiekontor", InvestorKind.FAMILY_OFFICE, "NO", "NOK", 3_000_000, 25_000_000),
    ("Trøndelag Engleinvestorer", InvestorKind.ANGEL_NETWORK, "NO", "NOK", 250_000, 3_000_000),
    ("Sørlandet Helsefond", InvestorKind.FOUNDATION, "NO", "NOK", 500_000, 5_000_000),
    ("Mjøsa Venture", InvestorKind.VENTURE_FUND, "NO", "NOK", 5_000_000, 30_000_000),
    ("Kreftforskningsstiftelsen Lys", InvestorKind.FOUNDATION, "NO", "NOK", 1_000_000, 8_000_000),
    ("Vestland Sparebank Vekst", InvestorKind.BANK, "NO", "NOK", 2_000_000, 20_000_000),
    ("Hav og Fjell Kapital", InvestorKind.FAMILY_OFFICE, "NO", "NOK", 5_000_000, 50_000_000),
    ("Oslo Engler", InvestorKind.ANGEL_NETWORK, "NO", "NOK", 200_000, 2_000_000),
    ("Innovasjonsfondet Nord", InvestorKind.PUBLIC_FUND, "NO", "NOK", 2_000_000, 20_000_000),
    ("Åse Solberg", InvestorKind.ANGEL, "NO", "NOK", 250_000, 1_500_000),
    ("Henrik Ødegård", InvestorKind.ANGEL, "NO", "NOK", 500_000, 2_000_000),
    ("Nordic Pharma Strategic AS", InvestorKind.PHARMA_STRATEGIC, "NO", "NOK", 10_000_000, 100_000_000),
    ("Øresund Life Science Ventures", InvestorKind.VENTURE_FUND, "DK", "EUR", 1_000_000, 8_000_000),
    ("Stockholm Oncology Capital", InvestorKind.VENTURE_FUND, "SE", "SEK", 10_000_000, 80_000_000),
    ("Helsinki Health Fund", InvestorKind.VENTURE_FUND, "FI", "EUR", 500_000, 5_000_000),
    ("Boston Tumor Ventures", InvestorKind.VENTURE_FUND, "US", "USD", 2_000_000, 20_000_000),
    ("Cambridge Precision Bio", InvestorKind.VENTURE_FUND, "GB", "GBP", 1_000_000, 10_000_000),
    ("Basel Oncology Partners", InvestorKind.PHARMA_STRATEGIC, "CH", "CHF", 5_000_000, 50_000_000),
    ("Lyon Immuno Capital", InvestorKind.VENTURE_FUND, "FR", "EUR", 1_000_000, 12_000_000),
    ("Amsterdam MedTech Angels", InvestorKind.ANGEL_NETWORK, "NL", "EUR", 100_000, 1_000_000),
    ("München Radiopharma Fonds", InvestorKind.VENTURE_FUND, "DE", "EUR", 2_000_000, 15_000_000),
    ("Global Pharma Ventures", InvestorKind.CORPORATE_VC, "US", "USD", 5_000_000, 40_000_000),
    ("Rhein Family Holding", InvestorKind.FAMILY_OFFICE, "DE", "EUR", 1_000_000, 10_000_000),
    ("Copenhagen Cancer Foundation", InvestorKind.FOUNDATION, "DK", "DKK", 2_000_000, 15_000_000),
    ("Göteborg Biotech Invest", InvestorKind.VENTURE_FUND, "SE", "SEK", 5_000_000, 40_000_000),
    ("Tokyo Oncology CVC", InvestorKind.CORPORATE_VC, "JP", "USD", 3_000_000, 25_000_000),
    ("European Health Innovation Fund", InvestorKind.PUBLIC_FUND, "LU", "EUR", 2_000_000, 30_000_000),
    ("Reykjavík Life Science Angels", InvestorKind.ANGEL_NETWORK, "IS", "EUR", 50_000, 500_000),
]

STARTUPS = [
    ("Lysaker Onkologi", TherapeuticArea.SOLID_TUMOURS, "Triple-negative breast cancer", Modality.SMALL_MOLECULE,
     DevelopmentStage.PRECLINICAL, RoundKind.SEED, 15_000_000,
     "A first-in-class inhibitor of a DNA-repair pathway that triple-negative tumours depend on."),
    ("ImmunoFjord", TherapeuticArea.IMMUNO_ONCOLOGY, "PD-1-refractory melanoma", Modality.ANTIBODY,
     DevelopmentStage.PHASE_1, RoundKind.SERIES_A, 120_000_000,
     "A bispecific antibody that wakes up exhausted T cells where checkpoint inhibitors have failed."),
    ("RadioTrace", TherapeuticArea.PRECISION_ONCOLOGY, "Metastatic prostate cancer", Modality.RADIOPHARMACEUTICAL,
     DevelopmentStage.PRECLINICAL, RoundKind.SEED, 30_000_000,
     "A thorium-based targeted alpha therapy, made from isotopes the founders learned to purify at scale."),
    ("Tumorsikt Diagnostics", TherapeuticArea.EARLY_DETECTION, "Colorectal cancer screening", Modality.DIAGNOSTIC,
     DevelopmentStage.PHASE_2, RoundKind.SERIES_A, 60_000_000,
     "A blood test that finds colorectal cancer at stage I from methylation patterns in cell-free DNA."),
    ("CellVakt Therapeutics", TherapeuticArea.HAEMATOLOGICAL, "Relapsed acute myeloid leukaemia", Modality.CELL_THERAPY,
     DevelopmentStage.PHASE_1, RoundKind.SERIES_A, 150_000_000,
     "Off-the-shelf NK cells engineered to survive in the bone marrow niche."),
    ("Ørn Biologics", TherapeuticArea.SOLID_TUMOURS, "Pancreatic ductal adenocarcinoma", Modality.ANTIBODY,
     DevelopmentStage.DISCOVERY, RoundKind.PRE_SEED, 5_000_000,
     "Antibodies that break the stroma around pancreatic tumours so that chemotherapy reaches them."),
    ("PeptiNord", TherapeuticArea.IMMUNO_ONCOLOGY, "Non-small-cell lung cancer", Modality.VACCINE,
     DevelopmentStage.PHASE_2, RoundKind.SERIES_B, 250_000_000,
     "A personalised neoantigen peptide vaccine, manufactured in six weeks from a biopsy."),
    ("Hjernekraft Medtech", TherapeuticArea.PAEDIATRIC, "Paediatric brain tumours", Modality.MEDTECH,
     DevelopmentStage.PRECLINICAL, RoundKind.GRANT, 8_000_000,
     "A focused-ultrasound device that opens the blood-brain barrier for chemotherapy in children."),
    ("Sølvberg Vaccines", TherapeuticArea.RARE_CANCERS, "HPV-positive head and neck cancer", Modality.VACCINE,
     DevelopmentStage.PRECLINICAL, RoundKind.SEED, 20_000_000,
     "A therapeutic DNA vaccine against HPV16 oncoproteins, given with a needle-free injector."),
    ("Årvåk Digital Health", TherapeuticArea.SUPPORTIVE_CARE, "Symptom monitoring during chemotherapy",
     Modality.DIGITAL, DevelopmentStage.APPROVED, RoundKind.SERIES_A, 40_000_000,
     "An app that catches chemotherapy side effects early; CE-marked and used at three hospitals."),
    ("Glimt Imaging", TherapeuticArea.PRECISION_ONCOLOGY, "Ovarian cancer surgery", Modality.DIAGNOSTIC,
     DevelopmentStage.PHASE_1, RoundKind.SEED, 25_000_000,
     "A fluorescent tracer that lights up ovarian cancer lesions during surgery."),
    ("Marebakken Bio", TherapeuticArea.HAEMATOLOGICAL, "Multiple myeloma", Modality.SMALL_MOLECULE,
     DevelopmentStage.DISCOVERY, None, None,
     "Degraders of a transcription factor that myeloma cells cannot live without."),
]

NORWEGIAN_FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Håkon", "Marte", "Bjørn", "Solveig", "Eirik",
                   "Tone", "Per", "Astrid", "Jørgen", "Liv", "Magnus", "Åse", "Øystein", "Ærlig", "Randi"]
NORWEGIAN_LAST = ["Nordmann", "Bjørnstad", "Ødegaard", "Åsheim", "Ækre", "Løvås", "Sæther", "Grønli", "Fjære",
                  "Strøm", "Kåsa", "Øverli", "Hæreid", "Nærø", "Brænne", "Tjønn", "Haugland", "Berg"]
FOREIGN_FIRST = ["Anna", "Mikkel", "Julia", "James", "Claire", "Pieter", "Laura", "Kenji", "Emma", "Sarah",
                 "Lukas", "Sofia", "Jón", "Chloé", "David", "Hannah"]
FOREIGN_LAST = ["Lindqvist", "Sørensen", "Schmidt", "O'Connor", "Dubois", "de Vries", "Rossi", "Tanaka",
                "Virtanen", "Goldberg", "Müller", "Andersson", "Guðmundsson", "Martin", "Keller", "Novak"]
TITLES = ["Partner", "Investment Director", "Principal", "Associate", "Managing Partner", "Head of BD"]
# The one-line pitches of the startups whose public profiles the demo sets up, in the order of STARTUPS.
TAGLINES = ["Starving triple-negative tumours of DNA repair.", "Waking up exhausted T cells in melanoma.",
            "Alpha therapy for prostate cancer, made in Norway.", "Stage I colorectal cancer, found in a blood test."]
BROWSERS = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
            "Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile"]
STAFF = [("Mari Haugen", "mari.haugen@example.com"), ("Tobias Lie", "tobias.lie@example.com"),
         ("Nora Østby", "nora.ostby@example.com")]


# NOK for one unit, from the start of last year; the euro and the dollar get a newer rate last month.
RATES = [("EUR", "11.48"), ("USD", "10.62"), ("SEK", "0.98"), ("DKK", "1.54"), ("GBP", "13.46"), ("CHF", "12.21")]
NEWER_RATES = [("EUR", "11.62"), ("USD", "10.48")]


class DatabaseNotEmpty(Exception):
    """seed-demo runs only once, on an empty database."""


def _org_number(rng: random.Random) -> str:
    while True:
        first8 = "9" + "".join(rng.choice("0123456789") for _ in range(7))
        for check in "0123456789":
            if orgnr.is_valid(first8 + check):
                return first8 + check


def _phone(rng: random.Random, country: str) -> str | None:
    if country == "NO":
        return f"+47{rng.choice('49')}{rng.randrange(10**6, 10**7)}"
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164) if example else None


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ö": "o", "ä": "a", "ü": "u", "é": "e", "í": "i",
                           "ð": "d", "ú": "u", "\u00ad": ""})
    return "".join(c for c in name.lower().translate(table) if c.isalnum())[:30]


def seed_demo(seed: int = 2026) -> tuple[str, str]:
    """Create the demo users, investors, contacts, startups and meetings; return the admin's sign-in."""
    if db.session.scalar(select(func.count(Investor.id))) or db.session.scalar(select(func.count(Startup.id))) \
            or db.session.scalar(select(func.count(User.id))):
        raise DatabaseNotEmpty("The database already has data; seed-demo only fills an empty database.")
    rng = random.Random(seed)  # nosec B311 # repeatable demo data, not security; passwords come from secrets
    password = secrets.token_urlsafe(12)
    admin = create_user(UserData(email=ADMIN_EMAIL, name="Demo Admin", role=Role.ADMIN), password)
    staff = [admin] + [create_user(UserData(email=email, name=name, role=Role.MANAGER), secrets.token_urlsafe(16))
                       for name, email in STAFF]

    investors = []
    used: set[str] = set()

    def person_name(norwegian: bool) -> str:
        first, last = (NORWEGIAN_FIRST, NORWEGIAN_LAST) if norwegian else (FOREIGN_FIRST, FOREIGN_LAST)
        while True:
            name = f"{rng.choice(first)} {rng.choice(last)}"
            if name not in used:
                used.add(name)
                return name

    for index, (name, kind, country, currency, low, high) in enumerate(INVESTORS):
        areas = rng.sample([a.value for a in TherapeuticArea], rng.randint(1, 3))
        modalities = rng.sample([m.value for m in Modality], rng.randint(1, 3))
        stages = rng.sample([s.value for s in DevelopmentStage][:5], rng.randint(1, 3))
        if index % 3 == 0:  # generalist oncology investors, so that matching has something to suggest
            areas, modalities = [a.value for a in TherapeuticArea], [m.value for m in Modality]
            stages = [s.value for s in DevelopmentStage][:4]
        investor = create_investor(InvestorData(
            name=name, kind=kind, status=rng.choice(list(InvestorStatus)), country=country,
            org_number=_org_number(rng) if country == "NO" and kind is not InvestorKind.ANGEL else None,
            website=None if kind is InvestorKind.ANGEL else f"https://{_slug(name)}.example.com",
            ticket_min=Decimal(low), ticket_max=Decimal(high), currency=currency, owner_id=rng.choice(staff).id,
            description=f"{kind.label} investing in oncology.", notes=None,
            focus_areas=areas, modalities=modalities, stage_focus=stages), admin)
        people = 1 if kind is InvestorKind.ANGEL else rng.randint(1, 3)
        for _ in range(people):
            person = name if kind is InvestorKind.ANGEL else person_name(country == "NO")
            create_contact(ContactData(
                name=person, title=None if kind is InvestorKind.ANGEL else rng.choice(TITLES),
                email=f"{_slug(person.split()[0])}.{_slug(person.split()[-1])}@{_slug(name)}.example.com",
                phone=_phone(rng, country)), investor, admin)
        investors.append(investor)

    startups = []
    for name, area, indication, modality, stage, round_kind, target, pitch in STARTUPS:
        startup = create_startup(StartupData(
            name=name, incubator_status=rng.choice([IncubatorStatus.INCUBATEE] * 4 + [IncubatorStatus.APPLICANT,
                                                                                      IncubatorStatus.ALUMNUS]),
            therapeutic_area=area, modality=modality, development_stage=stage, org_number=_org_number(rng),
            indication=indication, round_kind=round_kind,
            round_target=Decimal(target) if target else None, round_currency="NOK", pitch=pitch,
            team="Founded by researchers from Oslo University Hospital and the University of Oslo.",
            website=f"https://{_slug(name)}.example.com"), admin)
        founder = person_name(True)
        create_contact(ContactData(name=founder, title="CEO",
                                   email=f"{_slug(founder.split()[0])}@{_slug(name)}.example.com",
                                   phone=_phone(rng, "NO")), startup, admin)
        startups.append(startup)

    today = local_today()
    for index in range(42):
        day = today - timedelta(days=rng.randint(-10, 360))
        when = local_to_utc(datetime.combine(day, time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30]))))
        met_startups = rng.sample(startups, 2 if index % 9 == 0 else 1)
        met_investors = rng.sample(investors, rng.choice([1, 1, 1, 2, 3]))
        contacts = [c for i in met_investors for c in i.contacts][:3] + [c for s in met_startups for c in s.contacts]
        follow_up = day + timedelta(days=rng.choice([7, 14, 30])) if rng.random() < 0.5 else None
        next_step = NextStep(follow_up) if follow_up and follow_up >= day else None
        meeting = create_meeting(MeetingData(
            starts_at=when, kind=rng.choice(list(MeetingKind)), duration_minutes=rng.choice([30, 45, 60]),
            location=rng.choice(["Innovation Park, Oslo", "Video call", "BIO-Europe, partnering",
                                 "Investor's office"]),
            notes="Discussed the data package and the planned round.",
            outcome=rng.choice(["Positive; wants the data room.", "Too early for them.", "Asked for a follow-up."]),
            next_steps=rng.choice(["Send the deck and the preclinical data.", "Set up a call with the CSO.", None]),
            startup_ids=[s.id for s in met_startups], investor_ids=[i.id for i in met_investors],
            contact_ids=[c.id for c in contacts], staff_ids=[rng.choice(staff).id]), rng.choice(staff), next_step)
        if next_step:
            meeting.follow_ups[0].created_at = min(when, utcnow())  # added when the meeting was logged
        if next_step and follow_up < today and rng.random() < 0.6:
            done_at = local_to_utc(datetime.combine(follow_up, time(15)))
            mark_done(meeting.follow_ups[0], meeting.created_by, now=done_at)
    _seed_sharing(rng, startups, investors, staff)
    _seed_rates(today, admin)
    _seed_pipeline(rng, startups, investors, staff)
    _seed_daily_work(rng, startups, investors, staff)
    return ADMIN_EMAIL, password


def _seed_sharing(rng: random.Random, startups: list[Startup], investors: list[Investor], staff: list[User]) -> None:
    """Public profiles for a few startups, two agreements, and share links (one revoked, one expired) with views."""
    now = utcnow()
    today = local_today(now)
    public = [ProfileField.NAME, ProfileField.LOGO, ProfileField.TAGLINE, ProfileField.PITCH,
              ProfileField.THERAPEUTIC_AREA, ProfileField.INDICATION, ProfileField.MODALITY,
              ProfileField.DEVELOPMENT_STAGE, ProfileField.ROUND, ProfileField.WEBSITE]
    confidential = [ProfileField.TEAM, ProfileField.CONTACT]
    for startup, tagline in zip(startups, TAGLINES):
        chosen = {sharing.visibility_key(f): Visibility.PUBLIC for f in public}
        chosen.update({sharing.visibility_key(f): Visibility.CONFIDENTIAL for f in confidential})
        sharing.set_profile(startup, None, sharing.ProfileData(tagline=tagline, contact_id=startup.contacts[0].id,
                                                               **chosen), "", staff[0])
        slug = _slug(startup.name)
        sharing.add_confidential_item(startup, sharing.ItemData(
            ConfidentialItemKind.DECK, "Investor deck", url=f"https://dataroom.example.com/{slug}/deck.pdf"), staff[0])
        sharing.add_confidential_item(startup, sharing.ItemData(
            ConfidentialItemKind.PATENTS, "Patent status",
            text="One patent family granted in Europe and the US; a second filed under the PCT."), staff[0])

    readers = rng.sample([i for i in investors if i.contacts], 5)
    for startup, investor in ((startups[0], readers[0]), (startups[1], readers[2])):
        sharing.record_agreement(investor, sharing.AgreementData(
            startup_id=startup.id, signed_on=today - timedelta(days=60), expires_on=today + timedelta(days=670)),
            staff[0])
    # (startup, investor or None for a general link, label, made this many days ago, valid for days, views)
    plan = [(0, readers[0], None, 12, 30, 4), (0, readers[1], None, 6, 30, 1), (1, readers[2], None, 20, 60, 2),
            (2, None, "BIO-Europe partnering", 9, 14, 5), (1, readers[3], None, 40, 90, 0),
            (3, readers[4], None, 75, 30, 3)]
    for index, (number, investor, label, days_ago, valid_days, views) in enumerate(plan):
        made = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        link, _token = sharing.create_share_link(startups[number], sharing.LinkData(
            expires_on=local_today(made) + timedelta(days=valid_days), investor_id=investor.id if investor else None,
            contact_id=investor.contacts[0].id if investor else None, label=label), rng.choice(staff), now=made)
        for _ in range(views):
            seen = made + timedelta(hours=rng.randint(1, 24 * min(days_ago, valid_days)))
            sharing.record_share_view(link, rng.choice(BROWSERS), f"203.0.113.{rng.randint(1, 254)}",
                                      now=min(seen, now))
        if index == 4:
            sharing.revoke_share_link(link, staff[0], now=now - timedelta(days=3))


def _seed_rates(today, admin: User) -> None:
    for currency, rate in RATES:
        set_exchange_rate(RateData(currency, date(today.year - 1, 1, 1), Decimal(rate)), admin)
    for currency, rate in NEWER_RATES:
        set_exchange_rate(RateData(currency, month_start(today, 1), Decimal(rate)), admin)


def _seed_pipeline(rng: random.Random, startups: list[Startup], investors: list[Investor], staff: list[User]) -> None:
    """Each open round gets investors who moved along the pipeline over the past months, as a team would have."""
    now = utcnow()
    for startup in startups:
        if startup.round_kind is None:
            continue
        for investor in rng.sample(investors, rng.randint(5, 10)):
            owner = rng.choice(staff)
            at = now - timedelta(days=rng.randint(20, 330), hours=rng.randint(0, 8))
            ticket = rng.uniform(float(investor.ticket_min), float(investor.ticket_max))
            amount = Decimal(max(50_000, int(ticket / 50_000) * 50_000))
            deal = create_deal(DealData(stage=DealStage.IDENTIFIED, startup_id=startup.id, investor_id=investor.id,
                                        round_kind=startup.round_kind, owner_id=owner.id, expected_amount=amount,
                                        currency=investor.currency), owner, at=at)
            goal = rng.choices(["open", "committed", "passed", "on_hold"], weights=[5, 2, 3, 1])[0]
            last_open = rng.randint(0, 4) if goal == "open" else rng.randint(1, 4)
            for stage in OPEN_STAGES[1:last_open + 1]:
                at += timedelta(days=rng.randint(4, 35))
                if at >= now:
                    break
                if stage is DealStage.MEETING_HELD:
                    met = at - timedelta(hours=2)
                    follow_up = utc_to_local(met).date() + timedelta(days=14) if rng.random() < 0.6 else None
                    meeting = create_meeting(MeetingData(
                        starts_at=met, kind=MeetingKind.PITCH, startup_ids=[startup.id], investor_ids=[investor.id],
                        staff_ids=[owner.id], next_steps="Send the data package."), owner,
                        NextStep(follow_up) if follow_up else None)
                    for added in meeting.follow_ups:
                        added.created_at = met
                move_deal(deal, MoveData(stage), deal.version, owner, at=at)
            else:
                at += timedelta(days=rng.randint(5, 40))
                if goal == "open" or at >= now:
                    continue
                if goal == "committed":
                    move = MoveData(DealStage.COMMITTED, committed_amount=amount)
                elif goal == "passed":
                    reason = rng.choice(list(PassReason))
                    move = MoveData(DealStage.PASSED, pass_reason=reason,
                                    pass_reason_text="Fund fully invested this year." if reason is PassReason.OTHER
                                    else None)
                else:
                    move = MoveData(DealStage.ON_HOLD)
                move_deal(deal, move, deal.version, owner, at=at)


NOTES = ["Prefers to co-invest with a Nordic lead.", "Met the partner at the Nordic Life Science Days dinner.",
         "Their new fund closes in the autumn; ask again then.", "Wants to see the toxicology data before a call.",
         "Introduced by the cluster's board chair."]
FOLLOW_UPS = ["Send the updated deck", "Book a call with the CSO", "Share the data room", "Ask for a term sheet draft",
              "Check the fund's new mandate"]


def _seed_daily_work(rng: random.Random, startups: list[Startup], investors: list[Investor],
                     staff: list[User]) -> None:
    """Notes and follow-ups on records, and last month's partnering event with its grid of short meetings."""
    now = utcnow()
    today = local_today(now)
    for index, record in enumerate(rng.sample(startups, 4) + rng.sample(investors, 4)):
        kind = "startup" if isinstance(record, Startup) else "investor"
        note = add_note(NOTES[index % len(NOTES)], Target(kind, record.id), rng.choice(staff))
        note.created_at = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
        follow_up = create_follow_up(FollowUpData(title=FOLLOW_UPS[index % len(FOLLOW_UPS)],
                                                  due_on=today + timedelta(days=rng.randint(-10, 20)),
                                                  assignee_id=rng.choice(staff).id),
                                     Target(kind, record.id), rng.choice(staff))
        if follow_up.due_on < today and rng.random() < 0.5:
            mark_done(follow_up, follow_up.assignee, now=now - timedelta(days=1))

    first_day = today - timedelta(days=30)
    guests, hosts = startups[:3], rng.sample([i for i in investors if i.is_foreign], 4) + investors[:2]
    event = create_event(EventData(name="BIO-Europe Spring, partnering", starts_on=first_day,
                                   ends_on=first_day + timedelta(days=1), place="Messe Basel, partnering area",
                                   slot_minutes=30, startup_ids=[s.id for s in guests],
                                   investor_ids=[i.id for i in hosts]), staff[1])
    slot = datetime.combine(first_day, time(9, 0))
    for startup in guests:
        for investor in rng.sample(hosts, 4):
            log_event_meeting(event, GridMeeting(slot.date(), slot.time(), startup.id, investor.id,
                                                 rng.choice(["Keen; wants the deck.", "Too early for them.", None])),
                              staff[1])
            slot += timedelta(minutes=30)
            if slot.hour >= 17:
                slot = datetime.combine(slot.date() + timedelta(days=1), time(9, 0))
