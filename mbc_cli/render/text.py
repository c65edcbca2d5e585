"""Plain text: wrapped to a width, no escape codes; what `mbc` prints into a pipe."""

from __future__ import annotations

import textwrap

from mbc_cli.document import Block, Cited, Grid, Heading, Item, Note, Para, Row, Title


def refs(numbers: tuple[int, ...]) -> str:
    return f" [{', '.join(map(str, numbers))}]" if numbers else ""


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False
    ) or [first.rstrip()]


def render(blocks: list[Block], width: int = 80) -> str:
    width = max(width, 20)
    lines: list[str] = []
    widths = column_widths(blocks)
    previous: type | None = None
    for block in blocks:
        if isinstance(block, Title):
            if lines:
                lines.append("")
            heading = f"{block.text} ({block.subtitle})" if block.subtitle else block.text
            lines += _wrap(heading, width)
            lines.append("=" * min(len(heading), width))
        elif isinstance(block, Heading):
            lines += ["", block.text, "-" * min(len(block.text), width)]
        elif isinstance(block, Para):
            if previous is Item:
                lines.append("")
            label = f"{block.label}: " if block.label else ""
            lines += _wrap(label + block.text + refs(block.refs), width, "", "  " if label else "")
        elif isinstance(block, Item):
            tags = f" [{'; '.join(block.tags)}]" if block.tags else ""
            if block.name:
                lines += _wrap(f"{block.name}{tags}", width, "- ", "  ")
            if block.text:
                lines += _wrap(block.text + refs(block.refs), width, "  " if block.name else "- ", "  ")
        elif isinstance(block, Row):
            head = row_head(block, widths)
            lines += _wrap(head + block.text, width, "", " " * len(head))
        elif isinstance(block, Grid):
            lines += grid(block, width)
        elif isinstance(block, Cited):
            s = block.source
            lines += _wrap(f"[{block.number}] {s.title}. {s.publisher}, {s.year}. {s.url}", width, "", "    ")
        elif isinstance(block, Note):
            lines += ["", *_wrap(block.text, width)]
        previous = type(block)
    return "\n".join(lines).lstrip("\n") + "\n"


def column_widths(blocks: list[Block]) -> list[int]:
    """The width of each column of the list rows (the id first), so that they line up."""
    rows = [(b.key, *b.columns) for b in blocks if isinstance(b, Row)]
    return [max(len(cells[i]) for cells in rows) for i in range(len(rows[0]))] if rows else []


def row_head(row: Row, widths: list[int]) -> str:
    return "".join(cell.ljust(size) + "  " for cell, size in zip((row.key, *row.columns), widths, strict=False))


def grid(block: Grid, width: int) -> list[str]:
    """The grid as aligned columns, split into several tables when it is wider than `width`."""
    first = max(len(block.corner), *(len(name) for name, _ in block.rows))
    sizes = [max(len(c), 4) for c in block.columns]
    chunks: list[list[int]] = [[]]
    used = first
    for i, size in enumerate(sizes):
        if chunks[-1] and used + 2 + size > width:
            chunks.append([])
            used = first
        chunks[-1].append(i)
        used += 2 + size
    lines: list[str] = []
    for chunk in chunks:
        lines.append("")
        lines.append(
            "  ".join([block.corner.ljust(first), *(block.columns[i].ljust(sizes[i]) for i in chunk)]).rstrip()
        )
        for name, cells in block.rows:
            lines.append("  ".join([name.ljust(first), *(cells[i].ljust(sizes[i]) for i in chunk)]).rstrip())
    return [*lines, "", *_wrap(block.legend, width)]
