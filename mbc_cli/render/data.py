"""JSON output: the model objects themselves, with cited sources spelled out. Schema in README."""

import json
from typing import Any

from mbc_cli import DISCLAIMER
from mbc_cli.knowledge import Knowledge
from mbc_cli.safe import JSON_ESCAPES

JSON_VERSION = 1


def plain(value: object, kb: Knowledge) -> Any:
    """Records as dicts, tuples as lists, and every `sources` tuple as source objects."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        out = {}
        for name, item in zip(value._fields, value, strict=True):
            if name == "sources" and isinstance(item, tuple):
                out[name] = [plain(kb.source(i), kb) for i in item]
            else:
                out[name] = plain(item, kb)
        if hasattr(value, "anticancer"):
            out["anticancer"] = value.anticancer
        return out
    if isinstance(value, dict):
        return {key: plain(item, kb) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v, kb) for v in value]
    return value


def render(command: str, payload: dict[str, Any], kb: Knowledge) -> str:
    """The envelope every command's JSON shares, with its payload in the middle."""
    document = {
        "mbc_json_version": JSON_VERSION,
        "command": command,
        **plain(payload, kb),
        "knowledge_reviewed": kb.reviewed,
        "note": f"{DISCLAIMER} Knowledge last reviewed {kb.reviewed}.",
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.translate(JSON_ESCAPES) + "\n"
