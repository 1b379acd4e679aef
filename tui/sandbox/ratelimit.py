"""The seed's rate limit: 1 request per second per route per token, reported as 60 per minute."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from tui.api.limits import RATE_LIMIT_HEADER_LIMIT, REQUESTS_PER_SECOND_PER_ROUTE

# A request that arrives a hair early still passes: the client's clock and ours drift by
# the time a request spends in flight, and the seed's limit is "1 per second", not "1000 ms".
EARLY_TOLERANCE: Final = 0.05


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: int = 0

    def headers(self) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(RATE_LIMIT_HEADER_LIMIT),
                   "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """One slot per second per (token, route); the headers count the last minute's requests."""

    def __init__(self, *, enabled: bool = True,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self.monotonic = monotonic
        self._last: dict[tuple[str, str], float] = {}
        self._minute: dict[tuple[str, str], deque[float]] = {}

    def check(self, token: str, route: str) -> Verdict:
        if not self.enabled:
            # Off means off: the headers never report a budget running out (a client reading
            # X-RateLimit-Remaining: 0 would pause itself for nothing).
            return Verdict(True, RATE_LIMIT_HEADER_LIMIT)
        now = self.monotonic()
        key = (token, route)
        window = self._minute.setdefault(key, deque())
        while window and now - window[0] >= 60.0:
            window.popleft()
        last = self._last.get(key)
        interval = 1.0 / REQUESTS_PER_SECOND_PER_ROUTE
        if last is not None and now - last < interval - EARLY_TOLERANCE:
            wait = interval - (now - last)
            return Verdict(False, 0, max(1, math.ceil(wait)))
        self._last[key] = now
        window.append(now)
        return Verdict(True, max(0, RATE_LIMIT_HEADER_LIMIT - len(window)))
