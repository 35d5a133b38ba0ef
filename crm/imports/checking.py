"""Checking one row of a file: its cells turned into form input, the forms' and services' rules, duplicates."""
import re
from dataclasses import dataclass
from datetime import date

import pycountry
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField, SelectMultipleField

from crm.common.text import fold
from crm.errors import ValidationError
from crm.extensions import db
from crm.imports.kinds import ImportKind, to_plain
from crm.merge.matching import REASONS, Entry, Matcher, domain_of, entries_for
from crm.models import Investor, RowAction, Startup
from crm.users.queries import staff_choices

# Norwegian words for the choices, folded; each applies only to a field that offers its value.
CHOICE_WORDS = {
    "venturefond": "venture_fund", "vc": "venture_fund", "vc fond": "venture_fund", "engleinvestor": "angel",
    "privatinvestor": "angel", "englenettverk": "angel_network", "familiekontor": "family_office",
    "offentlig fond": "public_fund", "stiftelse": "foundation", "legemiddelselskap": "pharma_strategic",
    "aktiv": "active", "inaktiv": "inactive", "prospekt": "prospect", "potensiell": "prospect",
    "samtykke": "consent", "berettiget interesse": "legitimate_interest", "søker": "applicant",
    "inkubatee": "incubatee", "alumni": "alumnus", "oppdagelse": "discovery", "preklinisk": "preclinical",
    "fase 1": "phase_1", "fase i": "phase_1", "fase 2": "phase_2", "fase ii": "phase_2", "fase 3": "phase_3",
    "fase iii": "phase_3", "godkjent": "approved", "små molekyler": "small_molecule", "småmolekyl": "small_molecule",
    "antistoff": "antibody", "celleterapi": "cell_therapy", "vaksine": "vaccine", "diagnostikk": "diagnostic",
    "digital helse": "digital", "solide svulster": "solid_tumours", "blodkreft": "haematological",
    "immunonkologi": "immuno_oncology", "presisjonsonkologi": "precision_oncology", "barnekreft": "paediatric",
    "sjeldne kreftformer": "rare_cancers", "tidlig diagnostikk": "early_detection", "såkorn": "seed",
    "før såkorn": "pre_seed", "serie a": "series_a", "serie b": "series_b", "serie c": "series_c", "bro": "bridge",
    "tilskudd": "grant", "ingen": "",
}
COUNTRY_WORDS = {"norge": "NO", "noreg": "NO", "sverige": "SE", "danmark": "DK", "finland": "FI", "island": "IS",
                 "tyskland": "DE", "storbritannia": "GB", "england": "GB", "uk": "GB", "frankrike": "FR",
                 "nederland": "NL", "sveits": "CH", "usa": "US", "belgia": "BE", "spania": "ES", "italia": "IT",
                 "østerrike": "AT", "polen": "PL", "kina": "CN", "sør-korea": "KR", "irland": "IE"}
