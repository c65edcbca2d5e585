"""mbc: a command-line reference for the treatment of metastatic breast cancer."""

__version__ = "0.1.0"
