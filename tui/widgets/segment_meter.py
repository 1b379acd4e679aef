"""The live counter under the reply box: encoding, segments, what is left, and the cost."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.api.limits import MAX_MESSAGE_LENGTH
from tui.safe_text import shown


def cost_style(segments: int) -> str:
    """The meter warms up as the text costs more: 1 dim, 2–3 plain, 4–6 yellow, 7+ red."""
    if segments <= 1:
        return "dim"
    if segments <= 3:
        return ""
    return "yellow" if segments <= 6 else "bold red"


def meter_text(text: str) -> Text:
    line = Text()
    if not text:
        line.append("GSM-7 · 0 segments · 160 left", style="dim")
        return line
    if len(text) > MAX_MESSAGE_LENGTH:
        line.append(f"Too long: {len(text):,} characters, at most {MAX_MESSAGE_LENGTH:,} "
                    f"({len(text) - MAX_MESSAGE_LENGTH:,} over)", style="bold red")
        return line
    # Imported on first use: an empty reply box (the first screen) needs none of it.
    from tui.sms.segments import analyze

    info = analyze(text)
    plural = "s" if info.segments != 1 else ""
    line.append(f"{info.encoding} · ", style="yellow" if info.encoding == "UCS-2" else "dim")
    line.append(f"{info.segments} segment{plural}", style=cost_style(info.segments))
    line.append(f" · {info.remaining} left", style="dim")
    if info.non_gsm:
        culprits = "".join(dict.fromkeys(ch for _pos, ch in info.non_gsm))[:8]
        line.append(f"  non-GSM: {shown(culprits, single_line=True)}", style="yellow")
        line.append("  ctrl+g fixes", style="bold")
    return line


class SegmentMeter(Static):
    """Shows ``analyze()`` of the reply text; updated by the screen as the person types."""

    def show(self, text: str) -> None:
        self.update(meter_text(text))
