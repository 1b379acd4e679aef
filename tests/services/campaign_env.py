"""Test helpers for campaigns: a sandbox group of N contacts, mirrored into the local store."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.api.client import MobinitiClient
from tui.sandbox.records import ContactRecord, GroupRecord
from tui.sandbox.sandbox import Sandbox
from tui.services.sync import ContactSync
from tui.store import AsyncStore

NAMES = ("Ana", "Ben", "Cleo", "Dev", "Eli")


def add_group(sandbox: Sandbox, name: str, count: int, *, area: str = "312224",
              named: bool = True, start: int = 0) -> str:
    """A group of ``count`` subscribed contacts with numbers +1<area>NNNN; returns its id."""
    state = sandbox.state
    now = datetime.now(UTC)
    group = GroupRecord(id=state.ids.new(), name=name, created_at=now, updated_at=now)
    state.groups[group.id] = group
    for index in range(start, start + count):
        contact = ContactRecord(
            id=state.ids.new(), phone_number=f"+1{area}{index:04d}", created_at=now,
            updated_at=now, first_name=NAMES[index % len(NAMES)] if named else None,
        )
        state.add_contact(contact)
        state.join_group(contact, group.id)
    return group.id


async def mirror(client: MobinitiClient, store: AsyncStore) -> None:
    await ContactSync(client, store).sync_all()


def texts_to(sandbox: Sandbox, phone: str) -> list[str]:
    return [r.message for r in sandbox.state.messages
            if r.direction == "outgoing" and r.phone_number == phone]


def join(sandbox: Sandbox, group_id: str, phones: list[str]) -> None:
    """Put these existing contacts in the group too (a contact in two groups)."""
    state = sandbox.state
    wanted = set(phones)
    for contact in list(state.contacts.values()):
        if contact.phone_number in wanted:
            state.join_group(contact, group_id)
