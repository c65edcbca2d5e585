"""Markdown source, ready to paste into notes: a heading per entry, citations that link to their
sources, and `heading_level` to sit under the headings of the note it is pasted into."""

import re

from mbc_cli.document import Block, Cited, Detail, Grid, Heading, Item, Note, Para, Row, Title

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Data text with Markdown's special characters escaped, so it shows as written."""
    return _SPECIAL.sub(r"\\\1", text)


def _link(url: str) -> str:
    return url.replace(">", "%3E").replace(" ", "%20")


def render(blocks: list[Block], heading_level: int = 1) -> str:
    urls = {b.number: b.source.url for b in blocks if isinstance(b, Cited)}
    out = ""
    listed = False
    for block in blocks:
        is_list = isinstance(block, (Item, Detail, Row, Cited))
        if out:
            out += "\n" if is_list and listed else "\n\n"
        out += _block(block, heading_level, urls)
        listed = is_list
    return out + "\n"


def _refs(numbers: tuple[int, ...], urls: dict[int, str]) -> str:
    """Citation numbers, each a link to its source: ` [[1](<url>), [2](<url>)]`."""
    if not numbers:
        return ""
    links = ", ".join(f"[{n}](<{_link(urls[n])}>)" if n in urls else str(n) for n in numbers)
    return f" \\[{links}\\]"


def _block(block: Block, level: int, urls: dict[int, str]) -> str:
    if isinstance(block, Title):
        subtitle = f" ({escape(block.subtitle)})" if block.subtitle else ""
        return f"{'#' * level} {escape(block.text)}{subtitle}"
    if isinstance(block, Heading):
        return f"{'#' * (level + block.level - 1)} {escape(block.text)}"
    if isinstance(block, Para):
        label = f"**{escape(block.label)}:** " if block.label else ""
        return f"{label}{escape(block.text)}{_refs(block.refs, urls)}"
    if isinstance(block, Item):
        marker = "-" if block.marker == "-" else block.marker
        tags = f" ({'; '.join(map(escape, block.tags))})" if block.tags else ""
        text = f"{escape(block.text)}{_refs(block.refs, urls)}" if block.text else ""
        if not block.name:
            return f"{marker} {text}{tags}"
        name = f"**{escape(block.name)}**"
        if block.style == "warning":
            name = f"**Boxed warning: {escape(block.name)}**"
        return f"{marker} {name}{tags}" + (f": {text}" if text else _refs(block.refs, urls))
    if isinstance(block, Detail):
        return f"  - **{escape(block.label)}:** {escape(block.text)}{_refs(block.refs, urls)}"
    if isinstance(block, Row):
        columns = f" ({', '.join(map(escape, block.columns))})" if block.columns else ""
        return f"- `{block.key}`{columns}: {escape(block.text)}"
    if isinstance(block, Grid):
        return grid(block)
    if isinstance(block, Cited):
        s = block.source
        year = s.year or "n.d."
        note = f" Note: {escape(block.note)}" if block.note else ""
        return f"{block.number}. [{escape(s.title)}](<{_link(s.url)}>). {escape(s.publisher)}, {year} ({s.type}).{note}"
    assert isinstance(block, Note)
    return f"*{escape(block.text)}*"


def grid(block: Grid) -> str:
    header = f"| {escape(block.corner)} | " + " | ".join(map(escape, block.columns)) + " |"
    rule = "|---" * (len(block.columns) + 1) + "|"
    rows = [f"| {escape(name)} | " + " | ".join(cells) + " |" for name, cells in block.rows]
    return "\n".join([header, rule, *rows, "", escape(block.legend)])
