"""The ``?`` help screen and the palette's actions: smsdesk's keys by place, in the order they
are declared (the order people need them), each with the binding id a keymap uses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.safe_text import shown


@dataclass(frozen=True)
class KeyRow:
    """One line of the help: where it works, its key(s), what it does and its binding id."""

    where: str
    keys: str
    description: str
    binding_id: str = ""


def _key_display(node: DOMNode, key: str) -> str:
    return node.app.get_key_display(Binding(key, ""))


def node_rows(node: DOMNode, where: str) -> list[KeyRow]:
    """The node's own smsdesk bindings (those with an id) as declared, keymap applied."""
    found: dict[str, tuple[list[str], Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            if binding.id and binding.description:
                found.setdefault(binding.id, ([], binding))[0].append(key)
    order = [b.id for b in _declared(type(node)) if b.id in found]
    order += [i for i in found if i not in order]
    return [
        KeyRow(where, " ".join(_key_display(node, k) for k in found[i][0]),
               found[i][1].description, i)
        for i in order
    ]


def _declared(cls: type) -> list[Binding]:
    bindings: list[Binding] = []
    for base in reversed(cls.__mro__):
        bindings.extend(b for b in base.__dict__.get("BINDINGS", []) if isinstance(b, Binding))
    return bindings


def _widget_name(class_name: str) -> str:
    """``ConversationList`` -> ``Conversation list``."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in class_name).strip()
    return words[:1].upper() + words[1:]


def binding_rows(screen: Screen[Any]) -> list[KeyRow]:
    """This screen's keys first, then its widgets' (and rows the screen adds, such as the
    reply box's Enter), then the keys that work everywhere. Textual's own scrolling and
    editing keys (bindings without an id) are left out."""
    rows = node_rows(screen, str(getattr(screen, "TITLE", None) or "This screen"))
    seen: set[type] = set()
    for widget in screen.walk_children():
        if type(widget) in seen:
            continue
        seen.add(type(widget))
        rows += node_rows(widget, _widget_name(type(widget).__name__))
    extra = getattr(screen, "help_rows", None)
    if callable(extra):
        rows += list(extra())
    rows += node_rows(screen.app, "Everywhere")
    return rows


def screen_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    """Palette entries for what the screen can do now: its actions and any extra commands."""
    extra = getattr(screen, "palette_commands", None)
    if callable(extra):
        yield from extra()
    for row in node_rows(screen, ""):
        binding = next(b for bs in screen._bindings.key_to_bindings.values() for b in bs
                       if b.id == row.binding_id)
        if screen.check_action(binding.action, ()) is False:
            continue
        yield SystemCommand(row.description, f"key {row.keys}",
                            partial(screen.run_action, binding.action))


def _one_line(text: str) -> str:
    # Keys and descriptions can come from the person's keymap: cleaned like any shown text.
    return shown(text, single_line=True, limit=80)


def help_table(rows: Iterable[KeyRow]) -> Content:
    """Plain text (never markup): places as headings, then key, description and binding id."""
    rows = list(rows)
    key_width = max((len(r.keys) for r in rows), default=4) + 2
    desc_width = max((len(r.description) for r in rows), default=10) + 2
    parts: list[Content] = []
    where_before = None
    for row in rows:
        if row.where != where_before:
            if where_before is not None:
                parts.append(Content("\n"))
            parts.append(Content.styled(_one_line(row.where), "bold underline") + Content("\n"))
            where_before = row.where
        parts.append(Content.styled(_one_line(row.keys).ljust(key_width), "bold"))
        parts.append(Content(_one_line(row.description).ljust(desc_width)))
        parts.append(Content.styled(_one_line(row.binding_id), "dim") + Content("\n"))
    return Content("").join(parts)


class HelpScreen(ModalScreen[None]):
    """Lists the bindings; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close help", id="help.close"),
    ]

    def __init__(self, title: str, rows: list[KeyRow]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Content(_one_line(f"Keys — {self._title}")), id="help-title")
            yield Static(help_table(self._rows), id="help-table")
            yield Static(
                Content("Command palette: ctrl+p (every action of this screen is there too).\n"
                        "Change a key per profile by its id (the grey column): "
                        "smsdesk config set keymap.<id> <key>"),
                classes="help-note",
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
