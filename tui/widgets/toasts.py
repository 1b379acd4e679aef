"""What toasts new texts make, as the profile's ``new_text_toasts`` asks (each, grouped, off)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# More texts than this at once are one toast even when the profile asks for one each.
EACH_AT_MOST = 3
PREVIEW = 120


@dataclass(frozen=True)
class TextToast:
    title: str
    text: str


def new_text_toasts(texts: Sequence[tuple[str, str]], mode: str) -> list[TextToast]:
    """``texts`` are (who, text) outside the open conversation, oldest first."""
    if not texts or mode == "off":
        return []
    if mode == "each" and len(texts) <= EACH_AT_MOST:
        return [TextToast(f"New text from {who}", text[:PREVIEW]) for who, text in texts]
    names = list(dict.fromkeys(who for who, _text in texts))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if len(texts) == 1:
        who, text = texts[0]
        return [TextToast(f"New text from {who}", text[:PREVIEW])]
    return [TextToast(f"{len(texts)} new texts", f"from {shown}")]
