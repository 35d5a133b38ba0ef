"""Likely duplicates, by the rules the import preview and the duplicates page share.

Two investors or two startups are likely the same when they have the same organisation number,
the same website domain or a close name; two contacts when they have the same email, or a close
name at the same organisation. Close names are compared with rapidfuzz (the better of the plain and the
token-sort ratio, so that both "Kapital"/"Capital" and "Bio Onco"/"Onco Bio" count) on names
folded and stripped of company forms ("AS", "Ltd"), among the names that share a word's first
letters, so that twenty thousand rows are not compared with twenty thousand records each.
"""
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy import select

from crm.common.text import fold
from crm.extensions import db
from crm.models import Contact, Investor, Startup

NAME_SCORE = 90  # the similarity (0-100) from which two names count as close
COMPANY_FORMS = frozenset({"as", "asa", "sa", "ab", "ltd", "limited", "inc", "llc", "gmbh", "ag", "bv", "nv", "oy",
                           "aps", "plc", "corp", "co", "the"})
# Addresses many unrelated records share: the same one says nothing about being the same organisation.
SHARED_HOSTS = frozenset({"linkedin.com", "facebook.com", "twitter.com", "x.com", "google.com", "github.com"})

REASONS = {"org_number": _l("Same organisation number"), "email": _l("Same email"),
           "website": _l("Same website domain"), "name": _l("Similar name")}


def name_key(name: str | None) -> str:
    """The name folded, without punctuation and company forms: "Fjord Kapital AS" -> "fjord kapital"."""
    words = re.sub(r"[^\w]+", " ", fold(name)).split()
    kept = [w for w in words if w not in COMPANY_FORMS]
    return " ".join(kept or words)


def domain_of(website: str | None) -> str | None:
    """The host of a web address without "www.", or None."""
    if not website:
        return None
    address = website.strip().lower()
    host = urlsplit(address if "://" in address else "https://" + address).hostname or ""
    host = host.removeprefix("www.")
    return host if "." in host and host not in SHARED_HOSTS else None


def name_score(first: str, second: str, **kwargs) -> float:
    """How alike two name keys are: a typo, or the same words in another order, score high."""
    return max(fuzz.ratio(first, second, **kwargs), fuzz.token_sort_ratio(first, second, **kwargs))


@dataclass
class Entry:
    """What the rules compare of one record (or one imported row)."""

    id: int | None
    name: str
    org_number: str | None = None
    domain: str | None = None
    email: str | None = None
    organisation: str | None = None  # a contact's "investor:3" or "startup:5"
    key: str = field(init=False)

    def __post_init__(self):
        self.key = name_key(self.name)
        self.email = self.email.lower() if self.email else None


@dataclass
class Match:
    id: int
    reasons: list[str]


class Matcher:
    """The records of one kind, indexed for the rules."""

    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        self.by_org, self.by_domain, self.by_email, self.by_word = (defaultdict(list) for _ in range(4))
        for entry in entries:
            for index, value in ((self.by_org, entry.org_number), (self.by_domain, entry.domain),
                                 (self.by_email, entry.email)):
                if value:
                    index[value].append(entry.id)
            for word in set(entry.key.split()):
                self.by_word[word[:3]].append(entry.id)

    def find(self, entry: Entry) -> list[Match]:
        """The records ``entry`` is likely a duplicate of (not itself), strongest reasons first."""
        found: dict[int, list[str]] = defaultdict(list)
        for reason, index, value in (("org_number", self.by_org, entry.org_number),
                                     ("website", self.by_domain, entry.domain), ("email", self.by_email, entry.email)):
            for other in index.get(value, ()) if value else ():
                found[other].append(reason)
        candidates = {i for word in set(entry.key.split()) for i in self.by_word.get(word[:3], ())}
        candidates.discard(entry.id)
        if entry.key and candidates:
            choices = {i: self.entries[i].key for i in candidates
                       if self.entries[i].organisation == entry.organisation}
            for _key, _score, other in process.extract(entry.key, choices, scorer=name_score,
                                                       score_cutoff=NAME_SCORE, limit=5):
                found[other].append("name")
        found.pop(entry.id, None)
        order = ["org_number", "email", "website", "name"]
        return sorted((Match(i, reasons) for i, reasons in found.items()),
                      key=lambda m: (min(order.index(r) for r in m.reasons), m.id))


def _organisation(investor_id, startup_id) -> str:
    return f"investor:{investor_id}" if investor_id else f"startup:{startup_id}"


def entries_for(kind: str) -> list[Entry]:
    """Every live record of ``kind`` (investors, startups or contacts) as an Entry, in two columns' worth of reads."""
    if kind == "contacts":
        rows = db.session.execute(select(Contact.id, Contact.name, Contact.email, Contact.investor_id,
                                         Contact.startup_id).where(Contact.erased_at.is_(None)))
        return [Entry(r.id, r.name, email=r.email, organisation=_organisation(r.investor_id, r.startup_id))
                for r in rows]
    model = {"investors": Investor, "startups": Startup}[kind]
    rows = db.session.execute(select(model.id, model.name, model.org_number, model.website))
    return [Entry(r.id, r.name, org_number=r.org_number, domain=domain_of(r.website)) for r in rows]


@dataclass
class Pair:
    first_id: int
    second_id: int
    reasons: list[str]


def duplicate_pairs(kind: str, limit: int = 200) -> list[Pair]:
    """Pairs of live records of ``kind`` that are likely the same, each pair once, strongest reasons first."""
    entries = entries_for(kind)
    matcher = Matcher(entries)
    pairs = []
    for entry in sorted(entries, key=lambda e: e.id):
        for match in matcher.find(entry):
            if match.id > entry.id:
                pairs.append(Pair(entry.id, match.id, match.reasons))
    order = ["org_number", "email", "website", "name"]
    pairs.sort(key=lambda p: (min(order.index(r) for r in p.reasons), p.first_id, p.second_id))
    return pairs[:limit]