LIST_SEPARATORS = re.compile(r"\s*[;,/|\n]\s*")
NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def header_key(text: str) -> str:
    """A header folded, with punctuation as spaces: "E-post:" -> "e post"."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def _choice_key(text) -> str:
    return header_key(str(text).replace("_", " "))


@dataclass
class Checked:
    action: RowAction
    record_id: int | None = None
    record_version: int | None = None
    key: str | None = None
    data: dict | None = None
    messages: dict | None = None


class RowChecker:
    """Checks the rows of one file; built once per chunk, since it loads what every row is compared with."""

    def __init__(self, kind: ImportKind, mapping: list[str], earlier_keys: dict[str, int]):
        self.kind, self.mapping, self.earlier_keys = kind, mapping, earlier_keys
        self.context = {"staff": staff_choices()}
        # One form serves every row: building one per row (its country and user lists) would cost more
        # than checking the row.
        self.form = kind.form(None, self.context)
        selects = [f for f in self.form if isinstance(f, (SelectField, SelectMultipleField))]
        self.choices = {f.name: self._lookup(f) for f in selects}
        self.offered = {f.name: {str(value): (value, label) for value, label in f.choices} for f in selects}
        self.multiple = {f.name for f in selects if isinstance(f, SelectMultipleField)}
        self.dates = {f.name for f in self.form if isinstance(f, DateField)}
        self.matcher = Matcher(entries_for(kind.name))
        if kind.name == "contacts":
            self.organisations = self._organisations()

    @staticmethod
    def _lookup(field) -> dict[str, str]:
        offered = {str(value) for value, _label in field.choices}
        lookup = {word: value for word, value in CHOICE_WORDS.items() if value in offered}
        for value, label in field.choices:
            lookup[_choice_key(value)] = str(value)
            lookup[_choice_key(label)] = str(value)
        return lookup

    @staticmethod
    def _organisations() -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for model, prefix in ((Investor, "investor"), (Startup, "startup")):
            for row in db.session.execute(select(model.id, model.name, model.org_number)):
                for key in {header_key(row.name), row.org_number}:
                    if key:
                        index.setdefault(key, []).append(f"{prefix}:{row.id}")
        return index

    def _convert(self, name: str, text: str, errors: dict) -> list[str]:
        """A cell as the form input of field ``name``: choices by value, English label or Norwegian word."""
        if name == "country":
            code = COUNTRY_WORDS.get(fold(text))
            if code is None:
                try:
                    code = pycountry.countries.lookup(text).alpha_2
                except LookupError:
                    errors[name] = [str(_l("“%(value)s” is not a country we know.", value=text))]
                    return []
            return [code]
        if name in self.choices:
            parts = LIST_SEPARATORS.split(text) if name in self.multiple else [text]
            values = []
            for part in filter(None, parts):
                value = self.choices[name].get(_choice_key(part))
                if value is None:
                    errors[name] = [str(_l("“%(value)s” is not one of the choices for this field.", value=part))]
                    return []
                values.append(value)
            return values
        if name in self.dates and (match := NORWEGIAN_DATE.match(text)):
            day, month, year = (int(g) for g in match.groups())
            try:
                return [date(year, month, day).isoformat()]
            except ValueError:
                return [text]
        if name in self.dates:
            return [text[:10]]
        return [text]

    def _validated(self, values: dict[str, str], record=None) -> tuple[dict | None, dict]:
        """The row's values through the form and the services' rules (over ``record``'s saved values, if any)."""
        formdata, errors = MultiDict(), {}
        if record is not None:
            for name, value in to_plain(self.kind.record_data(record)).items():
                for item in value if isinstance(value, list) else [value]:
                    if item is not None:
                        formdata.add(name, str(item))
        for name, text in values.items():
            if name not in ("id", "organisation"):
                formdata.setlist(name, self._convert(name, text, errors))
        for name, offered in self.offered.items():
            if name not in formdata and name not in self.multiple and "" in offered:
                formdata.add(name, "")  # what a browser sends for a select left at its empty choice
        form = self.form
        form.process(formdata)
        for name, offered in self.offered.items():
            # The cells were matched against every choice above; offering the form only the chosen ones
            # keeps its own check of them, without normalising the whole country list for each row.
            form[name].choices = [offered[v] for v in formdata.getlist(name) if v in offered] or list(offered.values())
        if not form.validate():
            errors.update({name: [str(m) for m in messages] for name, messages in form.errors.items()
                           if name not in errors})
        if errors:
            return None, errors
        data = self.kind.to_data(form)
        try:
            self.kind.check(data, record)
        except ValidationError as error:
            return None, {error.field or "row": [str(error.message)]}
        return to_plain(data), {}

    def _organisation(self, text: str | None, errors: dict) -> str | None:
        if not text:
            return None
        found = self.organisations.get(re.sub(r"\D", "", text)) or self.organisations.get(header_key(text)) or []
        if len(found) == 1:
            return found[0]
        errors["organisation"] = [str(_l("No investor or startup is called “%(name)s”.", name=text) if not found else
                                      _l("Several organisations are called “%(name)s”: use the organisation "
                                         "number.", name=text))]
        return None

    def check(self, row_number: int, cells: list[str], problems: list[str]) -> Checked:
        """What importing this row would do, and why."""
        values = {name: cells[i] for i, name in enumerate(self.mapping) if name and i < len(cells) and cells[i]}
        if not values:
            return Checked(RowAction.EMPTY)
        if problems:
            return Checked(RowAction.INVALID, messages={"file": problems})
        if "id" in values:
            return self._check_update(values)
        org_errors: dict = {}
        organisation = self._organisation(values.get("organisation"), org_errors) \
            if self.kind.name == "contacts" else None
        create, errors = self._validated(values)
        errors.update(org_errors)
        if errors:
            create = None
        entry = Entry(None, (create or {}).get("name") or values.get("name", ""),
                      org_number=(create or {}).get("org_number") or re.sub(r"\D", "", values.get("org_number", "")),
                      domain=domain_of(values.get("website")), organisation=organisation,
                      email=(create or {}).get("email") or values.get("email"))
        key = f"org:{entry.org_number}" if entry.org_number else (f"email:{entry.email}" if entry.email else None)
        if key in self.earlier_keys:
            return Checked(RowAction.INVALID, key=key, messages={"duplicate": [str(_l(
                "Row %(row)s of this file is the same record (same organisation number or email).",
                row=self.earlier_keys[key]))]})
        extra = {"organisation": organisation}
        matches = self.matcher.find(entry)
        if not matches:
            if create is None:
                return Checked(RowAction.INVALID, key=key, messages=errors)
            return Checked(RowAction.CREATE, key=key, data={"create": create, **extra})
        target = db.session.get(self.kind.model, matches[0].id)
        update, update_errors = self._validated(values, target)
        reasons = [str(REASONS[r]) for r in matches[0].reasons]
        if create is None and update is None:
            return Checked(RowAction.INVALID, target.id, target.version, key,
                           messages={"duplicate": reasons, **update_errors})
        return Checked(RowAction.DUPLICATE, target.id, target.version, key,
                       data={"create": create, "update": update, **extra}, messages={"duplicate": reasons})

    def _check_update(self, values: dict[str, str]) -> Checked:
        record_id = int(values["id"]) if values["id"].isdecimal() and len(values["id"]) < 10 else None
        record = db.session.get(self.kind.model, record_id) if record_id else None
        if record is None or record.is_deleted:
            return Checked(RowAction.INVALID, messages={"id": [str(_l("There is no record with the id %(id)s.",
                                                                      id=values["id"]))]})
        update, errors = self._validated(values, record)
        if update is None:
            return Checked(RowAction.INVALID, record.id, record.version, messages=errors)
        return Checked(RowAction.UPDATE, record.id, record.version, data={"update": update})
