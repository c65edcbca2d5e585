"""The README stays true: its example output is what mbc prints, and every command is documented."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.main import get_command

from conftest import UPDATE, run
from mbc_cli.cli import app

README = Path(__file__).parent.parent / "README.md"
EXAMPLE = re.compile(r"```console\n\$ (mbc [^\n]*)\n(.*?)```", re.S)


def shown(command: str) -> str:
    """What the README's command line prints, on the shipped knowledge, 80 columns, in a pipe."""
    line, _, head = command.partition(" | head -n ")
    result = run(*shlex.split(line)[1:], data=None)
    output = result.stdout if result.exit_code == 0 else result.stderr
    if head:
        output = "".join(output.splitlines(keepends=True)[: int(head)])
    return output


def test_readme_examples_are_real_output() -> None:
    text = README.read_text(encoding="utf-8")
    examples = EXAMPLE.findall(text)
    assert len(examples) >= 5
    if UPDATE:
        text = EXAMPLE.sub(lambda m: f"```console\n$ {m[1]}\n{shown(m[1])}```", text)
        README.write_text(text, encoding="utf-8")
    for command, output in EXAMPLE.findall(text):
        assert output == shown(command), command


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert commands
    for name in commands:
        assert f"`mbc {name}" in text, name
