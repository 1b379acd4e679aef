"""What each part of the status bar says, from its full wording down to a word, for any width.

At 60 or 80 columns the full wording of every part does not fit on one line, and a bar that
is simply cut at the right edge hides the parts that matter most there: failed texts, unread
texts. ``fitted`` shortens the parts in a fixed order instead, calm and secondary news first,
so what needs the person (offline, failed, unread) stays whole at every width.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from tui.safe_text import shown

GAP = 2  # the cells between two parts (their right margin in the stylesheet)

# Which part gives up one step of its wording next, while the line is too long. A part with
# no shorter wording left is passed over. The calm states ("rate ok", "outbox clear") go
# first; failed texts and the connection keep their word to the very end.
SHRINK_ORDER: tuple[str, ...] = (
    "headroom", "outbox", "sync", "catch-up", "connection", "profile", "catch-up",
    "unread", "connection", "outbox", "sync", "headroom", "connection", "catch-up",
    "headroom", "profile",
)

_PROGRESS = re.compile(r"^(?P<what>\w+) (?P<done>[\d,]+) / (?P<total>[\d,]+)$")


def percent(done: int, total: int) -> str:
    """``done`` of ``total`` in whole percent, never 100 % before the last one is in."""
    if total <= 0:
        return "0%"
    share = done * 100 // total
    return f"{min(share, 100)}%"


def profile_forms(profile: str) -> tuple[str, ...]:
    return (f"◆ {shown(profile, single_line=True, limit=40)}", "")


def connection_forms(label: str, reason: str, countdown: str, checked: str) -> tuple[str, ...]:
    """``label`` ("● online"), then the reason, the countdown and the last poll's time.

    Shortest keeps the state and the countdown: how long until the next try matters more at
    60 columns than why the last one failed."""
    reason = f": {shown(reason, single_line=True, limit=80)}" if reason else ""
    countdown = f" · {countdown}" if countdown else ""
    forms = [f"{label}{reason}{countdown}"]
    if checked:
        forms = [f"{label}{reason}{countdown} · checked {checked}",
                 f"{label}{reason}{countdown} · {checked[:5]}", *forms]
    if reason:
        forms.append(f"{label}{countdown}")
    return tuple(forms)


def catch_up_forms(texts: int, total_texts: int, conversations: int) -> tuple[str, ...]:
    return (f"⟳ catching up: {conversations:,} conversations · {texts:,} / {total_texts:,} texts",
            f"⟳ catching up {texts:,} / {total_texts:,}",
            f"⟳ {percent(texts, total_texts)}",
            "")


def headroom_forms(headroom: str) -> tuple[str, ...]:
    """A calm rate goes first; a pause or requests held up keep a short word to the end."""
    if not headroom or headroom == "rate ok":
        return (headroom, "") if headroom else ("",)
    short = headroom.removeprefix("rate: ").removeprefix("rate ").replace(" requests waiting", "")
    short = short.replace(" request waiting", "")
    return (headroom, short, "")


def unread_forms(unread: int) -> tuple[str, ...]:
    return (f"✉ {unread} unread", f"✉ {unread}")


def outbox_forms(sending: int, failed: int) -> tuple[str, ...]:
    if not sending and not failed:
        return ("outbox clear", "")
    long, short = [], []
    if sending:
        long.append(f"↑ sending {sending}")
        short.append(f"↑{sending}")
    if failed:
        long.append(f"✗ {failed} failed")
        short.append(f"✗{failed} failed")
    return ("  ".join(long), " ".join(short))


def sync_forms(sync: str) -> tuple[str, ...]:
    """"contacts 12,400 / 98,113", then "contacts 12%", then nothing."""
    if not sync:
        return ("",)
    found = _PROGRESS.match(sync)
    if found is None:
        return (sync, "")
    done, total = (int(found[key].replace(",", "")) for key in ("done", "total"))
    return (sync, f"{found['what']} {percent(done, total)}", "")


def line_width(texts: Sequence[str]) -> int:
    """Cells the shown parts take on one line, the gaps between them included."""
    shown_texts = [text for text in texts if text]
    return sum(cell_len(text) for text in shown_texts) + GAP * max(0, len(shown_texts) - 1)


def fitted(forms: Mapping[str, Sequence[str]], width: int) -> dict[str, str]:
    """One wording per part: the longest that lets the whole line fit in ``width`` cells.

    When even the shortest wordings do not fit, the shortest are returned (the bar cuts the
    rest); every part always has at least its last wording."""
    chosen = dict.fromkeys(forms, 0)

    def texts() -> dict[str, str]:
        return {part: forms[part][index] for part, index in chosen.items()}

    def fits() -> bool:
        return line_width(list(texts().values())) <= width

    for part in SHRINK_ORDER:
        if fits():
            break
        if part in chosen and chosen[part] < len(forms[part]) - 1:
            chosen[part] += 1
    # A later, bigger cut may have made room an earlier one did not need: give words back,
    # the most important part first, wherever they fit.
    for part in reversed(SHRINK_ORDER):
        if part in chosen and chosen[part] > 0:
            chosen[part] -= 1
            if not fits():
                chosen[part] += 1
    return texts()
