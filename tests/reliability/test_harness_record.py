"""The fault suite's own accounting: a reply the outbox sends while the harness reads the
outbox states must not be counted as "sent but not on the server" (the lost text of the
1,000-reply run in docs/reliability.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from tests.reliability.harness import _final_record
from tui.store import OutboxItem


class SendingWhileRead:
    """An outbox store whose queued texts go out (onto the server) as the harness reads them."""

    def __init__(self, server: SimpleNamespace, texts: dict[str, str]) -> None:
        self.server = server
        self.texts = texts

    async def get_outbox(self, key: str) -> OutboxItem:
        # The sender posts the text (the server applies it before answering), then marks it.
        self.server.messages.append(SimpleNamespace(message=self.texts[key],
                                                    direction="outgoing"))
        now = datetime.now(UTC)
        return OutboxItem(key=key, phone="+15125550100", body=self.texts[key], state="sent",
                          created_at=now, updated_at=now)


async def test_a_text_sent_while_the_states_are_read_is_found_on_the_server() -> None:
    texts = {"k1": "reliability default #1", "k2": "reliability default #2"}
    server = SimpleNamespace(messages=[])
    desk: Any = SimpleNamespace(store=SendingWhileRead(server, texts))
    sandbox: Any = SimpleNamespace(state=server)

    items, server_out = await _final_record(desk, sandbox, list(texts))

    for key, text in texts.items():
        item = items[key]
        assert item is not None and item.state == "sent"
        assert server_out[text] == 1  # sent means on the server: never counted as lost
