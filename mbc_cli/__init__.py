"""mbc: a command-line reference for the treatment of metastatic breast cancer."""

__version__ = "0.1.0"
DISCLAIMER = "Reference information, not medical advice."
