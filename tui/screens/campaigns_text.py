"""Fitting foreign text into the campaign screens' fixed-width cells."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters (an ellipsis marks the cut)."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(1, width - 1)] + "…"
