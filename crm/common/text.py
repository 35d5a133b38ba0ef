"""Norwegian-aware case folding and sort keys, computed in Python and stored in columns.

SQLite's LIKE, lower() and NOCASE fold only ASCII, and PostgreSQL's ILIKE depends on the
database's LC_CTYPE, so every searchable name is stored a second time, case-folded, and
searched with LIKE on that column. "ø" finds "Ø" and "ås" finds "Ås"; "a" does not find
"å", because in Norwegian they are different letters.
"""
import unicodedata

# Letters that Norwegian sorts after z, in this order; the keys use the three ASCII
# characters that follow "z" so that a binary comparison sorts them correctly.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}


def fold(text: str | None) -> str:
    """Case-fold text for search (NFC, so that a decomposed å matches a composed one)."""
    return unicodedata.normalize("NFC", (text or "").strip()).casefold()


def sort_key(text: str | None) -> str:
    """A key whose binary order is Norwegian alphabetical order: ... y, z, æ, ø, å."""
    out = []
    for char in fold(text):
        if char in _AFTER_Z:
            out.append(_AFTER_Z[char])
            continue
        if char == "ü":  # Norwegian sorts ü with y
            out.append("y")
            continue
        # é -> e, ç -> c and the like; letters without a base form stay as they are.
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base)
    return "".join(out)


def like_pattern(term: str) -> str:
    """A LIKE pattern that finds the folded term anywhere, with wildcards escaped (escape char '\\')."""
    # NUL can come from a URL (?q=%00); PostgreSQL refuses it in a parameter, so drop it.
    escaped = fold(term).replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
