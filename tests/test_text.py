"""Norwegian case folding, sort keys and LIKE patterns (crm.common.text), without HTTP."""
import pytest

from crm.common.text import fold, like_pattern, sort_key


@pytest.mark.parametrize("upper,lower", [
    ("Ø", "ø"),
    ("Æ", "æ"),
    ("Å", "å"),
    ("Ås", "ås"),
    ("ØDEGÅRD", "ødegård"),
    ("  Ås  ", "ås"),
])
def test_searching_in_lower_case_finds_norwegian_capitals(upper, lower):
    assert fold(upper) == fold(lower)


@pytest.mark.parametrize("decomposed,composed", [
    ("a\u030a", "å"),
    ("A\u030a", "å"),
    ("A\u030asen", "Åsen"),
    ("Ha\u030akon", "Håkon"),
])
def test_a_decomposed_a_ring_from_a_mac_matches_the_composed_one(decomposed, composed):
    assert decomposed != composed
    assert fold(decomposed) == fold(composed)
    assert sort_key(decomposed) == sort_key(composed)


def test_a_is_not_the_same_letter_as_a_ring():
    assert fold("a") != fold("å")
    assert fold("o") != fold("ø")


def test_names_sort_with_ae_oe_aa_after_z_in_that_order():
    names = ["Åsen", "Ødegård", "Zeta", "Æger"]
    assert sorted(names, key=sort_key) == ["Zeta", "Æger", "Ødegård", "Åsen"]


@pytest.mark.parametrize("names,expected", [
    (["åsen", "Zeta", "ødegård", "æger"], ["Zeta", "æger", "ødegård", "åsen"]),
    (["ÅSEN", "zeta", "ØDEGÅRD", "ÆGER"], ["zeta", "ÆGER", "ØDEGÅRD", "ÅSEN"]),
    (["bjørn", "Bjarne", "BJØRG", "bjorn"], ["Bjarne", "bjorn", "BJØRG", "bjørn"]),
])
def test_case_does_not_change_the_order(names, expected):
    assert sorted(names, key=sort_key) == expected


@pytest.mark.parametrize("a,b", [("Zeta", "zeta"), ("ÆGER", "æger"), ("Ødegård", "ødegÅrd")])
def test_the_same_name_in_other_case_has_the_same_sort_key(a, b):
    assert sort_key(a) == sort_key(b)


def test_accented_letters_sort_with_their_base_letter():
    assert sorted(["Fabre", "Éluard", "Dubois"], key=sort_key) == ["Dubois", "Éluard", "Fabre"]


@pytest.mark.parametrize("term,pattern", [
    ("Fjord", "%fjord%"),
    ("Øst", "%øst%"),
    ("50%", "%50\\%%"),
    ("a_b", "%a\\_b%"),
    ("100%_x", "%100\\%\\_x%"),
    ("back\\slash", "%back\\\\slash%"),
])
def test_like_pattern_escapes_wildcards_so_they_match_literally(term, pattern):
    assert like_pattern(term) == pattern
