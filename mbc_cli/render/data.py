"""JSON output: the views written out as they are, so the JSON contract is the view classes.

Every document has the same envelope: `mbc_json_version`, `command`, the command's payload, the
sources it cites (by id), `knowledge_reviewed` and `note`. Fields named `sources` and `guidelines`,
and a drug's `us_label`, hold source ids; the `sources` object spells each one out once.
"""

import json
import re
from typing import Any

from mbc_cli.knowledge import Knowledge
from mbc_cli.safe import json_unsafe

JSON_VERSION = 2
_SOURCE_FIELDS = ("sources", "guidelines", "us_label")


def plain(value: Any, cited: dict[str, None]) -> Any:
    """Records as objects, tuples as lists; the source ids met on the way are noted in `cited`."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a record
        value = dict(zip(value._fields, value, strict=True))
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name in _SOURCE_FIELDS and not isinstance(item, int):  # ids (a count of sources is not)
                cited.update(dict.fromkeys(item if isinstance(item, tuple) else (item,) if item else ()))
            out[name] = plain(item, cited)
        return out
    if isinstance(value, (tuple, list)):
        return [plain(item, cited) for item in value]
    return value


def render(command: str, payload: dict[str, Any], kb: Knowledge | None, note: str, ascii_only: bool = False) -> str:
    """The envelope every command's JSON shares, with its payload in the middle."""
    cited: dict[str, None] = {}
    body = plain(payload, cited)
    document: dict[str, Any] = {"mbc_json_version": JSON_VERSION, "command": command, **body}
    if kb is not None:
        document["sources"] = {key: plain(kb.source(key), {}) for key in cited}
        document["knowledge_reviewed"] = kb.reviewed
    document["note"] = note
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    if text.isascii() and "\x7f" not in text:  # nothing to escape, as nearly always: 0.8 ms saved
        return text + "\n"
    return re.sub(json_unsafe(), _escape, text) + "\n"


def _escape(match: "re.Match[str]") -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
