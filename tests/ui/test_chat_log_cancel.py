"""A chat reload cancelled while the old bubbles are being removed leaves the app running.

The inbox reloads the open conversation in an exclusive worker; a second update (texts arriving
in a burst) cancels the first while ``ChatLog.show`` waits for the old bubbles to go. Cancelling
that wait cancelled the bubbles' own tasks, which the app's loop also waits for: the app stopped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from textual.app import App, ComposeResult

from tui.widgets.chat_log import Bubble, ChatLog

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Text:
    key: str
    body: str
    direction: str = "outgoing"
    created_at: datetime = NOW
    state: str | None = "delivered"
    detail: str | None = None


def texts(prefix: str, count: int) -> list[Text]:
    return [Text(key=f"{prefix}{n}", body=f"{prefix} text {n}") for n in range(count)]


class ChatApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ChatLog(id="log")


async def test_a_reload_cancelled_while_removing_bubbles_keeps_the_app_running() -> None:
    app = ChatApp()
    async with app.run_test() as pilot:
        log = app.query_one(ChatLog)
        # Cancelled at each step of the reload in turn: one of them is inside the removal.
        for steps in range(8):
            await log.show(texts("old", 20), now=NOW)
            await pilot.pause()
            reload = asyncio.create_task(log.show(texts("new", 5), now=NOW))
            for _ in range(steps):
                await asyncio.sleep(0)
            reload.cancel()
            for _ in range(20):  # the removal runs its course on the app's loop
                await asyncio.sleep(0.01)
            assert app.is_running, f"the app stopped when the reload was cancelled at {steps}"
        await log.show(texts("last", 3), now=NOW)
        await pilot.pause()
        assert [bubble.key for bubble in log.query(Bubble)] == ["last0", "last1", "last2"]
