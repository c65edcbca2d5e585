"""Markdown source, ready to paste into notes: a heading per entry, sources as a list of links."""

import re

from mbc_cli.document import Block, Cited, Grid, Heading, Item, Para, Row, Title
from mbc_cli.render.text import refs

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Data text with Markdown's special characters escaped, so it shows as written."""
    return _SPECIAL.sub(r"\\\1", text)


def render(blocks: list[Block]) -> str:
    out = ""
    listed = False
    for block in blocks:
        is_list = isinstance(block, (Item, Row, Cited))
        if out:
            out += "\n" if is_list and listed else "\n\n"
        out += _block(block)
        listed = is_list
    return out + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Title):
        subtitle = f" ({escape(block.subtitle)})" if block.subtitle else ""
        return f"# {escape(block.text)}{subtitle}"
    if isinstance(block, Heading):
        return f"## {escape(block.text)}"
    if isinstance(block, Para):
        label = f"**{escape(block.label)}:** " if block.label else ""
        return f"{label}{escape(block.text)}{refs(block.refs)}"
    if isinstance(block, Item):
        tags = f" ({'; '.join(map(escape, block.tags))})" if block.tags else ""
        text = f"{escape(block.text)}{refs(block.refs)}" if block.text else ""
        if not block.name:
            return f"- {text}"
        return f"- **{escape(block.name)}**{tags}" + (f": {text}" if text else "")
    if isinstance(block, Row):
        columns = f" ({', '.join(map(escape, block.columns))})" if block.columns else ""
        return f"- `{block.key}`{columns}: {escape(block.text)}"
    if isinstance(block, Grid):
        return grid(block)
    if isinstance(block, Cited):
        s = block.source
        link = s.url.replace(">", "%3E").replace(" ", "%20")
        return f"{block.number}. [{escape(s.title)}](<{link}>). {escape(s.publisher)}, {s.year}."
    return f"*{escape(block.text)}*"


def grid(block: Grid) -> str:
    header = f"| {escape(block.corner)} | " + " | ".join(map(escape, block.columns)) + " |"
    rule = "|---" * (len(block.columns) + 1) + "|"
    rows = [f"| {escape(name)} | " + " | ".join(cells) + " |" for name, cells in block.rows]
    return "\n".join([header, rule, *rows, "", escape(block.legend)])
