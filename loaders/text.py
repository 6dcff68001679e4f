"""Vietnamese text normalisation: one spelling for comparison, one for display."""
from __future__ import annotations

import re
import unicodedata

# Old-style tone placement ("hoá", "Uỷ", "thuỷ") → modern placement ("hóa", "Ủy", "thủy").
# Applied after NFC so that decomposed input (NFD) is handled too.
_TONE_FIXES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
    "Oà": "Òa", "Oá": "Óa", "Oả": "Ỏa", "Oã": "Õa", "Oạ": "Ọa",
    "Uỳ": "Ùy", "Uý": "Úy", "Uỷ": "Ủy", "Uỹ": "Ũy", "Uỵ": "Ụy",
    "OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA",
    "UỲ": "ÙY", "UÝ": "ÚY", "UỶ": "ỦY", "UỸ": "ŨY", "UỴ": "ỤY",
}
# Only at the end of a syllable: "hoạch", "khoản" keep the tone where it is.
_TONE_RE = re.compile("(?:" + "|".join(sorted(_TONE_FIXES, key=len, reverse=True)) + r")(?!\w)")
_SPACES = re.compile(r"\s+")
# Characters that Word/PDF conversions leave behind, bidirectional marks (RTL/LTR overrides) and zero-width
# ones are dropped; control characters become spaces (loaders/rules.py warns about each cell that had any).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad\u2060\u2061\u2062\u2063\u2064\u180e"
                                    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
_INVISIBLE.update(dict.fromkeys([*range(9), 11, 12, *range(14, 32), *range(127, 160)], " "))
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "})


def clean(value: object) -> str:
    """Display form: NFC, modern tone marks, plain dashes and single spaces, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE).translate(_DASHES)
    text = _fix_tones(text)
    return _SPACES.sub(" ", text).strip()


def _fix_tones(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        start = m.start()
        if start > 0 and text[start - 1] in "qQ" and m.group(0)[0] in "uU":
            return m.group(0)  # "quý", "Quỳnh": already correct
        return _TONE_FIXES[m.group(0)]

    return _TONE_RE.sub(repl, text)


def fold(value: object) -> str:
    """Comparison form: lower case, no diacritics, đ→d, punctuation to spaces, single spaces."""
    text = clean(value).lower().replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^0-9a-z&%/.:\-]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def fold_tight(value: object) -> str:
    """Fold and drop every non-alphanumeric character: 'Sở TT & TT' → 'sotttt'."""
    return re.sub(r"[^0-9a-z]", "", fold(value))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(token: str) -> int | None:
    """Value of a Roman numeral up to L, or None when the token is not one."""
    token = token.strip().rstrip(".").upper()
    if not token or any(ch not in _ROMAN for ch in token):
        return None
    total = 0
    for i, ch in enumerate(token):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(token) and _ROMAN[token[i + 1]] > v else v
    return total if 0 < total < 60 else None
