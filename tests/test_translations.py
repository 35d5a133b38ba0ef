"""The catalogues against the code: every string the code marks is translated into Norwegian, the placeholders of
each translation are those of its English text, and every committed .mo is what its .po compiles to now."""
import io
import os
import re
from functools import cache

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS = os.path.join(ROOT, "crm", "translations")
LANGUAGES = ("en", "nb")
# "%(name)s", "%(n)d", "%%" and any other conversion: Jinja's and Flask-Babel's gettext apply "%" to every
# translated string that takes variables, so a stray "%" in a translation would break the page.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


def _po_path(language: str) -> str:
    return os.path.join(TRANSLATIONS, language, "LC_MESSAGES", "messages.po")


@cache
def _catalogue(language: str):
    with open(_po_path(language), "rb") as po:
        return read_po(po, locale=language)


@cache
def _marked() -> dict:
    """Every string marked in crm/ and templates/, as `pybabel extract -F babel.cfg -k _l` finds them: id -> where."""
    with open(os.path.join(ROOT, "babel.cfg")) as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = dict(DEFAULT_KEYWORDS, _l=None)

    # The same directories the README's command scans (--ignore-dirs ".* __pycache__"): _macros and _partials too.
    def wanted(dirpath: str) -> bool:
        name = os.path.basename(dirpath)
        return not name.startswith(".") and name not in ("__pycache__", "node_modules", "tests", "migrations")

    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords, directory_filter=wanted):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def _key(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


def test_the_code_marks_strings_in_python_and_in_templates():
    places = set(_marked().values())
    assert any(place.startswith("crm/") for place in places)
    assert any(place.startswith("templates/_partials/") for place in places)  # underscore folders are scanned
    assert "Dashboard" in _marked() and "Sign in to see this page." in _marked()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(language):
    catalogue = _catalogue(language)
    missing = [f"{where}: {message!r}" for message, where in _marked().items()
               if catalogue.get(_key(message)) is None
               or (isinstance(message, tuple) and catalogue.get(_key(message)).id != message)]
    assert not missing, (f"{len(missing)} strings are not in the {language} catalogue; "
                         "run the commands in README: Languages:\n" + "\n".join(missing[:40]))


def test_every_marked_string_has_a_norwegian_translation_that_is_not_fuzzy():
    catalogue = _catalogue("nb")
    untranslated = []
    for message, where in _marked().items():
        entry = catalogue.get(_key(message))
        if entry is None:
            continue  # reported by the test above
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            untranslated.append(f"{where}: {message!r}{' (fuzzy)' if entry.fuzzy else ''}")
    assert not untranslated, f"{len(untranslated)} strings lack a Norwegian translation:\n" + "\n".join(untranslated[:40])


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_has_the_placeholders_of_its_english_text(language):
    wrong = []
    for entry in _catalogue(language):
        if not entry.id or not entry.string:
            continue
        if isinstance(entry.id, tuple):
            # A plural form may leave out the number ("one deal"), but not use one the English lacks;
            # the last form, used for most numbers, has the plural's placeholders exactly.
            allowed = _placeholders(entry.id[0]) | _placeholders(entry.id[1])
            forms = [form for form in entry.string if form]
            if any(not _placeholders(form) <= allowed for form in forms) or \
                    (forms and _placeholders(forms[-1]) != _placeholders(entry.id[1])):
                wrong.append(f"{entry.id!r} -> {entry.string!r}")
        elif _placeholders(entry.string) != _placeholders(entry.id):
            wrong.append(f"{entry.id!r} -> {entry.string!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_placeholder_check_catches_a_changed_or_stray_placeholder():
    assert _placeholders("Investor %(name)s added.") != _placeholders("Investoren %(navn)s er lagt til.")
    assert _placeholders("100 percent") != _placeholders("100 %s")
    assert _placeholders("Rad %(row)s: 50 %%") == {"%(row)s", "%%"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_the_po_file_compiled(language):
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(language), use_fuzzy=False)
    mo_path = _po_path(language)[:-3] + ".mo"
    assert os.path.exists(mo_path), f"{mo_path} is missing: run pybabel compile -d crm/translations"
    with open(mo_path, "rb") as mo:
        assert mo.read() == compiled.getvalue(), (
            f"{mo_path} is not the compiled {language} .po: run pybabel compile -d crm/translations")


def test_the_catalogues_the_app_loads_are_these(app):
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"] == "translations"
    assert os.path.join(app.root_path, "translations") == TRANSLATIONS
