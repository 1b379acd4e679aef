"""A Mobiniti-compatible sandbox server for the demo and the tests (no network needed)."""

from __future__ import annotations

from tui.sandbox.auth import DEMO_TOKEN
from tui.sandbox.chaos import ConnectionDropped
from tui.sandbox.config import FAULT_KINDS, ChaosConfig, SandboxConfig
from tui.sandbox.sandbox import Sandbox, create_app

__all__ = ["DEMO_TOKEN", "FAULT_KINDS", "ChaosConfig", "ConnectionDropped", "Sandbox",
           "SandboxConfig", "create_app", "serve_in_thread"]


def __getattr__(name: str) -> object:
    # serve_in_thread needs uvicorn, which --demo and most tests never load: imported on use.
    if name == "serve_in_thread":
        from tui.sandbox.serve import serve_in_thread

        return serve_in_thread
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
