"""Text output: the layout both human-readable text formats share, wrapped to a width.

`render` lays the blocks out as lines. A `Paint` says how styles look: `PLAIN` writes no escape
codes at all (what goes into a pipe); `terminal.paint` gives bold, dim, colour and links for a
terminal. Words are wrapped before they are painted, so escape codes never count towards the width,
and widths are counted as a terminal shows them (a wide character takes two columns).
"""

from mbc_cli.document import ROLE_LABELS, Block, Cited, Detail, Grid, Heading, Item, Note, Para, Row, Title
from mbc_cli.record import Record
from mbc_cli.safe import width as columns

Piece = tuple[str, str]  # (text, style); style "" is unstyled


class Paint(Record):
    codes: dict[str, str]  # style -> SGR parameters ("1;4"); no entry, no escape code
    rules: bool  # underline titles and headings with = and -
    links: bool = False  # make URLs clickable (OSC 8)
    wrap_rows: bool = False  # wrap list rows (a pipe never does, so that grep finds whole rows)


PLAIN = Paint({}, rules=True)


def refs(numbers: tuple[int, ...]) -> str:
    return f" [{', '.join(map(str, numbers))}]" if numbers else ""


def render(blocks: list[Block], width: int = 80, paint: Paint = PLAIN, grid_width: int | None = None) -> str:
    width = max(width, 10)
    lines: list[str] = []
    widths = column_widths(blocks)
    previous: type | None = None
    for block in blocks:
        if isinstance(block, Title):
            if lines:
                lines.append("")
            subtitle = f" ({block.subtitle})" if block.subtitle else ""
            lines += wrap([(block.text, "title"), (subtitle, "subtitle")], width, paint)
            lines += ["=" * min(columns(block.text + subtitle), width)] if paint.rules else []
        elif isinstance(block, Heading):
            lines += ["", *wrap([(block.text, "heading")], width, paint)]
            lines += [("=" if block.level == 1 else "-") * min(columns(block.text), width)] if paint.rules else []
        elif isinstance(block, Para):
            if previous in (Item, Detail):
                lines.append("")
            label = [(f"{block.label}:", "label"), (" ", "")] if block.label else []
            lines += wrap([*label, (block.text, ""), (refs(block.refs), "refs")], width, paint, "", "  " * bool(label))
        elif isinstance(block, Item):
            lines += _item(block, width, paint)
        elif isinstance(block, Detail):
            pieces = [(f"{block.label}:", "label"), (" ", ""), (block.text, ""), (refs(block.refs), "refs")]
            lines += wrap(pieces, width, paint, "  ", "    ")
        elif isinstance(block, Row):
            cells = [cell.ljust(size) + "  " for cell, size in zip((block.key, *block.columns), widths, strict=False)]
            head = _paint(cells[0], "key", paint) + _paint("".join(cells[1:]), "tag", paint)
            if paint.wrap_rows:
                lines += wrap([(block.text, "")], width, paint, head, " " * len("".join(cells)))
            else:
                lines.append((head + block.text).rstrip())
        elif isinstance(block, Grid):
            lines += grid(block, grid_width or width, paint)
        elif isinstance(block, Cited):
            s = block.source
            year = s.year or "n.d."
            pieces = [(f"[{block.number}]", "refs"), (f" {s.title}. {s.publisher}, {year} ({s.type}). ", "")]
            lines += wrap([*pieces, (s.url, "url")], width, paint, "", "    ")
            lines += wrap([(f"Note: {block.note}", "")], width, paint, "    ", "    ") if block.note else []
        elif isinstance(block, Note):
            lines += ["", *wrap([(block.text, "note")], width, paint)]
        previous = type(block)
    return "\n".join(lines).lstrip("\n") + "\n"


ROLE_STYLES = {label: f"role-{role}" for role, label in ROLE_LABELS.items()} | {r: f"role-{r}" for r in ROLE_LABELS}


