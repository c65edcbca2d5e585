"""Tab-separated lists for scripts and spreadsheets: a header row, then one row per entry."""

from mbc_cli.safe import clean
from mbc_cli.views import COLUMNS, ListView


def _cell(value: object) -> str:
    text = ", ".join(value) if isinstance(value, tuple) else str(value or "")
    return clean(text).replace("\t", " ")


def render(view: ListView) -> str:
    names = ("id", "name", *COLUMNS[view.table], "aliases")
    lines = ["\t".join(names)]
    lines += ["\t".join(_cell(getattr(row, name)) for name in names) for row in view.rows]
    return "\n".join(lines) + "\n"
