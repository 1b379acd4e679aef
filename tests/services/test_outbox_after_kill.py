"""A text left "sending" by a process that was killed is taken over at once, not after its lease.

kill -9 in the middle of a POST leaves the item ``sending`` with the dead process's lease (60 s).
The restarted smsdesk (the only one: the profile is locked) must not wait that out.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from service_env import Env

from tui.services.outbox import Outbox

SEND = ("POST", "/v1/message")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


async def _leased_by(env: Env, box: Outbox, owner: str, text: str) -> str:
    item = await box.enqueue(env.subscribed_phone(), text)
    await env.store.update_outbox(item.key, state="sending", attempts=1,
                                  lease=(owner, datetime.now(UTC) + timedelta(seconds=60)))
    return item.key


async def test_a_text_whose_sender_was_killed_is_reconciled_at_once(env: Env) -> None:
    box = Outbox(env.client, env.store, reconcile_delay=0, retry_delay=0.0)
    owner = f"{socket.gethostname()}:{_dead_pid()}:dead0001"
    key = await _leased_by(env, box, owner, "Killed mid-send")
    assert box._leased_by_other(await env.store.get_outbox(key)) is False  # type: ignore[arg-type]
    await box.process_due()  # looked up (absent: the POST never arrived), queued again
    await box.process_due()
    item = await env.store.get_outbox(key)
    assert item is not None and item.state == "sent"
    assert env.copies(item.phone, "Killed mid-send") == 1


async def test_a_live_sender_on_this_machine_keeps_its_lease(env: Env) -> None:
    box = Outbox(env.client, env.store, reconcile_delay=0, retry_delay=0.0)
    owner = f"{socket.gethostname()}:{os.getppid()}:alive001"  # our parent runs
    key = await _leased_by(env, box, owner, "Still sending")
    assert await box.process_due() == []
    assert env.transport.count(*SEND) == 0
    assert (await env.store.get_outbox(key)).state == "sending"  # type: ignore[union-attr]
