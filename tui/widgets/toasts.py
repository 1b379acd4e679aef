"""What toasts new texts make, as the profile's ``new_text_toasts`` asks (each, grouped, off)."""

from __future__ import annotations

from collections.abc import Sequence

from tui.frozen_record import frozen_record

# More texts than this at once are one toast even when the profile asks for one each.
EACH_AT_MOST = 3
PREVIEW = 120


@frozen_record
class TextToast:
    title: str
    text: str
    phones: tuple[str, ...] = ()  # whose texts it announces (it goes once they are opened)


def new_text_toasts(texts: Sequence[tuple[str, str, str]], mode: str) -> list[TextToast]:
    """``texts`` are (phone, who, text) outside the open conversation, oldest first."""
    if not texts or mode == "off":
        return []
    if len(texts) == 1 or (mode == "each" and len(texts) <= EACH_AT_MOST):
        return [TextToast(f"New text from {who}", text[:PREVIEW], (phone,))
                for phone, who, text in texts]
    names = list(dict.fromkeys(who for _phone, who, _text in texts))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    phones = tuple(dict.fromkeys(phone for phone, _who, _text in texts))
    return [TextToast(f"{len(texts)} new texts", f"from {shown}", phones)]
