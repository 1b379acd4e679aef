"""smsdesk's key bindings by id and place, and the checks of a profile's ``keymap``.

UI level (imports the screens): the CLI uses it before writing a keymap, the app on start.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding

# Modal screens whose keys can be changed too (the sections come from SmsDeskApp.MODES).
MODALS = (("tui.screens.help", "HelpScreen", "Help"),
          ("tui.screens.saved_replies", "SavedRepliesScreen", "Saved replies"))


@dataclass(frozen=True)
class KeyBinding:
    """One binding a person can re-map: where it works, its id, default keys and what it does."""

    place: str
    id: str
    keys: tuple[str, ...]
    description: str


def _keys(spec: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in spec.split(",") if k.strip())


def _own(bindings: Iterable[object], place: str) -> list[KeyBinding]:
    return [KeyBinding(place, b.id, _keys(b.key), b.description or b.action)
            for b in bindings if isinstance(b, Binding) and b.id]


def _class_bindings(cls: type) -> list[object]:
    """BINDINGS of the class and its bases (Textual merges them the same way)."""
    found: list[object] = []
    for base in reversed(cls.__mro__):
        found.extend(base.__dict__.get("BINDINGS", []))
    return found


def bindings_by_place() -> dict[str, list[KeyBinding]]:
    """Everywhere (the app) first, then each section in tab order, then the dialogs."""
    from tui.app import SmsDeskApp

    places: dict[str, list[KeyBinding]] = {
        "Everywhere": _own(SmsDeskApp.__dict__.get("BINDINGS", []), "Everywhere")
    }
    for factory in SmsDeskApp.MODES.values():
        screen_class = factory if isinstance(factory, type) else _class_of(factory)
        if screen_class is None:
            continue
        title = str(getattr(screen_class, "TITLE", screen_class.__name__))
        places[title] = _own(_class_bindings(screen_class), title)
    for module, name, title in MODALS:
        screen_class = getattr(importlib.import_module(module), name)
        places[title] = _own(_class_bindings(screen_class), title)
    return places


def _class_of(factory: object) -> type | None:
    where = getattr(factory, "screen_path", None)
    if where is None:
        return None
    module, name = where
    found = getattr(importlib.import_module(module), name)
    return found if isinstance(found, type) else None


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """Why this keymap cannot be used: unknown ids and a key that two bindings would share."""
    places = bindings_by_place()
    known = {b.id for bindings in places.values() for b in bindings}
    problems = [
        f"{binding_id!r} is not a binding id (the ids are listed with ? in the app and by "
        "smsdesk config keys)"
        for binding_id in keymap if binding_id not in known
    ]
    everywhere = places["Everywhere"]
    for place, bindings in places.items():
        scope = bindings if place == "Everywhere" else [*bindings, *everywhere]
        owner: dict[str, str] = {}
        for binding in scope:
            keys = _keys(keymap[binding.id]) if binding.id in keymap else binding.keys
            for key in keys:
                other = owner.setdefault(key, binding.id)
                if other != binding.id and (binding.id in keymap or other in keymap):
                    problems.append(
                        f"{key!r} would be bound twice in {place}: {other} and {binding.id}"
                    )
    return sorted(set(problems))
