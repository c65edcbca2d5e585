"""mbc: a command-line reference for the treatment of metastatic breast cancer."""

__version__ = "0.1.0"
DISCLAIMER = "Reference information, not medical advice."


def main() -> None:
    """The console-script entry point: Ctrl-C while the command line is still loading exits 130
    quietly, as it does later on, instead of a traceback from inside an import."""
    import os
    import signal

    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    from mbc_cli.cli import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    run()
