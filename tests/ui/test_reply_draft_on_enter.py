"""While Enter queues a reply, no draft is left for it (a kill -9 then cannot leave it in the box).

Found under load: the draft saved while typing held only part of the text ("on my w"), so it
was not the text queued and stayed in the store until the screen cleared it after the send; a
kill in between brought smsdesk back with a stale part of a sent text in the reply box. Enter now
removes the conversation's draft in the same transaction as the queueing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.ui.helpers import until
from tests.ui.test_inbox import SIZE, opened
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.screens.inbox_chat import DRAFT_SAVE_DELAY


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
        phone = await opened(app)
        await pilot.press("tab", *"on my w")
        for _ in range(400):  # the reply box's draft timer saves what is typed so far
            if await desk.store.get_draft(phone) == "on my w":
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the draft was never saved")
        await pilot.press(*"ay", "enter")  # the draft in the store is still the first part
        await until(lambda: bool(drafts))
    assert drafts == [None]
