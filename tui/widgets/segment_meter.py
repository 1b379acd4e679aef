"""The live counter under the reply box: encoding, segments, what is left, and the cost."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.safe_text import shown


def meter_text(text: str) -> Text:
    line = Text()
    if not text:
        line.append("GSM-7 · 0 segments · 160 left", style="dim")
        return line
    # Imported on first use: an empty reply box (the first screen) needs none of it.
    from tui.sms.segments import analyze

    info = analyze(text)
    style = "yellow" if info.encoding == "UCS-2" else "dim"
    plural = "s" if info.segments != 1 else ""
    line.append(f"{info.encoding} · {info.segments} segment{plural} · {info.remaining} left",
                style=style)
    if info.non_gsm:
        culprits = "".join(dict.fromkeys(ch for _pos, ch in info.non_gsm))[:8]
        line.append(f"  non-GSM: {shown(culprits, single_line=True)}", style="yellow")
        line.append("  ctrl+g fixes", style="bold")
    return line


class SegmentMeter(Static):
    """Shows ``analyze()`` of the reply text; updated by the screen as the person types."""

    def show(self, text: str) -> None:
        self.update(meter_text(text))
