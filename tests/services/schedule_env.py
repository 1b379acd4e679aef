"""Test helpers for scheduled texts: the service with lookups that do not wait, and a count of
what the sandbox keeps."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from service_env import Env

from tui.services.scheduled import ScheduledTexts

SCHEDULE = ("POST", "/v1/message/schedule")
LIST = ("GET", "/v1/message/schedule")
WHEN = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


class NoWait:
    """Lookups wait a moment for the server's list; not in a test."""

    def monotonic(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        return None


def texts_of(env: Env) -> ScheduledTexts:
    """The Scheduled section's service, any hour allowed, lookups without waiting."""
    return ScheduledTexts(env.client, env.store, window=(time(0, 0), time(23, 59)),
                          clock=NoWait())


def copies(env: Env, phone: str, text: str) -> int:
    """How many scheduled texts with these words the sandbox keeps for this number."""
    return sum(1 for r in env.sandbox.state.scheduled.values()
               if r.phone_number == phone and r.message == text)
