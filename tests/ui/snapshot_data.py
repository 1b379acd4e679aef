"""A fixed little account for screen snapshots: same names, texts and times every run."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tui.api.client import MobinitiClient
from tui.api.models import Contact, Message, Receipt
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.store import AsyncStore, open_store

NOW = datetime.fromisoformat("2026-03-14T15:30:00+00:00")

PEOPLE = [
    ("c1", "+16502530000", "Maria", "Lopez"),
    ("c2", "+12125550134", "James", "Okafor"),
    ("c3", "+13125550178", "Priya", "Raman"),
    ("c4", "+14155550199", "Tom", "Becker"),
    ("c5", "+17185550111", None, None),
]

# (minutes before NOW, person index, direction, text, delivery code or None)
HISTORY = [
    (300, 0, "incoming", "Hi! Do you still have the blue jacket in medium?", None),
    (295, 0, "outgoing", "We do! Want us to hold one for you until Saturday?", "100"),
    (290, 0, "incoming", "Yes please 🙏", None),
    (120, 0, "outgoing", "Done. It’s at the front desk under Lopez.", "100"),
    (118, 0, "outgoing", "Reminder: 20% off accessories this weekend.", "125"),
    (3, 0, "incoming", "Great, can I pick it up after 6pm?", None),
    (200, 1, "incoming", "What time do you close today?", None),
    (199, 1, "outgoing", "We're open until 9pm tonight.", "100"),
    (60, 2, "incoming", "STOP", None),
    (45, 3, "incoming", "HELP", None),
    (10, 4, "incoming", "Is this the bakery on 5th?", None),
]


# Opening a conversation with unread texts marks them read on the server; the snapshots open
# Maria's and Priya's, so only these stay unread and no request is made while drawing.
UNREAD_PEOPLE = {3, 4}


def _contact(index: int) -> Contact:
    cid, phone, first, last = PEOPLE[index]
    when = NOW - timedelta(days=30)
    return Contact(id=cid, phone_number=phone, first_name=first, last_name=last,
                   created_at=when, updated_at=when,
                   unsubscribed_at=NOW - timedelta(minutes=60) if index == 2 else None)


def _messages() -> list[Message]:
    messages = []
    for n, (minutes, who, direction, text, code) in enumerate(HISTORY):
        at = NOW - timedelta(minutes=minutes)
        receipt = None
        if code:
            receipt = Receipt(code=code, status="", success=code == "100", updated_at=at)
        messages.append(Message(
            id=f"m{n:03d}", phone_number=PEOPLE[who][1], message=text, direction=direction,
            read=who not in UNREAD_PEOPLE, contact_id=PEOPLE[who][0],
            created_at=at, updated_at=at, receipt=receipt,
        ))
    return messages


def fixed_desk(folder: Path, *, empty: bool = False, sandbox: Sandbox | None = None) -> Desk:
    """A desk whose services don't run: the screens show exactly this data. ``sandbox``: the
    server behind it (default: a small one that knows nothing of this data)."""
    store = open_store(folder / "snap.db")
    if not empty:
        store.upsert_contacts([_contact(i) for i in range(len(PEOPLE) - 1)])
        store.store_messages(_messages())
        store.set_opted_out(PEOPLE[2][1], True, at=NOW - timedelta(minutes=60))
        maria = PEOPLE[0][1]
        store.add_outbox(key="k-failed", phone=maria, body="See you then!",
                         created_at=NOW - timedelta(minutes=2))
        store.update_outbox("k-failed", state="failed", now=NOW,
                            last_error="The server refused it: message is too long.")
        store.add_outbox(key="k-sending", phone=maria, body="Bring your receipt please.",
                         created_at=NOW - timedelta(minutes=1))
        store.update_outbox("k-sending", state="sending", now=NOW)
        store.save_draft(PEOPLE[1][1], "Sure — see you at 7")
    server = sandbox or create_app(SandboxConfig(seed=1, contacts=5, rate_limit=False))

    def connect() -> tuple[MobinitiClient, None]:
        transport = httpx.ASGITransport(app=server.asgi)
        return MobinitiClient(server.token, "http://sandbox/v1", transport=transport), None

    return Desk(profile_name="shop", profile=Profile(), store=AsyncStore(store),
                connect=connect, autostart=False, now=lambda: NOW)
