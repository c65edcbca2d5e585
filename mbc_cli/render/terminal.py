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

ROLE_STYLES = dict(zip(ROLE_LABELS.values(), ("green", "yellow", "magenta"), strict=True))


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
    widths = plain.column_widths(blocks)
    previous: type | None = None
    for block in blocks:
        if isinstance(block, Title):
            if out:
                out.append(Text())
            out.append(
                Text.assemble((block.text, "bold underline"), (f"  {block.subtitle}" if block.subtitle else "", "dim"))
            )
        elif isinstance(block, Heading):
            out += [Text(), Text(block.text, style="bold cyan")]
        elif isinstance(block, Para):
            if previous is Item:
                out.append(Text())
            label = (f"{block.label}: ", "bold") if block.label else ""
            out.append(Text.assemble(label, block.text, _refs(block.refs)))
        elif isinstance(block, Item):
            if block.name:
                head = Text.assemble("• ", (block.name, "bold"))
                for tag in block.tags:
                    head.append("  ")
                    head.append(tag, style=ROLE_STYLES.get(tag, "dim"))
                out.append(head)
            if block.text:
                body = Text.assemble(block.text, _refs(block.refs))
                out.append(Padding(body, (0, 0, 0, 2)) if block.name else Text.assemble("• ", body))
        elif isinstance(block, Row):
            cells = plain.row_head(block, widths)
            out.append(Text.assemble((cells[: widths[0]], "bold"), (cells[widths[0] :], "dim"), block.text))
        elif isinstance(block, Grid):
            lines = Text("\n".join(plain.grid(block, width)))
            lines.highlight_words([" main"], "green")
            lines.highlight_words([" sel"], "yellow")
            lines.highlight_words([" supp"], "magenta")
            out.append(lines)
        elif isinstance(block, Cited):
            s = block.source
            out.append(
                Text.assemble((f"[{block.number}] ", "dim"), f"{s.title}. {s.publisher}, {s.year}. ", (s.url, "blue"))
            )
        elif isinstance(block, Note):
            out += [Text(), Text(block.text, style="dim italic")]
        previous = type(block)
    return out
