"""While Enter queues a reply, no draft holds that text (a kill -9 then cannot leave it in the box).

The store removes the draft with the queueing (tests/store/test_store_local.py); this keeps the
screen from writing it back meanwhile: its draft timer is a message to the same screen, so it
waits for Enter's handler to finish. If that ever changes, this test says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.ui.helpers import until
from tests.ui.test_inbox import SIZE, opened
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.screens.inbox import DRAFT_SAVE_DELAY


async def test_no_draft_of_the_text_while_it_is_queued(make_desk: Callable[..., Desk]) -> None:
    desk = make_desk()
    drafts: list[str | None] = []
    send_reply = desk.send_reply

    async def slow_send(phone: str, text: str) -> None:
        await send_reply(phone, text)  # in the outbox now
        await asyncio.sleep(DRAFT_SAVE_DELAY * 3)  # a kill could land anywhere in here
        drafts.append(await desk.store.get_draft(phone))

    desk.send_reply = slow_send  # type: ignore[method-assign]
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await opened(app)
        await pilot.press("tab", *"on my way", "enter")
        await until(lambda: bool(drafts))
    assert drafts == [None]
