"""JSON output: the model objects themselves, with cited sources spelled out. Schema in README."""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from typing import Any

from mbc_cli.document import DISCLAIMER
from mbc_cli.knowledge import Knowledge

JSON_VERSION = 1
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: object, kb: Knowledge) -> Any:
    """Dataclasses as dicts, tuples as lists, and every `sources` tuple as source objects."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.name == "sources" and isinstance(item, tuple):
                out[f.name] = [plain(kb.source(i), kb) for i in item]
            else:
                out[f.name] = plain(item, kb)
        if hasattr(value, "anticancer"):
            out["anticancer"] = value.anticancer
        return out
    if isinstance(value, (tuple, list)):
        return [plain(v, kb) for v in value]
    return value


def render(command: str, payload: dict[str, Any], kb: Knowledge) -> str:
    """The envelope every command's JSON shares, with its payload in the middle."""
    document = {
        "mbc_json_version": JSON_VERSION,
        "command": command,
        **payload,
        "knowledge_reviewed": kb.reviewed,
        "note": f"{DISCLAIMER} Knowledge last reviewed {kb.reviewed}.",
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
