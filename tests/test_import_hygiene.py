"""Layers below the UI must import with Textual blocked (ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
UI_PARTS = {"app.py", "screens", "widgets"}

_PROBE = """
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual blocked: " + name)
sys.meta_path.insert(0, Block())
bad = []
for mod in sys.argv[1:]:
    try:
        importlib.import_module(mod)
    except ImportError as exc:
        if "textual blocked" in str(exc):
            bad.append(f"{mod}: {exc}")
print("\\n".join(bad))
"""


def _modules_below_ui() -> list[str]:
    mods = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        rel = path.relative_to(ROOT / "tui")
        if rel.parts[0] in UI_PARTS or rel.parts[0] == "__main__.py":
            continue
        if rel.parts[0] in {"cli.py", "cli"}:
            continue
        dotted = ".".join(("tui", *rel.with_suffix("").parts))
        mods.append(dotted.removesuffix(".__init__"))
    return mods


def test_layers_below_the_ui_import_without_textual() -> None:
    mods = _modules_below_ui()
    assert "tui.api.models" in mods
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *mods], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", result.stdout
