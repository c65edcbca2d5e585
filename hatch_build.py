"""Build hook: compile the shipped knowledge into the wheel, so an installed mbc needs no cache.

The wheel then holds `mbc_cli/data/treatments.mbck` beside `treatments.toml`, keyed by the TOML's
content (see knowledge.packaged_key): an ordinary run reads it directly, and a knowledge file that
fails to compile fails the build.
"""

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileKnowledge(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from mbc_cli import knowledge, store

            source = root / "data" / "treatments.toml"
            key = knowledge.packaged_key(source)
            assert key is not None, f"cannot read {source}"
            sections, groups = knowledge.compile_knowledge(knowledge.merge([source]))
            data = store.build(key, [], sections, groups)
        finally:
            sys.path.remove(str(root))
        compiled = Path(self.directory) / f"treatments{store.SUFFIX}"
        compiled.parent.mkdir(parents=True, exist_ok=True)
        compiled.write_bytes(data)
        build_data["force_include"][str(compiled)] = f"mbc_cli/data/treatments{store.SUFFIX}"
