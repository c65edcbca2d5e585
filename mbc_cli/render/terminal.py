"""Styled text for a terminal: the plain-text layout with bold, dim and colour escape codes.

The codes are written here rather than through rich's console, which would more than double the
start-up of every terminal lookup (importing it costs about 0.4x `import typer`, and rendering a
site page through it about as much again); Typer still uses rich for `--help`.

Colour follows the usual conventions: NO_COLOR (any value) turns colour off but keeps bold and dim;
FORCE_COLOR styles output even into a pipe; TERM=dumb gets plain text.
"""

from collections.abc import Mapping

from mbc_cli.render.text import Paint

STYLES = {
    "title": "1;4",
    "subtitle": "2",
    "heading": "1;36",
    "label": "1",
    "name": "1",
    "key": "1",
    "tag": "2",
    "refs": "2",
    "url": "34",
    "note": "2;3",
    "role-main": "32",
    "role-selected": "33",
    "role-supportive": "35",
}
_COLOURS = {"36", "34", "32", "33", "35"}


def paint(environ: Mapping[str, str], is_terminal: bool) -> Paint | None:
    """How to style output to this stream, or None for plain text."""
    forced = environ.get("FORCE_COLOR", "") not in ("", "0")
    if not (is_terminal or forced) or (environ.get("TERM") == "dumb" and not forced):
        return None
    if environ.get("NO_COLOR"):
        plain = {style: ";".join(c for c in code.split(";") if c not in _COLOURS) for style, code in STYLES.items()}
        return Paint({style: code for style, code in plain.items() if code}, rules=False)
    return Paint(STYLES, rules=False)
