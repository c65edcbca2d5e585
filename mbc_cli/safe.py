"""Text from a knowledge file or a user made safe to print, and measured as a terminal shows it."""

from functools import cache

# Invisible format characters (Unicode category Cf, up to Unicode 15.1; a test checks this list
# against the running Python): zero-width spaces and joiners, bidirectional marks and overrides,
# the byte order mark, tag characters. Shown as U+FFFD, so that text holding them cannot pass for
# text without them.
_FORMAT = [
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
]
# What `clean` replaces: C0 controls by their visible symbols (ESC as U+241B), whitespace controls
# by a space, and DEL, C1 controls, line and paragraph separators, format characters and lone
# surrogates (undecodable bytes of a path) by U+FFFD. ASCII text, nearly all of it, needs only the
# first table; the whole one (2,300 entries, about 0.2 ms to build) is built when non-ASCII text
# first comes.
_ASCII = {code: chr(0x2400 + code) for code in range(0x20)} | {9: " ", 10: " ", 13: " ", 0x7F: "\ufffd"}


@cache
def _table() -> dict[int, str]:
    replaced = [*range(0x80, 0xA0), 0x2028, 0x2029, *range(0xD800, 0xE000)]
    replaced += [code for first, last in _FORMAT for code in range(first, last + 1)]
    return _ASCII | dict.fromkeys(replaced, "\ufffd")


def clean(text: str) -> str:
    """Text made safe for a terminal: control and invisible characters become visible symbols."""
    return text.translate(_ASCII if text.isascii() else _table())


def unsafe(text: str) -> bool:
    """Whether `clean` would change the text (other than turning tabs and newlines into spaces)."""
    return clean(text) != text.translate({9: " ", 10: " ", 13: " "})


def json_unsafe() -> str:
    """A pattern of what JSON, which escapes C0 controls itself, should also write as \\u escapes: the
    rest of what `clean` replaces. (A pattern of ranges: a table of its 2,300 escapes, built on import,
    cost every run about 1 ms.)"""
    ranges = [(0x7F, 0x9F), (0x2028, 0x2029), *_FORMAT, (0xD800, 0xDFFF)]
    return "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]"


def width(text: str) -> int:
    """The columns a terminal gives the text: wide East Asian characters take two, combining
    marks none."""
    if text.isascii():
        return len(text)
    import unicodedata  # a C extension: loaded only for non-ASCII text

    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total
