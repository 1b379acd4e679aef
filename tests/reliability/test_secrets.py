"""The access token never leaves the process: a canary token, then grep everything it touched.

Logs (at DEBUG, through failures and retries), crash reports, every screen, ``config show`` and
the exports the CLI offers are searched for the canary and for any long piece of it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.ui.helpers import until
from tui.api.client import MobinitiClient
from tui.api.limits import SCOPES
from tui.app import SmsDeskApp
from tui.config import Profile
from tui.desk import Desk
from tui.logs import log_exception, setup_logging
from tui.sandbox import SandboxConfig, create_app
from tui.store import AsyncStore, open_store


def leaks(text: str, secret: str) -> list[str]:
    """Every 12-character piece of the secret found in ``text`` (a masked tail is allowed)."""
    pieces = {secret[i:i + 12] for i in range(len(secret) - 11)}
    return sorted(p for p in pieces if p in text)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger("smsdesk")
    kept = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    for handler in kept:
        root.removeHandler(handler)
    level = root.level
    path = setup_logging(tmp_path / "logs" / "smsdesk.log", logging.DEBUG)
    yield path
    for handler in [h for h in root.handlers if isinstance(h, logging.FileHandler)]:
        root.removeHandler(handler)
        handler.close()
    for handler in kept:
        root.addHandler(handler)
    root.setLevel(level)


async def test_the_token_is_in_no_log_screen_or_crash_report(tmp_path: Path, log_file: Path
                                                             ) -> None:
    sandbox = create_app(SandboxConfig(seed=5, contacts=20, rate_limit=False,
                                       reply_probability=0.0, delivery_delay=0.2))
    canary = sandbox.make_token(SCOPES)

    def connect() -> tuple[MobinitiClient, None]:
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(canary, "http://sandbox/v1", transport=transport,
                              backoff_base=0.01, backoff_cap=0.05), None

    desk = Desk(profile_name="canary", profile=Profile(base_url="http://sandbox/v1"),
                store=AsyncStore(open_store(tmp_path / "c.db")), connect=connect,
                inbox_options={"receipts_every": 0.2, "fast_interval": 0.2})
    app = SmsDeskApp(desk)
    screens: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        services = await desk.services()
        # Failures of each kind that reach a log line (storms and slow bodies only wait).
        sandbox.chaos.force("server_error", "drop", "malformed",
                            "response_lost", "server_error")
        phone = sandbox.state.contacts[next(iter(sandbox.state.contacts))].phone_number
        await desk.send_reply(phone, "canary check")
        await until(lambda: not sandbox.chaos._forced, timeout=20)
        for key in ("1", "2", "3", "4", "5", "6", "1"):
            await pilot.press(key)
            await pilot.pause()
            screens.append(app.export_screenshot())
        try:
            raise RuntimeError(f"boom with Authorization: Bearer {canary} and {canary}")
        except RuntimeError as exc:
            log_exception(exc)
    for handler in logging.getLogger("smsdesk").handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "chaos" in logged or "retry" in logged or "HTTP" in logged  # the failures were logged
    assert leaks(logged, canary) == []
    for screen in screens:
        assert leaks(screen, canary) == []
    assert repr(services.client).count(canary) == 0


def _cli(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "SMSDESK_TOKEN"}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "tui", *args], input=stdin, text=True,
                          capture_output=True, env=full, timeout=60)


def test_config_show_and_set_never_print_the_token(tmp_path: Path) -> None:
    canary = "mbn_live_canary_" + "c4n4ry" * 6
    env = {"SMSDESK_CONFIG": str(tmp_path / "config.toml"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    outputs = [_cli("config", "init", "--token-stdin", env=env, stdin=canary + "\n")]
    outputs.append(_cli("config", "set", "token", "-", env=env, stdin=canary + "\n"))
    outputs.append(_cli("config", "show", env=env))
    outputs.append(_cli("config", "show", env={**env, "SMSDESK_TOKEN": canary}))
    assert outputs[-1].returncode == 0, outputs[-1].stderr
    for done in outputs:
        assert leaks(done.stdout + done.stderr, canary) == []
    assert canary in (tmp_path / "config.toml").read_text()  # it is kept, only never shown


def test_exports_never_carry_the_token(tmp_path: Path) -> None:
    """Whatever export verbs the CLI has; today: none yet besides config (checked above)."""
    from tui.cli import build_parser

    parser = build_parser()
    verbs = {
        name for action in parser._subparsers._group_actions  # type: ignore[union-attr]
        for name in getattr(action, "choices", {})
    }
    if "contacts" not in verbs:
        pytest.skip("no export verb on this build yet")
    canary = "mbn_live_canary_" + "e9p0rt" * 6
    out = tmp_path / "contacts.csv"
    done = _cli("contacts", "export", str(out),
                env={"SMSDESK_CONFIG": str(tmp_path / "none.toml"), "SMSDESK_TOKEN": canary,
                     "XDG_DATA_HOME": str(tmp_path / "data")})
    written = out.read_text(encoding="utf-8") if out.exists() else ""
    assert leaks(done.stdout + done.stderr + written, canary) == []
