"""Build a desk (real profile or the demo sandbox) and run the app on it."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from tui import config as cfg
from tui.desk import Connect, Desk
from tui.logs import install_crash_hooks, setup_logging
from tui.safe_text import shown
from tui.store import AsyncStore, StoreError, open_store
from tui.store.files import tighten

if TYPE_CHECKING:
    from tui.api.client import MobinitiClient
    from tui.sandbox import Sandbox

DEMO_BASE_URL = "http://sandbox/v1"
DEMO_WEBHOOK_URL = "http://receiver/webhooks/mobiniti"
DEMO_FOLDER_PREFIX = "smsdesk-demo-"
# Built while the inbox is idle: the sections people open most, first.
READY_SECTIONS = ("contacts", "groups")
# The first screen's parsed styles, in the cache folder (tui/widgets/saved_styles.py).
STYLES_FILE = "first-screen-styles.pickle"


def store_path(profile_name: str) -> Path:
    """The profile's database; its folder is private (0700), also when made by an older smsdesk."""
    folder = Path(platformdirs.user_data_dir("smsdesk"))
    tighten(folder)
    return folder / f"{profile_name}.db"


def build_desk(profile_name: str | None) -> Desk:
    """The configured account. Raises ConfigError/StoreError with a sentence for the person."""
    loaded = cfg.load()
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not loaded.exists and not os.environ.get(cfg.TOKEN_ENV):
        raise cfg.ConfigError(
            f"There is no config file yet ({loaded.path}). Create one with: smsdesk config init "
            "--token-stdin (it asks for your Mobiniti access token). To look around first: "
            "smsdesk --demo"
        )
    name = profile_name or loaded.settings.default_profile
    profile = loaded.settings.profile(name)
    token = cfg.resolve_token(profile)
    if not token:
        raise cfg.ConfigError(
            f"Profile {name!r} has no access token. Set {cfg.TOKEN_ENV}, or run: "
            f"smsdesk config set token - --profile {name}. To look around first: smsdesk --demo"
        )
    # The lock first: a second smsdesk on this profile is refused before it touches the file.
    store = AsyncStore(open_store(store_path(name), recover=True, lock=True, profile=name))
    return Desk(profile_name=name, profile=profile, store=store,
                connect=account_connection(token, profile.base_url))


def account_connection(token: str, base_url: str) -> Connect:
    def connect() -> tuple[MobinitiClient, None]:
        from tui.api.client import MobinitiClient

        return MobinitiClient(token, base_url), None

    return connect


def build_demo_desk(*, contacts: int = 500, inbound_rate: float = 6.0, seed: int = 7,
                    shape: str = "default") -> Desk:
    """The sandbox in-process: no token, no port, no network; a fresh store each run.

    ``shape="php"`` makes the sandbox answer as a Laravel/Fractal server would.
    """

    def connect() -> tuple[MobinitiClient, Sandbox]:
        import secrets

        import httpx

        from tui.api.client import MobinitiClient
        from tui.events.receiver import ReceiverConfig, create_receiver
        from tui.sandbox import SandboxConfig, create_app

        # The sandbox posts its webhooks to a receiver in this process (no port): the same
        # secret check, parsing and store as ``smsdesk webhooks listen``.
        secret = secrets.token_urlsafe(16)
        receiver = create_receiver(ReceiverConfig(db_path, secret))
        sandbox = create_app(
            SandboxConfig(seed=seed, contacts=contacts, inbound_rate=inbound_rate,
                          webhook_url=DEMO_WEBHOOK_URL, webhook_secret=secret,
                          shape=shape),  # type: ignore[arg-type]
            webhook_transport=httpx.ASGITransport(app=receiver),
        )
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(sandbox.token, DEMO_BASE_URL, transport=transport), sandbox

    folder = Path(tempfile.mkdtemp(prefix=DEMO_FOLDER_PREFIX))
    db_path = folder / "demo.db"
    store = AsyncStore(open_store(db_path, recover=True))
    return Desk(profile_name="demo", profile=cfg.Profile(base_url=DEMO_BASE_URL), store=store,
                connect=connect, preload=("tui.sandbox", "tui.events.receiver"))


def launch(*, demo: bool, profile: str | None, shape: str = "default") -> int:
    setup_logging()
    install_crash_hooks()
    try:
        desk = build_demo_desk(shape=shape) if demo else build_desk(profile)
    except (cfg.ConfigError, StoreError) as exc:
        print(f"smsdesk: {shown(exc)}", file=sys.stderr)
        return 1
    from tui.app import SmsDeskApp
    from tui.widgets.saved_styles import SavedStyles

    saved_styles = SavedStyles(Path(platformdirs.user_cache_dir("smsdesk")) / STYLES_FILE)
    try:
        app = SmsDeskApp(desk, ready_sections=READY_SECTIONS, saved_styles=saved_styles)
        app.run()
        return app.return_code or 0
    finally:
        if demo:
            remove_demo_folder(desk.store.path.parent)


def remove_demo_folder(folder: Path) -> None:
    """The demo's store lives in a fresh temporary folder: gone when the demo ends."""
    if folder.name.startswith(DEMO_FOLDER_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)
