"""`clean`: text from a knowledge file or a user made safe to print on any terminal."""

# What `clean` replaces: C0 controls by their visible symbols (ESC as U+241B), whitespace controls
# by a space, and DEL, C1 controls, line separators and bidirectional overrides by U+FFFD.
_SAFE = {code: chr(0x2400 + code) for code in range(0x20)}
_SAFE |= {ord(c): " " for c in "\t\n\r"}
_SAFE |= dict.fromkeys([0x7F, *range(0x80, 0xA0), 0x200E, 0x200F, 0x2028, 0x2029], "\ufffd")
_SAFE |= dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")


def clean(text: str) -> str:
    """Data text made safe for a terminal: control and bidi characters become visible symbols."""
    return text.translate(_SAFE)


# For JSON text, which escapes C0 controls itself: the rest of the above as \u escapes.
JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _SAFE if code > 0x7E}
