"""Lets `python -m mbc_cli` run the command-line tool."""

from mbc_cli import run

run()
