"""Styled text for a terminal: the plain-text layout with bold, dim, underline, a little colour and
clickable links.

The codes are written here rather than through rich's console, which would more than double the
start-up of every terminal lookup (importing it costs about 0.4x `import typer`, and rendering a
site page through it about as much again); Typer still uses rich for `--help`.

Readable on light and dark backgrounds: meaning is always in the words, never in colour alone, and
the only colours are red, green and magenta, which read on both (yellow, cyan and bright blue
vanish on white, dark blue on black); headings use bold and links underline, in the terminal's own
colour. NO_COLOR (any value) turns colour off but keeps bold and dim; FORCE_COLOR styles output
even into a pipe (without links); TERM=dumb gets plain text.
"""

from collections.abc import Mapping

from mbc_cli.render.text import Paint

STYLES = {
    "title": "1;4",
    "subtitle": "2",
    "heading": "1",
    "label": "1",
    "name": "1",
    "warning": "1;31",
    "key": "1",
    "tag": "2",
    "refs": "2",
    "url": "4",
    "note": "2;3",
    "role-main": "32",
    "role-selected": "35",
    "role-supportive": "2",
}
COLOURS = {"31", "32", "35"}


def paint(environ: Mapping[str, str], is_terminal: bool) -> Paint | None:
    """How to style output to this stream, or None for plain text."""
    forced = environ.get("FORCE_COLOR", "") not in ("", "0")
    dumb = environ.get("TERM") == "dumb"
    if not (is_terminal or forced) or (dumb and not forced):
        return None
    links = is_terminal and not dumb
    if environ.get("NO_COLOR"):
        plain = {style: ";".join(c for c in code.split(";") if c not in COLOURS) for style, code in STYLES.items()}
        return Paint({style: code for style, code in plain.items() if code}, rules=False, links=links, wrap_rows=True)
    return Paint(STYLES, rules=False, links=links, wrap_rows=True)
