"""Running the receiver with uvicorn: in the foreground (CLI, several workers) or in a thread."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import uvicorn
from starlette.applications import Starlette

from tui.events.receiver import ReceiverConfig, create_receiver
from tui.server_thread import server_in_thread

# A worker process (uvicorn --workers) finds its profile here and reads the rest from config.
PROFILE_ENV: Final = "SMSDESK_RECEIVER_PROFILE"
MAX_BODY_ENV: Final = "SMSDESK_RECEIVER_MAX_BODY"


def receiver_config(profile_name: str | None, max_body: int) -> ReceiverConfig:
    """The profile's store and secret. Raises ConfigError when there is no secret."""
    from tui import config as cfg
    from tui.launch import store_path

    loaded = cfg.load()
    name = profile_name or loaded.settings.default_profile
    secret = cfg.resolve_webhook_secret(loaded.settings.profile(name))
    if not secret:
        raise cfg.ConfigError(
            f"Profile {name!r} has no webhook secret, so anyone could post events. Set one: "
            f"smsdesk config set webhook_secret - --profile {name}   (reads it from stdin)")
    return ReceiverConfig(store_path(name), secret, max_body)


def worker_app() -> Starlette:
    """uvicorn factory for ``--workers``: each worker opens its own store connection."""
    profile = os.environ.get(PROFILE_ENV) or None
    max_body = int(os.environ.get(MAX_BODY_ENV, "65536"))
    return create_receiver(receiver_config(profile, max_body))


def uvicorn_config(app: Starlette | str, host: str, port: int, *, workers: int = 1
                   ) -> uvicorn.Config:
    # No access log: the secret may be in the query string. Refusals are logged by the app.
    return uvicorn.Config(app, host=host, port=port, workers=workers, access_log=False,
                          log_level="warning", factory=isinstance(app, str),
                          timeout_graceful_shutdown=2)


@contextlib.contextmanager
def receiver_in_thread(store_path: Path, secret: str, *, host: str = "127.0.0.1",
                       port: int = 0) -> Iterator[str]:
    """Yield ``http://host:port`` of a receiver served from a thread (demo, tests, bench)."""
    config = uvicorn_config(create_receiver(ReceiverConfig(store_path, secret)), host, port)
    with server_in_thread(uvicorn.Server(config), name="webhook receiver") as bound:
        yield f"http://{host}:{bound}"
