"""What the sandbox did, for a test bench: requests served and faults injected, by kind.

Served at ``GET /_sandbox/stats`` to loopback clients only (anyone else gets the seed's 404),
and written to the log when ``smsdesk sandbox serve`` stops.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.sandbox.chaos import Chaos
from tui.sandbox.config import FAULT_KINDS
from tui.sandbox.state import SandboxState

STATS_PATH = "/_sandbox/stats"


def figures(chaos: Chaos, state: SandboxState) -> dict[str, Any]:
    faults = {kind: chaos.counts.get(kind, 0) for kind in FAULT_KINDS}
    outgoing = sum(1 for r in state.messages if r.direction != "incoming")
    return {
        "requests": chaos.requests,
        "faults": faults,
        "faults_total": sum(faults.values()),
        "chaos_rate": chaos.config.rate,
        "messages": len(state.messages),
        "messages_outgoing": outgoing,
    }


def summary(chaos: Chaos) -> str:
    """One line for the log: ``412 requests, 121 faults: latency 18, drop 17, …``."""
    faults = ", ".join(f"{kind} {chaos.counts.get(kind, 0)}" for kind in FAULT_KINDS)
    return (f"{chaos.requests} requests, {sum(chaos.counts.values())} faults injected: "
            f"{faults}")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def stats_route(chaos: Chaos, state: SandboxState) -> Route:
    async def stats(request: Request) -> JSONResponse:
        if not is_loopback(request.client.host if request.client else None):
            return JSONResponse({"status": 404, "message": "Not found.", "errors": {}},
                                status_code=404)
        return JSONResponse(figures(chaos, state))

    return Route(STATS_PATH, stats, methods=["GET"])
