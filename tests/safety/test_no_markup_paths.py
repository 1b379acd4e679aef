"""No path from a variable to markup: a structural check over every UI module.

A ``str`` given to ``Static``/``Label``/``update``/``Option`` is parsed as markup, and so is one
given to ``notify`` without ``markup=False`` or a ``str`` cell in ``DataTable.add_row``. So in
the UI, those take only a literal string or a call that builds ``Content``/``Text``
(``plain(...)``, ``Content(...)``, a function annotated ``-> Text``/``-> Content``); ``notify``
always says ``markup=False``; nothing parses markup from a variable (``Content.from_markup``,
``Text.from_markup``, ``Matcher.highlight``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "tui"
UI_FILES = sorted(
    [ROOT / "app.py", *(ROOT / "screens").glob("*.py"), *(ROOT / "widgets").glob("*.py")]
)
SHOWS_ITS_ARGUMENT = {"update", "Static", "Label", "Option", "Button", "Digits", "Markdown"}
PARSES_MARKUP = {"from_markup", "render_markup"}
MARKUP_ATTRIBUTES = {"border_title", "border_subtitle", "tooltip"}
BUILDERS = {"plain", "Content", "Text", "assemble", "styled", "drawn", "highlighted",
            "not_shown_text",
            # A Textual Visual draws itself; it is never parsed (its rows are Text from row()).
            "RowVisual"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _builders() -> set[str]:
    """Every function in tui/ annotated to return Text, Content or a Drawing of either."""
    names = set(BUILDERS)
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.returns is not None:
                returned = ast.unparse(node.returns)
                if returned in {"Text", "Content", "Drawing", "Table"}:
                    names.add(node.name)
    return names


def _safe(argument: ast.expr, builders: set[str]) -> bool:
    if isinstance(argument, ast.Constant):
        return True  # our own literal text, written by us
    if isinstance(argument, ast.IfExp):
        return _safe(argument.body, builders) and _safe(argument.orelse, builders)
    if isinstance(argument, ast.Call):
        func = argument.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
                and _safe(func.value, builders)):
            return True  # a method of Content/Text (Content("\n").join(...)) stays Content
        return _name(func) in builders
    return False


def _problems(path: Path, builders: set[str]) -> list[str]:
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT.parent)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            name = _name(node.func)
            # ``x.update(a, key=...)`` is a service or a dict; a widget's update takes one value.
            service_call = name == "update" and (len(node.args) != 1 or node.keywords)
            if (name in SHOWS_ITS_ARGUMENT and node.args and not service_call
                    and not _safe(node.args[0], builders)):
                found.append(f"{where}: {name}({ast.unparse(node.args[0])}) may parse markup")
            if name == "add_row":  # DataTable parses a str cell as markup
                for cell in node.args:
                    if not _safe(cell, builders):
                        found.append(f"{where}: add_row cell {ast.unparse(cell)} is a str")
            fuzzy = name == "highlight" and "matcher" in ast.unparse(node.func).lower()
            if ((name in PARSES_MARKUP or fuzzy) and node.args
                    and not isinstance(node.args[0], ast.Constant)):
                found.append(f"{where}: {name}() parses markup from a variable")
            if name == "notify":
                markup = [k for k in node.keywords if k.arg == "markup"]
                if not markup or not (isinstance(markup[0].value, ast.Constant)
                                      and markup[0].value.value is False):
                    found.append(f"{where}: notify() without markup=False")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr in MARKUP_ATTRIBUTES
                        and not _safe(node.value, builders)):
                    found.append(f"{where}: {target.attr} = a str parses markup")
    return found


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_ui_module_has_no_path_from_a_string_to_markup(path: Path) -> None:
    assert _problems(path, _builders()) == []


def test_the_check_catches_what_it_should(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(self, name):\n"
        "    self.update(name)\n"
        "    self.update(f'hi {name}')\n"
        "    Static(str(name))\n"
        "    self.notify(name)\n"
        "    self.notify(name, markup=True)\n"
        "    Content.from_markup(name)\n"
        "    matcher.highlight(name)\n"
        "    self.border_title = name\n"
        "    self.update(plain(name))\n"
        "    self.notify(name, markup=False)\n"
        "    table.add_row(Text(name), name)\n"
        "    Static('{}'.format(name))\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        problems = _problems(bad, BUILDERS)
    finally:
        ROOT = saved
    assert len(problems) == 10, problems
