"""Build a desk (real profile or the demo sandbox) and run the app on it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx
import platformdirs

from tui import config as cfg
from tui.api.client import MobinitiClient
from tui.desk import Desk
from tui.logs import setup_logging
from tui.store import AsyncStore, StoreError, open_store

DEMO_BASE_URL = "http://sandbox/v1"


def store_path(profile_name: str) -> Path:
    return Path(platformdirs.user_data_dir("smsdesk")) / f"{profile_name}.db"


def build_desk(profile_name: str | None) -> Desk:
    """The configured account. Raises ConfigError/StoreError with a sentence for the person."""
    loaded = cfg.load()
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    name = profile_name or loaded.settings.default_profile
    profile = loaded.settings.profile(name)
    token = cfg.resolve_token(profile)
    if not token:
        raise cfg.ConfigError(
            f"Profile {name!r} has no access token. Set {cfg.TOKEN_ENV}, or run: "
            f"smsdesk config set token - --profile {name}. To look around first: smsdesk --demo"
        )
    client = MobinitiClient(token, profile.base_url)
    store = AsyncStore(open_store(store_path(name), recover=True))
    return Desk(profile_name=name, profile=profile, client=client, store=store)


def build_demo_desk(*, contacts: int = 500, inbound_rate: float = 6.0, seed: int = 7) -> Desk:
    """The sandbox in-process: no token, no port, no network; a fresh store each run."""
    from tui.sandbox import SandboxConfig, create_app

    sandbox = create_app(SandboxConfig(seed=seed, contacts=contacts, inbound_rate=inbound_rate))
    client = MobinitiClient(
        sandbox.token, DEMO_BASE_URL, transport=httpx.ASGITransport(app=sandbox.asgi)
    )
    folder = Path(tempfile.mkdtemp(prefix="smsdesk-demo-"))
    store = AsyncStore(open_store(folder / "demo.db", recover=True))
    return Desk(profile_name="demo", profile=cfg.Profile(base_url=DEMO_BASE_URL), client=client,
                store=store, sandbox=sandbox)


def launch(*, demo: bool, profile: str | None) -> int:
    setup_logging()
    try:
        desk = build_demo_desk() if demo else build_desk(profile)
    except (cfg.ConfigError, StoreError) as exc:
        print(f"smsdesk: {exc}", file=sys.stderr)
        return 1
    from tui.app import SmsDeskApp

    app = SmsDeskApp(desk)
    app.run()
    return app.return_code or 0
