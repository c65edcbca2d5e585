"""Rich output for a terminal: the same document as plain text, with styles.

Text from the knowledge file is only ever placed in `rich.text.Text` objects, never parsed as
markup, and highlighting and emoji codes are off: what the file says is what shows.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mbc_cli.document import ROLE_LABELS, Block, Cited, Grid, Heading, Item, Note, Para, Row, Title
from mbc_cli.render import text as plain

ROLE_STYLES = {label: style for label, style in zip(ROLE_LABELS.values(), ("green", "yellow", "magenta"))}


def render(blocks: list[Block], console: Console) -> str:
    """The blocks as a string with the escape codes this console supports."""
    width = console.width
    with console.capture() as capture:
        console.print(Group(*_renderables(blocks, width)), soft_wrap=False)
    return capture.get()


def _refs(numbers: tuple[int, ...]) -> Text:
    return Text(plain.refs(numbers), style="dim")


def _renderables(blocks: list[Block], width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    rows = [b for b in blocks if isinstance(b, Row)]
    key_width = max((len(r.key) for r in rows), default=0)
    for block in blocks:
        if isinstance(block, Title):
            if out:
                out.append(Text())
            title = Text(block.text, style="bold underline")
            if block.subtitle:
                title.append(f"  {block.subtitle}", style="dim")
            out.append(title)
        elif isinstance(block, Heading):
            out += [Text(), Text(block.text, style="bold cyan")]
        elif isinstance(block, Para):
            para = Text(f"{block.label}: ", style="bold") if block.label else Text()
            para.append(block.text)
            out.append(para + _refs(block.refs))
        elif isinstance(block, Item):
            if block.name:
                head = Text("• ") + Text(block.name, style="bold")
                for tag in block.tags:
                    head.append("  ")
                    head.append(tag, style=ROLE_STYLES.get(tag, "dim"))
                out.append(head)
            if block.text:
                body = Text(block.text) + _refs(block.refs)
                out.append(Padding(body, (0, 0, 0, 2)) if block.name else Text("• ") + body)
        elif isinstance(block, Row):
            out.append(Text(block.key.ljust(key_width), style="bold") + Text(f"  {block.text}"))
        elif isinstance(block, Grid):
            lines = Text("\n".join(plain.grid(block, width)))
            lines.highlight_words([" main"], "green")
            lines.highlight_words([" sel"], "yellow")
            lines.highlight_words([" supp"], "magenta")
            out.append(lines)
        elif isinstance(block, Cited):
            s = block.source
            line = Text(f"[{block.number}] ", style="dim") + Text(f"{s.title}. {s.publisher}, {s.year}. ")
            line.append(s.url, style="blue")
            out.append(line)
        elif isinstance(block, Note):
            out += [Text(), Text(block.text, style="dim italic")]
    return out
