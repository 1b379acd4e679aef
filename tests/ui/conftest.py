"""Desks for UI tests: the in-process sandbox, or a fixed store for snapshots."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from textual.css import stylesheet as textual_stylesheet

from tui.api.client import MobinitiClient
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.store import AsyncStore, open_store

if TYPE_CHECKING:
    from tests.ui.contacts_env import BigAccount

BASE_URL = "http://sandbox/v1"


@pytest.fixture(autouse=True)
def utc_local_time() -> None:
    """Screens show local times; tests pin the local zone so pictures don't move."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def sandbox_desk(
    sandbox: Sandbox, db: Path, *, autostart: bool = True, profile: Profile | None = None
) -> Desk:
    def connect() -> tuple[MobinitiClient, Sandbox]:
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(sandbox.token, BASE_URL, transport=transport), sandbox

    return Desk(
        profile_name="test",
        profile=profile or Profile(base_url=BASE_URL),
        store=AsyncStore(open_store(db, recover=True)),
        connect=connect,
        autostart=autostart,
        inbox_options={"receipts_every": 0.5},
    )


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSS texts Textual's parser was given (each parse of a source)."""
    seen: list[str] = []
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return seen


@pytest.fixture
def sandbox() -> Sandbox:
    return create_app(
        SandboxConfig(seed=3, contacts=60, rate_limit=False, inbound_rate=0.0,
                      reply_probability=0.0, delivery_delay=0.3, failure_rate=0.0)
    )


@pytest.fixture
def make_desk(sandbox: Sandbox, tmp_path: Path) -> Callable[..., Desk]:
    def make(**kwargs: object) -> Desk:
        return sandbox_desk(sandbox, tmp_path / "store.db", **kwargs)  # type: ignore[arg-type]

    return make




@pytest.fixture(scope="session")
def contacts_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synced 5k-contact database (tests/ui/contacts_env.py), made once per session."""
    from tests.ui.contacts_env import synced_copy

    return synced_copy(tmp_path_factory.mktemp("contacts5k") / "template.db")


@pytest.fixture
def account(contacts_template: Path, tmp_path: Path) -> BigAccount:
    """A fresh copy of the 5k account and its sandbox for one Contacts test."""
    from tests.ui.contacts_env import big_account

    return big_account(contacts_template, tmp_path)