def _item(block: Item, width: int, paint: Paint) -> list[str]:
    marker = f"{block.marker} "
    indent = " " * len(marker)
    lines: list[str] = []
    if block.name:
        tags = [(f"; {tag}" if i else f" [{tag}", ROLE_STYLES.get(tag, "tag")) for i, tag in enumerate(block.tags)]
        name_style = "warning" if block.style == "warning" else "name"
        cited = [] if block.text else [(refs(block.refs), "refs")]  # a name alone carries its citations
        lines += wrap(
            [(block.name, name_style), *tags, ("]" * bool(tags), "tag"), *cited], width, paint, marker, indent
        )
    if block.text:
        first = indent if block.name else marker
        tags = [] if block.name else [(f" [{'; '.join(block.tags)}]", "tag")] * bool(block.tags)
        lines += wrap([(block.text, ""), *tags, (refs(block.refs), "refs")], width, paint, first, indent)
    return lines


def _paint(text: str, style: str, paint: Paint) -> str:
    code = paint.codes.get(style)
    if style == "url" and paint.links:
        text = f"\x1b]8;;{text}\x1b\\{text}\x1b]8;;\x1b\\"
    return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def wrap(pieces: list[Piece], width: int, paint: Paint, first: str = "", rest: str = "") -> list[str]:
    """Fill lines of at most `width` columns with the words of the pieces, then paint each word.

    `first` and `rest` indent the first and the following lines (`first` may already be painted;
    its printed width is that of `rest` when it holds escape codes). A word longer than a line
    stands on a line of its own rather than being broken.
    """
    if not paint.codes and not paint.links:
        return _wrap_plain("".join(text for text, _ in pieces), width, first, rest)
    words: list[list[Piece]] = [[]]
    for text, style in pieces:
        for i, part in enumerate(text.split(" ")):
            if i:
                words.append([])
            if part:
                words[-1].append((part, style))
    lines: list[str] = []
    line: list[list[Piece]] = []
    used = columns(rest) if "\x1b" in first else columns(first)
    for word in filter(None, words):
        size = sum(columns(text) for text, _ in word)
        if line and used + 1 + size > width:
            lines.append((rest if lines else first) + _join(line, paint))
            line, used = [], columns(rest)
        used += size + bool(line)
        line.append(word)
    lines.append((rest if lines else first) + _join(line, paint))
    return [text.rstrip() for text in lines]


def _wrap_plain(text: str, width: int, first: str, rest: str) -> list[str]:
    """`wrap` for unstyled text: the same lines, a good deal faster."""
    lines: list[str] = []
    line = first
    used = columns(first)
    bare = True  # nothing but the indent on this line yet
    measure = len if text.isascii() else columns  # most text is ASCII: one check, not one a word
    for word in filter(None, text.split(" ")):
        size = measure(word)
        if not bare and used + 1 + size > width:
            lines.append(line)
            line, used, bare = rest, columns(rest), True
        line += word if bare else " " + word
        used += size + (not bare)
        bare = False
    lines.append(line)
    return [text.rstrip() for text in lines]


def _join(words: list[list[Piece]], paint: Paint) -> str:
    """Words joined by spaces, with one escape sequence per run of the same style."""
    runs: list[Piece] = []
    for word in words:
        if runs:
            runs.append((" ", runs[-1][1] if word[0][1] == runs[-1][1] and word[0][1] != "url" else ""))
        runs += word
    merged: list[Piece] = []
    for text, style in runs:
        if merged and merged[-1][1] == style and style != "url":
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return "".join(_paint(text, style, paint) for text, style in merged)


def column_widths(blocks: list[Block]) -> list[int]:
    """The width of each column of the list rows (the id first), so that they line up."""
    rows = [(b.key, *b.columns) for b in blocks if isinstance(b, Row)]
    return [max(columns(cells[i]) for cells in rows) for i in range(len(rows[0]))] if rows else []


GRID_STYLES = {"main": "role-main", "sel": "role-selected", "supp": "role-supportive"}


def grid(block: Grid, width: int, paint: Paint = PLAIN) -> list[str]:
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
        header = [_paint(block.corner.ljust(first), "heading", paint)]
        lines += ["", "  ".join(header + [_paint(block.columns[i].ljust(sizes[i]), "heading", paint) for i in chunk])]
        for name, cells in block.rows:
            row = [name.ljust(first)] + [
                _paint(cells[i].ljust(sizes[i]), GRID_STYLES.get(cells[i], ""), paint) for i in chunk
            ]
            lines.append("  ".join(row))
    return [line.rstrip() for line in lines] + ["", *wrap([(block.legend, "")], width, paint)]
