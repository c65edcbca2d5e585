"""How text is compared: names in the form they are looked up in, and words in the form search uses."""

import re

MOST_WORDS = 40  # more than a lookup or a search needs: beyond it, a usage error, not minutes of matching

# Hyphens, dashes and minus signs that text pasted from a PDF or a web page brings ("HER2" with a
# minus sign, "T-DXd" with a non-breaking hyphen).
_DASHES = dict.fromkeys([*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D], "-")


def nfkc(text: str) -> str:
    """Text in Unicode's NFKC form (fullwidth and composed letters as plain ones), with every dash
    and minus sign as '-'. ASCII text is its own: unicodedata, a C extension, is loaded only for
    the rare text that is not."""
    if text.isascii():
        return text
    import unicodedata

    return unicodedata.normalize("NFKC", text).translate(_DASHES)


def normalize(name: str) -> str:
    """The form names are matched in: NFKC, case-folded, runs of spaces, underscores and hyphens as
    single hyphens, none at the start; at the end only a minus sign ("her2-", "hr+/her2-"), so that
    `hr+/her2` is not taken for HR+/HER2-."""
    text = nfkc(name).casefold().strip()
    sign = "-" if text[-2:-1].isalnum() and text.endswith("-") else ""
    return "-".join(text.replace("_", " ").replace("-", " ").split()) + sign


# British spellings and their US forms, in the order they are replaced.
_SPELLINGS = (
    ("oestr", "estr"),
    ("oedem", "edem"),
    ("oesophag", "esophag"),
    ("anaem", "anem"),
    ("leukaem", "leukem"),
    ("haem", "hem"),
    ("aemia", "emia"),
    ("paediatr", "pediatr"),
    ("foetal", "fetal"),
    ("gynaec", "gynec"),
    ("rrhoea", "rrhea"),
    ("anaesth", "anesth"),
    ("orthopaed", "orthoped"),
    ("tumour", "tumor"),
    ("colour", "color"),
    ("behaviour", "behavior"),
    ("favour", "favor"),
    ("centre", "center"),
    ("programme", "program"),
    ("isation", "ization"),
)
# Patterns as strings: `re` compiles each once, when search first needs it, not on every start.
_ISE = r"(?<=[a-z]{3})([iy])s(?=(?:e[sd]?|ing)\b)"  # metastasised, analyse: iz, yz
_TOKEN = r"[^\W_]+\+?"


def _stem(token: str) -> str:
    """A token with plural and -is/-es endings taken off, so that singular and plural match."""
    if len(token) <= 3 or token[-1] != "s" or not token.isalpha():
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith(("ss", "us")):
        return token
    if token.endswith("is"):  # metastasis and metastases, crisis and crises; not "this"
        return token[:-2] + "e" if len(token) > 4 else token
    return token[:-1]


def fold(text: str) -> tuple[str, ...]:
    """Text as the words search compares: case-folded, US spelling, singular; punctuation, hyphens
    and slashes separate words ("CDK4/6" is "cdk4", "6"); a trailing + is kept ("her2+")."""
    text = " " + nfkc(text).casefold().replace("\u2019", "'") + " "
    for british, american in _SPELLINGS:
        if british in text:
            text = text.replace(british, american)
    text = re.sub(_ISE, r"\1z", text)
    return tuple(_stem(token) for token in re.findall(_TOKEN, text))
