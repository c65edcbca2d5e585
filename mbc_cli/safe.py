"""Text from a knowledge file or a user made safe to print, and measured as a terminal shows it."""

import unicodedata

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
FORMAT_CHARACTERS = frozenset(code for first, last in _FORMAT for code in range(first, last + 1))

# What `clean` replaces: C0 controls by their visible symbols (ESC as U+241B), whitespace controls
# by a space, and DEL, C1 controls, line and paragraph separators and format characters by U+FFFD.
_SAFE = {code: chr(0x2400 + code) for code in range(0x20)}
_SAFE |= {ord(c): " " for c in "\t\n\r"}
_SAFE |= dict.fromkeys([0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *FORMAT_CHARACTERS], "\ufffd")
_SAFE |= dict.fromkeys(range(0xD800, 0xE000), "\ufffd")  # lone surrogates: undecodable bytes of a path


def clean(text: str) -> str:
    """Text made safe for a terminal: control and invisible characters become visible symbols."""
    return text.translate(_SAFE)


def unsafe(text: str) -> bool:
    """Whether `clean` would change the text (other than turning tabs and newlines into spaces)."""
    return text.translate(_SAFE) != text.translate({9: " ", 10: " ", 13: " "})


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
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total
